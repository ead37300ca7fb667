"""The swing coach's typed result and its plain-dict forms (spec 004's and the FutureGolf app's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from application.ports.analysis import VideoInfo
from domain.analysis.pose import PoseTrack
from domain.coaching.analysis import SwingAnalysis
from domain.coaching.checks import Check
from domain.coaching.summary import sentence


@dataclass(frozen=True, slots=True)
class SwingAnalysisResult:
    video: VideoInfo
    analysis: SwingAnalysis
    track: PoseTrack  # at the source's frame rate: frame i of the video is row i
    stage_seconds: dict[str, float] = field(default_factory=dict)
    composited_video_key: str | None = None

    @property
    def times(self) -> list[float]:
        return [float(t) for t in self.track.timestamps]

    def feedback(self) -> list[dict[str, Any]]:
        return [_feedback(c) for c in self.analysis.checks]

    def to_dict(self) -> dict[str, Any]:
        """Spec 004's ``swing_analysis`` and ``coaching_script`` plus what was measured to get there."""
        a = self.analysis
        r = a.reading
        times = self.times
        return {
            "swing_analysis": {
                "swing_phases": [
                    {"phase": p.phase, "start_frame": p.start_frame, "end_frame": p.end_frame,
                     "start_time": round(p.start_time, 3), "end_time": round(p.end_time, 3),
                     "quality_score": p.quality_score}
                    for p in a.phases
                ],
                "events": {name: {"frame": f, "time": round(times[f], 3)}
                           for name, f in r.events.as_dict().items()},
                "handedness": r.handedness.value,
                "view": r.view.value,
                "alignment_feedback": self.feedback(),
                "pose_data": {"frames": a.frame_count, "fps": round(a.fps, 3), "width": self.video.width,
                              "height": self.video.height},
            },
            "coaching_script": [
                {"timestamp": ln.timestamp, "text": ln.text, "start_frame_number": ln.start_frame_number,
                 "event": ln.event}
                for ln in a.script
            ],
            "playback_speed": a.playback_speed,
            "summary": {
                "score": a.summary.score,
                "backswing_time": a.summary.backswing_time,
                "downswing_time": a.summary.downswing_time,
                "tempo_ratio": a.summary.tempo_ratio,
                "balance_score": a.summary.balance_score,
                "highlights": list(a.summary.highlights),
                "improvements": list(a.summary.improvements),
            },
            "composited_video_key": self.composited_video_key,
            "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()},
        }

    def futuregolf_ai_analysis(self) -> dict[str, Any]:
        """The app's ``ai_analysis`` (clients/futuregolf_ios.md): integers where it decodes Int, camelCase metrics;
        ``clubheadSpeed`` left out (not measured)."""
        a = self.analysis
        s = a.summary
        phases = {p.phase: {"start_frame": p.start_frame, "end_frame": p.end_frame,
                            "start_timestamp": round(p.start_time, 3), "end_timestamp": round(p.end_time, 3)}
                  for p in a.phases if p.phase != "finish"}
        return {
            "swings": [{
                "score": int(s.score),
                "comments": [ln.text for ln in a.script],
                "phases": phases,
                "metrics": {"backswingTime": float(s.backswing_time), "downswingTime": float(s.downswing_time),
                            "balanceScore": int(s.balance_score)},
            }],
            "summary": {"highlights": list(s.highlights), "improvements": list(s.improvements)},
            "coaching_script": {"lines": [{"text": ln.text, "start_frame_number": int(ln.start_frame_number)}
                                          for ln in a.script]},
        }


def _feedback(c: Check) -> dict[str, Any]:
    return {"check": c.name, "phase": c.phase, "value": round(c.value, 3), "unit": c.unit,
            "good_range": {"min": c.good_min, "max": c.good_max}, "score": round(c.score, 3),
            "verdict": c.verdict, "scored": c.scored, "frame": c.frame, "message": sentence(c)}
