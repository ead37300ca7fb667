"""Look-alike keys for email addresses, from Unicode's confusables data (UTS #39, section 4 "skeleton").

The table is the ``confusable-homoglyphs`` package's copy of Unicode's confusables.txt (classes of characters
that look the same). UTS #39 maps every character of a class to one prototype; we map only non-ASCII characters
and onto an ASCII member when the class has one (a lower-case letter first), so that Cyrillic "а" or Greek "ο"
collapse onto "a" and "o" while two plain-ASCII addresses (``paul1@`` and ``paull@``) stay distinct, as mail
systems treat them. Full-width forms are folded earlier, by NFKC.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from importlib.resources import files


def _rank(ch: str) -> tuple[bool, bool, str]:
    return (not ch.islower(), not ch.isalnum(), ch)


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    data = json.loads(files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for ch, glyphs in data.items():
        if len(ch) != 1 or ch.isascii():
            continue
        members = {ch} | {g["c"] for g in glyphs if len(g["c"]) == 1}
        plain = sorted((m for m in members if m.isascii() and m.isprintable()), key=_rank)
        table[ch] = plain[0] if plain else min(members)
    return table


def skeleton(text: str) -> str:
    """Equal for two strings that a reader cannot tell apart (NFKC, case-folded, NFD, confusables mapped)."""
    table = _table()
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    return unicodedata.normalize("NFD", "".join(table.get(ch, ch) for ch in folded))
