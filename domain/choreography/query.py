"""A deterministic parser for choreography requests in plain English, and song choice by tempo and mood.

Words map to spec 003's enums (difficulty beginner|intermediate|advanced, energy low|medium|high, style romantic|
energetic|sensual|playful|modern). A word preceded within three words by a negation ("no", "not", "without",
"avoid", "don't", "less") is turned around or dropped. Defaults when nothing is said: intermediate, energy from the
style (romantic/sensual low, energetic high, else medium), modern. Spec 003's example "romantic ... for beginners
with smooth transitions" gives beginner/low/romantic/["smooth transitions"], the documented answer.
Song choice: bachata runs about 110-150 BPM (slow "bachata romántica" nearer 110-120); the score is the distance
of the song's tempo from the requested band plus the gap between its mean energy and the requested energy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from domain.choreography.blueprint import Preferences

DIFFICULTIES = ("beginner", "intermediate", "advanced")
ENERGIES = ("low", "medium", "high")
STYLES = ("romantic", "energetic", "sensual", "playful", "modern")

_DIFFICULTY_WORDS = {
    "beginner": ("beginner", "beginners", "beginner-friendly", "easy", "novice", "first-time", "basic level",
                 "newbie", "starter"),
    "intermediate": ("intermediate", "medium level", "improver"),
    "advanced": ("advanced", "expert", "experienced", "hard", "difficult", "challenging", "pro"),
}
_STYLE_WORDS = {
    "romantic": ("romantic", "romance", "love", "tender", "wedding", "bolero"),
    "energetic": ("energetic", "energy", "powerful", "dynamic", "intense"),
    "sensual": ("sensual", "sexy", "intimate", "sultry", "body waves", "bodywaves"),
    "playful": ("playful", "fun", "cheerful", "flirty", "happy", "light-hearted"),
    "modern": ("modern", "urban", "contemporary", "fusion"),
}
_ENERGY_WORDS = {
    "low": ("low energy", "calm", "gentle", "relaxed", "chill", "soft", "mellow"),
    "high": ("high energy", "fast-paced", "upbeat", "lively", "exciting", "party"),
    "medium": ("medium energy", "moderate"),
}
_TEMPO_WORDS = {
    "slow": ("slow song", "slow music", "slow tempo", "slow", "slower"),
    "fast": ("fast song", "fast music", "fast tempo", "fast", "quick", "faster", "uptempo"),
}
_NEGATIONS = ("no", "not", "without", "avoid", "don't", "dont", "never", "less", "fewer", "skip")
_STYLE_ENERGY = {"romantic": "low", "sensual": "low", "energetic": "high", "playful": "medium", "modern": "medium"}
TEMPO_BANDS = {"slow": (100.0, 122.0), "medium": (118.0, 135.0), "fast": (132.0, 160.0), None: (110.0, 150.0)}


class QueryNotUnderstood(ValueError):
    """The request names nothing the parser knows (spec 003: 'Could not parse query. Please be more specific.')."""


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    difficulty: str
    energy_level: str
    style: str
    special_requirements: tuple[str, ...] = ()
    tempo: str | None = None  # "slow" | "fast" | None
    avoid: tuple[str, ...] = ()  # move labels not wanted
    recognised: tuple[str, ...] = field(default=())  # the phrases that decided something

    def to_parameters(self) -> dict[str, object]:
        out: dict[str, object] = {"difficulty": self.difficulty, "energy_level": self.energy_level,
                                  "style": self.style, "special_requirements": list(self.special_requirements)}
        if self.tempo:
            out["tempo"] = self.tempo
        return out

    def preferences(self) -> Preferences:
        reqs = set(self.special_requirements)
        return Preferences(
            difficulty=self.difficulty, energy_level=self.energy_level, style=self.style,
            turn_weight=1.0 if "lots of turns" in reqs else 0.0,
            transition_weight=2.5 if "smooth transitions" in reqs else 1.0,
            simple="simple steps" in reqs, avoid_labels=frozenset(self.avoid))


def _tokens(text: str) -> str:
    clauses = re.sub(r"[,.;:!?]+|\bbut\b", " | ", text.lower())  # a negation reaches no further than its clause
    return " " + re.sub(r"[^a-z0-9'|\- ]+", " ", clauses) + " "


def _find(text: str, phrase: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<![a-z])" + re.escape(phrase) + r"(?![a-z])", text)]


def _negated(text: str, pos: int) -> bool:
    before = text[:pos].split("|")[-1].split()[-3:]
    return any(w in _NEGATIONS for w in before)


def _match(text: str, table: dict[str, tuple[str, ...]]) -> tuple[str | None, str | None, list[str]]:
    """(first positively named key, its phrase, keys that were negated)."""
    hits: list[tuple[int, str, str]] = []
    negated: list[str] = []
    for key, phrases in table.items():
        for phrase in phrases:
            for pos in _find(text, phrase):
                if _negated(text, pos):
                    negated.append(key)
                else:
                    hits.append((pos, key, phrase))
    if not hits:
        return None, None, negated
    hits.sort()
    return hits[0][1], hits[0][2], negated


def parse_query(query: str) -> ParsedQuery:
    text = _tokens(query)
    recognised: list[str] = []
    difficulty, d_word, d_neg = _match(text, _DIFFICULTY_WORDS)
    style, s_word, _ = _match(text, _STYLE_WORDS)
    energy, e_word, e_neg = _match(text, _ENERGY_WORDS)
    tempo, t_word, t_neg = _match(text, _TEMPO_WORDS)
    for w in (d_word, s_word, e_word, t_word):
        if w:
            recognised.append(w)
    if difficulty is None and d_neg:
        # "not for beginners" -> the next level up; "nothing advanced" -> the level below
        difficulty = "intermediate" if "beginner" in d_neg or "advanced" not in d_neg else "beginner"
    if tempo is None and t_neg:
        tempo = "fast" if "slow" in t_neg else "slow"

    special: list[str] = []
    avoid: list[str] = []
    for phrase in ("smooth transitions", "smooth transition", "flowing", "seamless"):
        if _find(text, phrase) and not any(_negated(text, p) for p in _find(text, phrase)):
            special.append("smooth transitions")
            recognised.append(phrase)
            break
    for phrase in ("lots of turns", "many turns", "lots of spins", "many spins", "turns", "spins", "spinning"):
        found = _find(text, phrase)
        if found:
            if any(_negated(text, p) for p in found):
                avoid.extend(["spin", "ladyturn"])
            else:
                special.append("lots of turns")
            recognised.append(phrase)
            break
    for phrase in ("simple steps", "simple", "easy steps"):
        if _find(text, phrase) and not any(_negated(text, p) for p in _find(text, phrase)):
            special.append("simple steps")
            recognised.append(phrase)
            difficulty = difficulty or "beginner"
            break
    for label, words in (("footwork", ("footwork",)), ("golpes", ("golpes", "dips", "dip")),
                         ("bodywaves", ("body waves", "bodywaves")), ("headrolls", ("head rolls", "headrolls"))):
        for w in words:
            found = _find(text, w)
            if found and any(_negated(text, p) for p in found):
                avoid.append(label)
                recognised.append(w)
    if tempo == "slow":
        special.append("slow song")
    elif tempo == "fast":
        special.append("fast song")
    if not recognised:
        raise QueryNotUnderstood("Could not parse query. Please be more specific.")
    style = style or "modern"
    if energy is None:
        energy = ("low" if "high" in e_neg else "high") if e_neg else _STYLE_ENERGY[style]
    return ParsedQuery(difficulty=difficulty or "intermediate", energy_level=energy, style=style,
                       special_requirements=tuple(dict.fromkeys(special)), tempo=tempo,
                       avoid=tuple(dict.fromkeys(avoid)), recognised=tuple(recognised))


@dataclass(frozen=True, slots=True)
class SongOption:
    song_id: int
    tempo_bpm: float
    energy: float  # mean 8-count energy 0..1


_ENERGY_TARGET = {"low": 0.35, "medium": 0.55, "high": 0.8}


def song_fit(option: SongOption, parsed: ParsedQuery) -> float:
    """Lower is better: BPM outside the wanted band (in 10-BPM units) plus the energy gap."""
    lo, hi = TEMPO_BANDS[parsed.tempo if parsed.tempo in ("slow", "fast") else
                         ("medium" if parsed.energy_level == "medium" and parsed.tempo is None else None)]
    if parsed.tempo is None and parsed.energy_level == "low":
        lo, hi = TEMPO_BANDS["slow"][0], TEMPO_BANDS["medium"][1]
    if parsed.tempo is None and parsed.energy_level == "high":
        lo, hi = TEMPO_BANDS["medium"][0], TEMPO_BANDS["fast"][1]
    outside = max(0.0, lo - option.tempo_bpm, option.tempo_bpm - hi) / 10.0
    return outside + abs(option.energy - _ENERGY_TARGET[parsed.energy_level])


def choose_song(options: Sequence[SongOption], parsed: ParsedQuery) -> SongOption:
    if not options:
        raise QueryNotUnderstood("there is no song to choreograph yet")
    return min(options, key=lambda o: (song_fit(o, parsed), o.song_id))
