"""Golden figures: every shared clip, scored on both pose backends, must give the scores stored in the repository.

The figures in ``tests/golden/scores.json`` were produced by this test with ``--update-golden``; changing them is a
deliberate act, reviewed in the diff. The tolerance is far below what a change of one scoring constant moves.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adapters.analysis.librosa_audio import LibrosaAudioAnalyzer
from adapters.analysis.pyav_video import PyAvVideoDecoder
from application.analysis import beat_grid
from application.ports.analysis import Frame, VideoInfo
from domain.analysis import posedata
from domain.analysis.errors import AnalysisFailed
from domain.analysis.pose import PoseTrack
from domain.analysis.scoring import score_performance

pytestmark = [pytest.mark.media, pytest.mark.slow]

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "scores.json"
POINTS_TOLERANCE = 0.05  # points; the smallest constant change measured moved a part by > 0.5
METRIC_REL_TOLERANCE = 1e-3


def _figures(track: PoseTrack, info: VideoInfo, decoder: PyAvVideoDecoder, path: Path,
             analyzer: LibrosaAudioAnalyzer) -> dict[str, Any]:
    audio = decoder.audio(path, 22050) if info.has_audio else None
    features = analyzer.analyze(audio) if audio is not None and audio.samples.size and \
        float(abs(audio.samples).max()) >= 1e-4 else None
    try:
        report = score_performance(posedata.quantize(track), beat_grid(features))
    except AnalysisFailed as exc:
        return {"failed": exc.reason}
    return {
        "balance": round(report.balance, 3), "rhythm": round(report.rhythm, 3) if report.rhythm_measured else None,
        "smoothness": round(report.smoothness, 3), "creativity": round(report.creativity, 3),
        "total": round(report.total, 3), "confidence": round(report.confidence, 4),
        "rhythm_basis": report.rhythm_basis, "total_max": report.total_max,
        "people_detected": int(report.metrics["people_detected"]),
        "metrics": {k: round(v, 5) for k, v in sorted(report.metrics.items())},
    }


def _compare(name: str, got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    if "failed" in want or "failed" in got:
        return [] if got == want else [f"{name}: {got} != {want}"]
    problems = [f"{name}: {part} {got[part]} != {want[part]}"
                for part in ("balance", "rhythm", "smoothness", "creativity", "total")
                if (got[part] is None) != (want[part] is None)
                or (want[part] is not None and abs(got[part] - want[part]) > POINTS_TOLERANCE)]
    for key in ("total_max", "people_detected"):
        if got[key] != want[key]:
            problems.append(f"{name}: {key} {got[key]} != {want[key]}")
    if got["rhythm_basis"] != want["rhythm_basis"]:
        problems.append(f"{name}: rhythm basis {got['rhythm_basis']} != {want['rhythm_basis']}")
    if abs(got["confidence"] - want["confidence"]) > 0.002:
        problems.append(f"{name}: confidence {got['confidence']} != {want['confidence']}")
    for key, value in want["metrics"].items():
        have = got["metrics"].get(key)
        if have is None or abs(have - value) > METRIC_REL_TOLERANCE * max(1.0, abs(value)):
            problems.append(f"{name}: metric {key} {have} != {value}")
    return problems


def test_scores_match_the_golden_figures(
    request: pytest.FixtureRequest,
    videos: list[Path],
    decoded: dict[str, tuple[VideoInfo, list[Frame]]],
    decoder: PyAvVideoDecoder,
    audio_analyzer: LibrosaAudioAnalyzer,
    mediapipe_tracks: dict[str, PoseTrack],
    onnx_tracks: dict[str, PoseTrack],
) -> None:
    got: dict[str, dict[str, Any]] = {}
    for backend, tracks in (("mediapipe", mediapipe_tracks), ("onnx", onnx_tracks)):
        for path in videos:
            info = decoded[path.name][0]
            got[f"{backend}/{path.name}"] = _figures(tracks[path.name], info, decoder, path, audio_analyzer)
    if request.config.getoption("--update-golden"):
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
        pytest.skip(f"golden figures written to {GOLDEN}")
    want = json.loads(GOLDEN.read_text())
    assert sorted(got) == sorted(want)
    problems = [p for name in sorted(want) for p in _compare(name, got[name], want[name])]
    assert not problems, "\n".join(problems)
