"""The breakdown of a routine: its grid, its steps and what was measured and written about each."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from domain.breakdown.features import StepFeatures
from domain.breakdown.rhythm import Grid

Mode = Literal["auto", "manual"]
TargetDifficulty = Literal["beginner", "intermediate", "advanced"]


@dataclass(frozen=True, slots=True)
class StepText:
    step_name: str
    global_description: str
    description: dict[str, str]  # head, hands, shoulders, torso, legs, bodyAngle
    style_and_history: str
    spice_it_up: str
    connection_to_next: str
    technical_notes: dict[str, str]  # alignment, timing, energy, precision
    quality_metrics: dict[str, str]  # smoothness, stability, precision, energy, balance


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    start_beat: float
    end_beat: float
    start: float  # seconds
    end: float
    features: StepFeatures
    text: StepText
    difficulty_score: float
    difficulty: str

    def with_text(self, text: StepText) -> Step:
        return replace(self, text=text)


@dataclass(frozen=True, slots=True)
class RoutineAnalysis:
    style_indicators: dict[str, str]  # rhythm_consistency, flow_smoothness, symmetry
    energy_level: str
    characteristics: dict[str, str]  # tempo, rhythm_consistency, flow_smoothness, symmetry, difficulty_level, energy


@dataclass(frozen=True, slots=True)
class Breakdown:
    duration: float
    grid: Grid
    mode: Mode
    target_difficulty: TargetDifficulty
    steps: tuple[Step, ...]
    difficulty_score: float
    difficulty_level: str
    routine: RoutineAnalysis
    title: str = "Dance Video Analysis"
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. "tempo estimated from the movement (no music)"

    @property
    def bpm(self) -> float:
        return self.grid.bpm

    def with_steps(self, steps: tuple[Step, ...]) -> Breakdown:
        return replace(self, steps=steps)
