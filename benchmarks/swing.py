"""The swing coach end to end on the shared GolfDB clip: capture at full rate, events/checks/script, speech,
composited video; absolute seconds, each stage's share and the ratio to the clip's duration (goal <= 2x).

    python benchmarks/swing.py [--backend onnx|mediapipe] [--voice piper|espeak] [--playback-speed 0.25]

Also: the live detector's latency per frame on the app's stream (decode of the base64 JPEG + motion energy), and
the FutureGolf app's start-up speech burst (its 9 prompts requested at once; 20 s timeout each in the app).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.media.pyav_swing_compositor import PyAvSwingVideoCompositor  # noqa: E402
from adapters.speech.espeak_ng import EspeakNgSpeechSynthesizer  # noqa: E402
from adapters.speech.piper_tts import PiperSpeechSynthesizer  # noqa: E402
from adapters.speech.pyav_encoder import PyAvSpeechEncoder  # noqa: E402
from adapters.vision.opencv_frames import decode_grey_jpeg  # noqa: E402
from application.coaching.analyse import AnalyseSwingVideo, compose_coached_video  # noqa: E402
from application.coaching.live import LiveSwingSession  # noqa: E402
from application.coaching.speech import APP_PROMPTS, SpeechService  # noqa: E402
from entrypoints.pipeline_factory import make_capture  # noqa: E402
from tests.integration.coaching.test_live_detection import EPOCH, STEP, app_frames  # noqa: E402

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
    detector_latency(clip)
    asyncio.run(speech_burst(synth))


def detector_latency(clip: Path, rounds: int = 20) -> None:
    frames = app_frames(clip)
    times = []
    for _ in range(rounds):
        session = LiveSwingSession(decode=decode_grey_jpeg)
        for k, frame in enumerate(frames):
            start = time.perf_counter()
            session.handle({"timestamp": EPOCH + STEP * k, "image_base64": frame})
            times.append(time.perf_counter() - start)
    times.sort()
    print(f"live detector: {len(times)} app frames, {1000 * statistics.mean(times):.2f} ms mean, "
          f"{1000 * times[int(0.95 * len(times))]:.2f} ms p95 per frame (the app sends one every {STEP} s)")


async def speech_burst(synth: object) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        speech = SpeechService(synthesizer=synth, encoder=PyAvSpeechEncoder(), executor=pool)  # type: ignore[arg-type]
        await speech.warm_up(prompts=())  # the voice only: this measures the burst on a cold cache
        start = time.perf_counter()
        answered: list[float] = []

        async def one(text: str) -> None:
            await speech(text, "onyx", 0.9, "mp3")
            answered.append(time.perf_counter() - start)

        await asyncio.gather(*(one(t) for t in APP_PROMPTS))
        print(f"speech burst: {len(APP_PROMPTS)} prompts at once, MP3 at speed 0.9, cold cache: all answered "
              f"in {max(answered):.2f} s (the app's timeout: 20 s each); again from the cache: ", end="")
        start = time.perf_counter()
        await asyncio.gather(*(speech(t, "onyx", 0.9, "mp3") for t in APP_PROMPTS))
        print(f"{1000 * (time.perf_counter() - start):.1f} ms")


if __name__ == "__main__":
    main()
