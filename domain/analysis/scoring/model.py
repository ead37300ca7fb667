"""Results of scoring a dance performance: plain frozen values that round-trip through JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_POINTS: dict[str, float] = {"balance": 25.0, "rhythm": 30.0, "smoothness": 25.0, "creativity": 20.0}
RHYTHM_BASES = ("music_beats", "target_bpm", "not_measurable")  # stored reports may also say "motion_regularity"


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A stretch of the performance (seconds on the performance's clock) and the body part concerned."""

    start: float
    end: float
    limb: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "limb": self.limb}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TimeRange:
        return cls(start=float(data["start"]), end=float(data["end"]), limb=str(data["limb"]))


@dataclass(frozen=True, slots=True)
class Comparison:
    """How closely a performance follows a reference (demo) track."""

    similarity: float  # 0..100
    per_limb: dict[str, float] = field(default_factory=dict)  # 0..100 each
    worst_ranges: tuple[TimeRange, ...] = ()
    offset_seconds: float = 0.0  # performance time minus reference time at the best alignment
    mirrored: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "similarity": self.similarity,
            "per_limb": dict(self.per_limb),
            "worst_ranges": [r.to_dict() for r in self.worst_ranges],
            "offset_seconds": self.offset_seconds,
            "mirrored": self.mirrored,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Comparison:
        return cls(
            similarity=float(data["similarity"]),
            per_limb={str(k): float(v) for k, v in data.get("per_limb", {}).items()},
            worst_ranges=tuple(TimeRange.from_dict(r) for r in data.get("worst_ranges", [])),
            offset_seconds=float(data.get("offset_seconds", 0.0)),
            mirrored=bool(data.get("mirrored", False)),
        )


@dataclass(frozen=True, slots=True)
class PerformanceReport:
    balance: float  # 0..25
    rhythm: float  # 0..30
    smoothness: float  # 0..25
    creativity: float  # 0..20
    total: float  # sum of the four
    feedback: str  # feedback_items joined by spaces
    feedback_items: tuple[str, ...]
    confidence: float  # 0..1
    rhythm_basis: str  # "music_beats" | "target_bpm" | "not_measurable"
    metrics: dict[str, float] = field(default_factory=dict)
    comparison: Comparison | None = None
    rhythm_reason: str | None = None  # why rhythm was not measured (rhythm is then 0 and not part of total_max)
    total_max: float = 100.0  # what the total is out of: 100, or 70 when rhythm was not measurable
    warnings: tuple[str, ...] = ()  # things that limit what the scores mean (other people, identity switches)

    @property
    def rhythm_measured(self) -> bool:
        return self.rhythm_reason is None

    def breakdown(self) -> dict[str, float]:
        return {
            "balance": round(self.balance, 1),
            "rhythm": round(self.rhythm, 1),
            "smoothness": round(self.smoothness, 1),
            "creativity": round(self.creativity, 1),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "balance": self.balance,
            "rhythm": self.rhythm,
            "smoothness": self.smoothness,
            "creativity": self.creativity,
            "total": self.total,
            "feedback": self.feedback,
            "feedback_items": list(self.feedback_items),
            "confidence": self.confidence,
            "rhythm_basis": self.rhythm_basis,
            "metrics": dict(self.metrics),
            "comparison": None if self.comparison is None else self.comparison.to_dict(),
            "rhythm_reason": self.rhythm_reason,
            "total_max": self.total_max,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PerformanceReport:
        comparison = data.get("comparison")
        return cls(
            balance=float(data["balance"]),
            rhythm=float(data["rhythm"]),
            smoothness=float(data["smoothness"]),
            creativity=float(data["creativity"]),
            total=float(data["total"]),
            feedback=str(data["feedback"]),
            feedback_items=tuple(str(s) for s in data.get("feedback_items", [])),
            confidence=float(data["confidence"]),
            rhythm_basis=str(data["rhythm_basis"]),
            metrics={str(k): float(v) for k, v in data.get("metrics", {}).items()},
            comparison=None if comparison is None else Comparison.from_dict(comparison),
            rhythm_reason=None if data.get("rhythm_reason") is None else str(data["rhythm_reason"]),
            total_max=float(data.get("total_max", 100.0)),
            warnings=tuple(str(w) for w in data.get("warnings", [])),
        )


@dataclass(frozen=True, slots=True)
class SubScore:
    """One component's points, the raw numbers behind them and sentences about them (internal)."""

    points: float
    metrics: dict[str, float]
    feedback: tuple[str, ...]
