"""Dance breakdown speed: a 30 s 720p, 30 fps clip (three shared clips joined over one music track) end to end.

Prints absolute seconds per stage and the ratio to real time. Run on an otherwise idle machine; the 2-core
development machine is shared by several people, so figures from it vary.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.media.opencv_outline import OpenCvOutlineRenderer  # noqa: E402
from adapters.storage.local import LocalBlobStore  # noqa: E402
from application.breakdown.break_down import BreakDownDance, BreakdownRequest, LockedCapture  # noqa: E402
from entrypoints.pipeline_factory import make_capture  # noqa: E402
from tests.integration.breakdown.routine_builder import build_routine  # noqa: E402

MEDIA = ROOT.parent / "shared" / "media"
MODEL = ROOT.parent / "shared" / "models" / "pose_landmark_full.onnx"


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / "routine_720p.mp4"
        build_routine([MEDIA / "video" / "03_exercise_jumpingjacks_romp.mp4",
                       MEDIA / "video" / "05_walk_sideview_sports2d.mp4",
                       MEDIA / "video" / "08_fashion_turn_ubc_91bxAN6BjAS.mp4"],
                      [9.4, 22.0], 30.0, MEDIA / "audio" / "librosa_vibeace.ogg", clip, size=(1280, 720), fps=30)
        capture = make_capture("onnx", onnx_model=MODEL)
        capture.estimator.warm_up()
        capture.audio_analyzer.warm_up()
        use_case = BreakDownDance(capture=LockedCapture(capture), renderer=OpenCvOutlineRenderer(),
                                  blobs=LocalBlobStore(Path(tmp) / "blobs", secret="b", public_base_url="file://"))
        started = time.perf_counter()
        out = await use_case.run(BreakdownRequest(user_id="bench", breakdown_id="b", video_path=clip))
        total = time.perf_counter() - started
        print(f"30.0 s of 1280x720 at 30 fps: {len(out.breakdown.steps)} steps at {out.breakdown.bpm} BPM")
        for name, seconds in out.stage_seconds.items():
            print(f"  {name:24s} {seconds:6.2f} s")
        print(f"end to end {total:.1f} s, {30.0 / total:.2f}x real time (goal: <= 15 s, >= 2x)")


if __name__ == "__main__":
    asyncio.run(main())
