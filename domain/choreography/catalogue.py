"""The song catalogue: a song, its audio file and the analysis measured once when it was added.

A song is ``pending`` until its analysis job ends ``analysed`` (bpm and duration come from the measured analysis,
never from a label) or ``failed`` with the reason. Generated demo tracks say so (``generated``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from domain.choreography.song import SongAnalysis

GENRES = ("traditional", "modern", "sensual", "urban")


class SongStatus(StrEnum):
    PENDING = "pending"
    ANALYSED = "analysed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Song:
    id: int  # 0 until the database gives it one
    title: str
    artist: str
    genre: str | None
    audio_key: str
    status: SongStatus
    created_at: datetime
    updated_at: datetime
    analysis: SongAnalysis | None = None
    error: str | None = None
    generated: bool = False

    @property
    def bpm(self) -> float | None:
        return None if self.analysis is None else round(self.analysis.tempo_bpm, 1)

    @property
    def duration(self) -> float | None:
        return None if self.analysis is None else round(self.analysis.duration, 2)

    @property
    def mean_energy(self) -> float:
        curve = self.analysis.energy_curve if self.analysis is not None else ()
        return sum(curve) / len(curve) if curve else 0.5

    def analysed(self, analysis: SongAnalysis, now: datetime) -> Song:
        return replace(self, analysis=analysis, status=SongStatus.ANALYSED, error=None, updated_at=now)

    def failed(self, reason: str, now: datetime) -> Song:
        return replace(self, status=SongStatus.FAILED, error=reason, updated_at=now)


@dataclass(frozen=True, slots=True)
class SongFilter:
    search: str | None = None  # in title or artist, case-insensitive
    genre: str | None = None
    bpm_min: float | None = None
    bpm_max: float | None = None
    ordering: str = "title"  # [-]title | artist | bpm | duration | created_at
    only_analysed: bool = True


SONG_ORDERINGS = ("title", "artist", "bpm", "duration", "created_at", "id")
