"""``dance breakdown VIDEO [--json]``: a video cut into steps on its beat grid, with a progress bar.

The outline video, thumbnail and playable copy go to a local blob folder (``--out``, default ./var/breakdown-cli).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

from adapters.media.opencv_outline import OpenCvOutlineRenderer
from adapters.storage.local import LocalBlobStore
from application.breakdown.break_down import BreakDownDance, BreakdownOutcome, BreakdownRequest, LockedCapture
from domain.breakdown.errors import BreakdownFailed
from entrypoints.pipeline_factory import make_capture

DEFAULT_ONNX_MODEL = Path(__file__).resolve().parent.parent.parent / "shared" / "models" / "pose_landmark_full.onnx"


def add_breakdown_subcommand(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("breakdown", help="cut a dance video into steps on its beat grid and describe each")
    p.add_argument("video", type=Path)
    p.add_argument("--mode", choices=("auto", "manual"), default="auto")
    p.add_argument("--target-difficulty", choices=("beginner", "intermediate", "advanced"), default="intermediate")
    p.add_argument("--backend", choices=("mediapipe", "onnx"), default="onnx")
    p.add_argument("--onnx-model", type=Path, default=DEFAULT_ONNX_MODEL)
    p.add_argument("--out", type=Path, default=Path("var") / "breakdown-cli", help="where media are written")
    p.add_argument("--json", action="store_true", help="the spec 001 answer as JSON")
    p.set_defaults(handler=run_breakdown)


def run_breakdown(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True)
    capture = make_capture(args.backend, onnx_model=args.onnx_model)
    store = LocalBlobStore(args.out, secret="cli", public_base_url="file://")
    use_case = BreakDownDance(capture=LockedCapture(capture), renderer=OpenCvOutlineRenderer(), blobs=store)
    request = BreakdownRequest(user_id="cli", breakdown_id=uuid.uuid4().hex[:12], video_path=args.video,
                               mode=args.mode, target_difficulty=args.target_difficulty)
    try:
        with Progress(TextColumn("breakdown"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                      TimeElapsedColumn(), console=err, disable=args.json) as bar:
            task = bar.add_task("breakdown", total=1.0)

            async def progress(fraction: float) -> None:
                bar.update(task, completed=fraction)

            outcome = asyncio.run(use_case.run(request, progress))
    except BreakdownFailed as exc:
        if args.json:
            print(json.dumps({"success": False, "error_message": exc.reason}))
        else:
            err.print(f"[red]Cannot break down {args.video.name}:[/red] {exc.reason}")
        return 2
    finally:
        capture.estimator.close()
    answer = _answer(outcome, store)
    if args.json:
        print(json.dumps(answer, indent=2))
    else:
        _print(answer, err)
    return 0


def _answer(outcome: BreakdownOutcome, store: LocalBlobStore) -> dict[str, Any]:
    from application.breakdown.views import MediaUrls

    paths = {k: str(store.path_for(v)) for k, v in outcome.media.items()}
    return outcome.answer(MediaUrls(paths.get("playable"), paths.get("outline"), paths.get("thumbnail")))


def _print(answer: dict[str, Any], console: Any) -> None:
    ra = answer["routine_analysis"]
    console.print(f"{answer['total_steps']} steps at {answer['bpm']} BPM ({ra['tempo_source']}), "
                  f"{answer['difficulty_level']}")
    for s in answer["steps"]:
        console.print(f"[bold]{s['step_number']}. {s['start_timestamp']}-{s['end_timestamp']} {s['step_name']}[/bold]"
                      f" ({s['difficulty_level']})")
        console.print(f"   {s['global_description']}")
    console.print(f"outline video: {answer['outline_url']}")
