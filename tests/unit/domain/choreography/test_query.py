from __future__ import annotations

import pytest

from domain.choreography.query import ParsedQuery, QueryNotUnderstood, SongOption, choose_song, parse_query

# spec 003's example queries and the parameters each must give
EXAMPLES = [
    ("Create a romantic bachata for beginners with smooth transitions",
     {"difficulty": "beginner", "energy_level": "low", "style": "romantic",
      "special_requirements": ["smooth transitions"]}),
    ("I want an energetic intermediate choreography with lots of turns",
     {"difficulty": "intermediate", "energy_level": "high", "style": "energetic",
      "special_requirements": ["lots of turns"]}),
    ("Make me an advanced sensual routine to a slow song",
     {"difficulty": "advanced", "energy_level": "low", "style": "sensual", "special_requirements": ["slow song"],
      "tempo": "slow"}),
    ("Beginner-friendly playful dance with simple steps",
     {"difficulty": "beginner", "energy_level": "medium", "style": "playful",
      "special_requirements": ["simple steps"]}),
]


@pytest.mark.parametrize(("query", "expected"), EXAMPLES)
def test_spec_examples(query: str, expected: dict[str, object]) -> None:
    assert parse_query(query).to_parameters() == expected


def test_requirements_reach_the_optimiser() -> None:
    turns = parse_query(EXAMPLES[1][0]).preferences()
    smooth = parse_query(EXAMPLES[0][0]).preferences()
    assert turns.turn_weight > 0 and turns.transition_weight == 1.0
    assert smooth.transition_weight > 1.0 and smooth.turn_weight == 0.0


def test_negations() -> None:
    q = parse_query("a modern routine with no spins, not too slow")
    assert q.avoid == ("spin", "ladyturn") and q.tempo == "fast" and "lots of turns" not in q.special_requirements
    assert parse_query("something not for beginners, sensual").difficulty == "intermediate"
    assert parse_query("romantic but without smooth transitions").special_requirements == ()
    assert parse_query("no high energy please, romantic").energy_level == "low"


def test_unknown_query_is_refused() -> None:
    with pytest.raises(QueryNotUnderstood, match=r"Could not parse query\. Please be more specific\."):
        parse_query("hello there my friend")


def test_song_choice_by_tempo_and_mood() -> None:
    songs = [SongOption(1, 118.0, 0.4), SongOption(2, 128.0, 0.55), SongOption(3, 140.0, 0.85)]
    assert choose_song(songs, parse_query("an advanced sensual routine to a slow song")).song_id == 1
    assert choose_song(songs, parse_query("energetic intermediate with lots of turns")).song_id == 3
    assert choose_song(songs, ParsedQuery("intermediate", "medium", "modern")).song_id == 2
