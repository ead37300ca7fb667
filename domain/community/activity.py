"""Energy of a dance activity from its duration: MET x body mass x hours.

MET values from the 2011 Compendium of Physical Activities (Ainsworth et al., Med Sci Sports Exerc
43(8):1575-81), "dancing" codes 03010-03040. The body mass is an assumption (70 kg), since profiles
carry no weight; the figure is an estimate and says so in the API docs.
"""

from __future__ import annotations

ASSUMED_BODY_MASS_KG = 70.0
GENERAL_DANCING_MET = 7.8  # 03031 general dancing (disco, folk, line, Irish step, polka, country)

# style keyword -> (MET, compendium code)
MET_TABLE: dict[str, tuple[float, str]] = {
    "hip-hop": (7.8, "03031"), "hip hop": (7.8, "03031"), "street": (7.8, "03031"), "freestyle": (7.8, "03031"),
    "breaking": (7.8, "03031"), "k-pop": (7.8, "03031"), "afro": (7.8, "03031"), "bollywood": (7.8, "03031"),
    "party": (7.8, "03031"), "trendy": (7.8, "03031"), "disco": (7.8, "03031"), "folk": (7.8, "03031"),
    "line": (7.8, "03031"), "country": (7.8, "03031"), "choreography": (7.8, "03031"),
    "aerobic": (7.3, "03015"), "fitness": (7.3, "03015"), "zumba": (7.3, "03015"),
    "ballet": (5.0, "03010"), "modern": (5.0, "03010"), "jazz": (5.0, "03010"), "contemporary": (5.0, "03010"),
    "tap": (4.8, "03014"),
    "salsa": (4.5, "03025"), "bachata": (4.5, "03025"), "merengue": (4.5, "03025"), "latin": (4.5, "03025"),
    "swing": (4.5, "03025"), "belly": (4.5, "03025"), "flamenco": (4.5, "03025"), "hula": (4.5, "03025"),
    "sexy": (4.5, "03025"),
    "ballroom": (5.5, "03030"),
    "waltz": (3.0, "03040"), "foxtrot": (3.0, "03040"), "tango": (3.0, "03040"), "slow": (3.0, "03040"),
    "cha cha": (3.0, "03040"), "mambo": (3.0, "03040"), "samba": (3.0, "03040"),
    "competitive": (11.3, "03038"),
}


def met_for(style: str | None) -> float:
    """The MET of a style; unknown or missing styles count as general dancing (7.8)."""
    if not style:
        return GENERAL_DANCING_MET
    key = style.strip().lower().replace("_", " ")
    if key in MET_TABLE:
        return MET_TABLE[key][0]
    key = key.replace(" ", "-")
    return MET_TABLE.get(key, (GENERAL_DANCING_MET, "03031"))[0]


def calories(duration_seconds: float, style: str | None, mass_kg: float = ASSUMED_BODY_MASS_KG) -> int:
    """kcal = MET x kg x hours (1 MET = 1 kcal/kg/h), rounded to a whole kcal."""
    if duration_seconds <= 0:
        return 0
    return round(met_for(style) * mass_kg * duration_seconds / 3600.0)
