"""The swing coach end to end on the shared GolfDB clip: capture at full rate, events/checks/script, speech,
composited video; absolute seconds, each stage's share and the ratio to the clip's duration (goal <= 2x).

    python benchmarks/swing.py [--backend onnx|mediapipe] [--voice piper|espeak] [--playback-speed 0.25]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.media.pyav_swing_compositor import PyAvSwingVideoCompositor  # noqa: E402
from adapters.speech.espeak_ng import EspeakNgSpeechSynthesizer  # noqa: E402
from adapters.speech.piper_tts import PiperSpeechSynthesizer  # noqa: E402
from application.coaching.analyse import AnalyseSwingVideo, compose_coached_video  # noqa: E402
from entrypoints.pipeline_factory import make_capture  # noqa: E402

MEDIA = Path(os.environ.get("DANCE_MEDIA_DIR", ROOT.parent / "shared" / "media"))
MODEL = Path(os.environ.get("POSE_ONNX_MODEL", ROOT.parent / "shared" / "models" / "pose_landmark_full.onnx"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="onnx", choices=("onnx", "mediapipe"))
    ap.add_argument("--voice", default="piper", choices=("piper", "espeak"))
    ap.add_argument("--playback-speed", type=float, default=0.25)
    args = ap.parse_args()
    clip = MEDIA / "video" / "09_golf_swing_golfdb.mp4"
    capture = make_capture(args.backend, onnx_model=MODEL)
    capture.estimator.warm_up()
    synth = PiperSpeechSynthesizer() if args.voice == "piper" else EspeakNgSpeechSynthesizer()
    synth.warm_up()  # model load is start-up work, as in the worker
    load = os.getloadavg()
    start = time.perf_counter()
    result = AnalyseSwingVideo(capture=capture).run(clip, args.playback_speed)
    with tempfile.TemporaryDirectory() as tmp:
        stages = compose_coached_video(synth, PyAvSwingVideoCompositor(), clip, result, Path(tmp) / "out.mp4")
    wall = time.perf_counter() - start
    s = result.stage_seconds
    parts = {"capture (decode+pose)": s["capture"], "events/checks/script": s["swing_analysis"],
             "tts": stages["tts"], "composite": stages["composite"]}
    dur = result.video.duration
    print(f"clip {clip.name}: {dur:.2f} s, {result.analysis.frame_count} frames; backend {args.backend}, "
          f"voice {synth.name}, playback {args.playback_speed}x; load average before {load[0]:.2f}")
    for name, sec in parts.items():
        print(f"  {name:<22} {sec:7.2f} s  {100 * sec / wall:5.1f} %")
    print(f"  {'total':<22} {wall:7.2f} s  = {wall / dur:.2f}x the clip's duration (goal <= 2x)")
    capture.estimator.close()


if __name__ == "__main__":
    main()
