"""Speed of the analysis pipeline per pose backend: seconds of video analysed per second of work.

    python benchmarks/pose_pipeline.py [--backend mediapipe|onnx|all] [--providers CUDAExecutionProvider,...]
                                       [--probe-every S]   # the look for other people every S s (0: off)
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.analysis.librosa_audio import LibrosaAudioAnalyzer  # noqa: E402
from entrypoints.cli import build_pipeline  # noqa: E402

CLIPS = ("05_walk_sideview_sports2d.mp4", "03_exercise_jumpingjacks_romp.mp4", "01_dance_solo_musepose.mp4")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=("mediapipe", "onnx", "all"), default="all")
    ap.add_argument("--providers", default=None, help="ONNX Runtime providers, comma separated")
    ap.add_argument("--onnx-model", type=Path, default=None)
    media = Path(os.environ.get("DANCE_MEDIA_DIR", ROOT.parent / "shared" / "media"))
    ap.add_argument("--media", type=Path, default=media)
    ap.add_argument("--fps", type=float, default=15.0)
    ap.add_argument("--max-side", type=int, default=640)
    ap.add_argument("--repeat", type=int, default=2, help="runs per clip; the best is reported")
    ap.add_argument("--probe-every", type=float, default=None,
                    help="seconds between looks for other people beside the dancer (default: the adapter's; 0: off)")
    args = ap.parse_args()

    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}")
    print(f"analysis at {args.fps:g} fps, frames downscaled to a long side of {args.max_side}px")
    LibrosaAudioAnalyzer().warm_up()  # numba compilation is a one-off cost, not per-request work
    backends = ("mediapipe", "onnx") if args.backend == "all" else (args.backend,)
    for backend in backends:
        providers = args.providers.split(",") if args.providers else None
        pipeline = build_pipeline(
            backend, onnx_model=args.onnx_model, providers=providers, sample_fps=args.fps, max_side=args.max_side
        )
        pipeline.capture.audio_analyzer.warm_up()
        if args.probe_every is not None:
            pipeline.capture.estimator.probe_every_s = args.probe_every  # type: ignore[attr-defined]
        probe = getattr(pipeline.capture.estimator, "probe_every_s", None)
        extra = f" providers={getattr(pipeline.capture.estimator, 'providers', '')}" if backend == "onnx" else ""
        print(f"\n== {backend}{extra} probe every {probe} s")
        try:
            for name in CLIPS:
                path = args.media / "video" / name
                best = None
                for _ in range(max(1, args.repeat)):
                    start = time.perf_counter()
                    outcome = pipeline.run(path)
                    wall = time.perf_counter() - start
                    if best is None or wall < best[0]:
                        best = (wall, outcome)
                assert best is not None
                wall, o = best
                s = o.stage_seconds
                print(
                    f"{name:40s} {o.video.width}x{o.video.height} {o.video.fps:5.2f} fps {o.video.duration:5.1f} s: "
                    f"{o.video.duration / wall:5.2f}x real time ({wall:.2f} s) | decode {s['decode']:.2f} "
                    f"pose {s['pose']:.2f} (decode+pose wall {s['decode_pose_wall']:.2f}) audio {s['audio']:.2f} "
                    f"scoring {s['scoring']:.2f} | {o.track.frame_count} frames, "
                    f"{1000 * s['pose'] / max(1, o.track.frame_count):.1f} ms/frame pose"
                )
        finally:
            pipeline.capture.estimator.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
