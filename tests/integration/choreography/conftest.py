"""Choreography fixtures: the shared clips' move records (a committed file of figures measured from the 58 real
clips by ``ingest-moves``; no media is committed), the index over them, and the song analyser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.music.librosa_song import LibrosaSongAnalyzer
from adapters.search.faiss_moves import FaissMoveIndex
from domain.choreography.moves import MoveRecord

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def moves_dir(media_dir: Path) -> Path:
    return media_dir / "moves"


@pytest.fixture(scope="session")
def shared_records() -> list[MoveRecord]:
    raw = json.loads((DATA / "shared_moves.json").read_text())
    return [MoveRecord.from_dict(m) for m in raw["moves"]]


@pytest.fixture(scope="session")
def move_index(shared_records: list[MoveRecord]) -> FaissMoveIndex:
    index = FaissMoveIndex()
    index.rebuild(shared_records)
    return index


@pytest.fixture(scope="session")
def song_analyzer() -> LibrosaSongAnalyzer:
    analyzer = LibrosaSongAnalyzer()
    analyzer.warm_up()
    return analyzer
