"""One swing's analysis from a pose track: events, phases, checks, script and summary, all measured."""

from __future__ import annotations

from dataclasses import dataclass

from domain.analysis.pose import PoseTrack
from domain.coaching.checks import Check, measure_checks
from domain.coaching.events import SwingReading, read_swing
from domain.coaching.phases import SwingPhase, build_phases
from domain.coaching.script import ScriptLine, coaching_script
from domain.coaching.summary import SwingSummary, summarise
from domain.coaching.trajectory import body_trajectory


@dataclass(frozen=True, slots=True)
class SwingAnalysis:
    reading: SwingReading
    phases: tuple[SwingPhase, ...]
    checks: tuple[Check, ...]
    script: tuple[ScriptLine, ...]
    summary: SwingSummary
    fps: float
    frame_count: int
    playback_speed: float

    def event_times(self, times: list[float]) -> dict[str, float]:
        return {k: times[v] for k, v in self.reading.events.as_dict().items()}


def analyse_swing(track: PoseTrack, playback_speed: float = 0.25) -> SwingAnalysis:
    """Raises NoSwingFound (an AnalysisFailed) with the reason when the clip holds no swing."""
    body = body_trajectory(track)
    reading = read_swing(body)
    checks = measure_checks(body, reading)
    times = [float(t) for t in track.timestamps]
    return SwingAnalysis(
        reading=reading,
        phases=tuple(build_phases(reading.events, checks, times)),
        checks=tuple(checks),
        script=tuple(coaching_script(reading, checks, times, playback_speed)),
        summary=summarise(reading.events, checks, times),
        fps=body.fps,
        frame_count=track.frame_count,
        playback_speed=playback_speed,
    )
