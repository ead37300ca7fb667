"""Command line: ``dance analyze VIDEO`` and room for more subcommands (add one with ``_add_<name>``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from application.analysis import AnalysisOutcome, AnalysisPipeline
from application.ports.analysis import MediaError
from domain.analysis.errors import AnalysisFailed
from domain.analysis.pose import PoseTrack
from entrypoints.cli_swing import add_swing_subcommand
from entrypoints.pipeline_factory import make_pipeline

DEFAULT_ONNX_MODEL = Path(__file__).resolve().parent.parent.parent / "shared" / "models" / "pose_landmark_full.onnx"


def build_pipeline(
    backend: str = "mediapipe",
    *,
    onnx_model: Path | None = None,
    providers: Sequence[str] | None = None,
    sample_fps: float = 15.0,
    max_side: int | None = 640,
) -> AnalysisPipeline:
    return make_pipeline(backend, onnx_model=onnx_model or DEFAULT_ONNX_MODEL,
                         providers=list(providers) if providers else None, sample_fps=sample_fps, max_side=max_side)


# --- analyze -------------------------------------------------------------------------------------------


def _add_analyze(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("analyze", help="score a dance video")
    p.add_argument("video", type=Path)
    p.add_argument("--backend", choices=("mediapipe", "onnx"), default="mediapipe")
    p.add_argument("--onnx-model", type=Path, default=None, help=f"default {DEFAULT_ONNX_MODEL}")
    p.add_argument("--providers", default=None, help="ONNX Runtime providers, comma separated")
    p.add_argument("--fps", type=float, default=15.0, help="analysis frame rate")
    p.add_argument("--max-side", type=int, default=640, help="downscale frames to this long side before pose")
    p.add_argument("--target-bpm", type=float, default=None)
    p.add_argument("--reference", type=Path, default=None, help="a demo video to compare with")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--report", type=Path, default=None, help="write a one-page PNG report")
    p.set_defaults(handler=_analyze)


def _analyze(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True)
    pipeline = build_pipeline(
        args.backend,
        onnx_model=args.onnx_model,
        providers=args.providers.split(",") if args.providers else None,
        sample_fps=args.fps,
        max_side=args.max_side,
    )
    try:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(), console=err, disable=args.json,
        ) as bar:
            reference: PoseTrack | None = None
            if args.reference is not None:
                task = bar.add_task("demo", total=1.0)
                reference = _reference_track(pipeline, args.reference, lambda f: bar.update(task, completed=f))
            task = bar.add_task("analysis", total=1.0)
            outcome = pipeline.run(
                args.video,
                target_bpm=args.target_bpm,
                reference=reference,
                progress=lambda f: bar.update(task, completed=f),
            )
    except (MediaError, AnalysisFailed) as exc:
        reason = exc.reason if isinstance(exc, AnalysisFailed) else str(exc)
        if args.json:
            print(json.dumps({"error": reason}))
        else:
            err.print(f"[red]Cannot analyse {args.video.name}:[/red] {reason}")
        return 2
    finally:
        pipeline.capture.estimator.close()

    if args.json:
        print(json.dumps(_outcome_dict(outcome), indent=2))
    else:
        _print_outcome(outcome)
    if args.report is not None:
        draw_report(outcome, args.report, target_bpm=args.target_bpm)
        if not args.json:
            err.print(f"report written to {args.report}")
    return 0


def _reference_track(pipeline: AnalysisPipeline, path: Path, progress: Callable[[float], None]) -> PoseTrack:
    track = pipeline.track(path)
    progress(1.0)
    return track


def _outcome_dict(o: AnalysisOutcome) -> dict[str, Any]:
    return {
        "video": {
            "width": o.video.width, "height": o.video.height, "fps": o.video.fps,
            "duration": o.video.duration, "rotation": o.video.rotation, "container": o.video.container,
        },
        "report": o.report.to_dict(),
        "music": None if o.beats is None else {
            "tempo_bpm": o.beats.tempo_bpm, "beats": len(o.beats.beat_times), "source": o.beats.source
        },
        "frames": o.track.frame_count,
        "detected_share": float(o.track.detected().mean()) if o.track.frame_count else 0.0,
        "stage_seconds": o.stage_seconds,
    }


def _print_outcome(o: AnalysisOutcome) -> None:
    from rich.console import Console
    from rich.table import Table

    from domain.analysis.scoring.model import MAX_POINTS

    console = Console()
    table = Table(title=f"Score {o.report.total:.1f} / 100  (confidence {o.report.confidence:.0%})")
    table.add_column("part")
    table.add_column("points", justify="right")
    for name, points in o.report.breakdown().items():
        table.add_row(name, f"{points:.1f} / {MAX_POINTS[name]:.0f}")
    console.print(table)
    music = "no music beats" if o.beats is None else f"music {o.beats.tempo_bpm:.1f} BPM"
    console.print(f"rhythm judged on: {o.report.rhythm_basis} ({music})")
    for item in o.report.feedback_items:
        console.print(f"- {item}")
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in o.stage_seconds.items())
    console.print(f"[dim]{stages}[/dim]")


def draw_report(o: AnalysisOutcome, out: Path, *, target_bpm: float | None = None) -> None:
    """One page: what was measured and how far to trust it (confidence, rhythm basis, people in view, warnings),
    score bars, centre-of-mass path, body speed with the pulse danced to (music beats or the stated tempo) and the
    motion beats, and every feedback line."""
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from domain.analysis.geometry import centre_of_mass
    from domain.analysis.scoring.model import MAX_POINTS
    from domain.analysis.scoring.prepare import prepare_track
    from domain.analysis.scoring.rhythm import kinetic_speed, motion_beats

    r = o.report
    fig = plt.figure(figsize=(11, 11))
    grid = fig.add_gridspec(3, 2, height_ratios=[1, 1, 0.9])
    fig.suptitle(f"iDance performance analysis: {r.total:.1f} / {r.total_max:.0f}", fontsize=16)
    basis = {"music_beats": "against the music's beats", "target_bpm": f"against the stated {target_bpm or 0:g} BPM",
             "not_measurable": "not measured"}.get(r.rhythm_basis, r.rhythm_basis)
    people = int(r.metrics.get("people_detected", 1))
    facts = (f"confidence {r.confidence:.0%}  ·  rhythm {basis}  ·  {people} "
             f"{'person' if people == 1 else 'people'} detected  ·  {o.video.duration:.1f} s of video")
    fig.text(0.5, 0.945, facts, ha="center", fontsize=10, color="#444")

    ax = fig.add_subplot(grid[0, 0])
    names = list(r.breakdown())
    values = [r.breakdown()[n] for n in names]
    ax.barh(names, [MAX_POINTS[n] for n in names], color="#ddd")
    ax.barh(names, values, color="#3a7")
    for y, (n, v) in enumerate(zip(names, values, strict=True)):
        label = "not measured" if n == "rhythm" and not r.rhythm_measured else f"{v:.1f}/{MAX_POINTS[n]:.0f}"
        ax.text(v + 0.3, y, label, va="center")
    ax.set_title("Scores")
    ax.invert_yaxis()

    ax = fig.add_subplot(grid[0, 1])
    xy = o.track.landmarks[:, :, :2]
    com = centre_of_mass(xy)
    ax.plot(com[:, 0], com[:, 1], lw=1, color="#37a")
    ax.set_xlim(0, o.track.width)
    ax.set_ylim(o.track.height, 0)  # image coordinates: y down
    ax.set_aspect("equal")
    ax.set_title("Centre of mass path (pixels)")

    ax = fig.add_subplot(grid[1, :])
    try:
        p = prepare_track(o.track)
        speed = kinetic_speed(p)
        ax.plot(p.times, speed, color="#333", lw=1, label="body speed")
        for i, t in enumerate(motion_beats(p, speed)):
            ax.axvline(t, color="#e63", lw=1, ls="--", label="motion beat" if i == 0 else None)
    except AnalysisFailed:
        ax.text(0.5, 0.5, "no usable pose for a speed curve", transform=ax.transAxes, ha="center")
    if o.beats is not None:
        for i, t in enumerate(o.beats.beat_times):
            ax.axvline(float(t), color="#37a", lw=1, alpha=0.5, label="music beat" if i == 0 else None)
    elif target_bpm:
        period = 60.0 / target_bpm
        for i in range(int(o.video.duration / period) + 1):
            ax.axvline(i * period, color="#37a", lw=1, alpha=0.4, ls=":", label="stated tempo" if i == 0 else None)
    ax.set_xlabel("seconds")
    ax.set_ylabel("torso lengths / s")
    ax.set_title("Speed with the pulse danced to and the motion beats")
    ax.legend(loc="upper right")

    ax = fig.add_subplot(grid[2, :])
    ax.axis("off")
    lines = [*(f"! {w}" for w in r.warnings), *(f"- {f}" for f in r.feedback_items)]
    if r.rhythm_reason:
        lines.insert(0, f"! rhythm: {r.rhythm_reason}")
    wrapped = "\n".join(textwrap.fill(line, 125, subsequent_indent="  ") for line in lines)
    ax.text(0.0, 1.0, wrapped or "(no feedback)", va="top", fontsize=8, family="monospace", transform=ax.transAxes)
    ax.set_title("Feedback", loc="left")
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    fig.savefig(out, dpi=100)
    plt.close(fig)


# --- entry point -----------------------------------------------------------------------------------------

def _add_breakdown(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from entrypoints.cli_breakdown import add_breakdown_subcommand

    add_breakdown_subcommand(sub)


def _add_choreograph(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from entrypoints.cli_choreography import add_choreograph_subcommand

    add_choreograph_subcommand(sub)


_SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    _add_analyze, _add_breakdown, add_swing_subcommand, _add_choreograph,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dance", description="Dance backend tools")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in _SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
