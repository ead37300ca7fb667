"""``ingest-moves DIR``: capture a folder of labelled move clips into the move library (records + FAISS index).

The lead hooks ``add_ingest_moves_subcommand`` into ``entrypoints/manage.py``; ``python -m entrypoints.manage_moves
ingest-moves DIR`` works on its own meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from adapters.search.faiss_moves import FaissMoveIndex
from adapters.search.move_library_files import FileMoveLibrary
from application.choreography.ingest import IngestMoves, IngestReport
from entrypoints.pipeline_factory import make_capture

DEFAULT_LIBRARY = Path("var/moves")
DEFAULT_ONNX = Path("../shared/models/pose_landmark_full.onnx")


def ingest_moves(folder: Path, library: Path = DEFAULT_LIBRARY, *, backend: str = "onnx",
                 onnx_model: Path | None = DEFAULT_ONNX, reuse_tracks: bool = True,
                 quiet: bool = False) -> IngestReport:
    """From synchronous code (the command line); inside an event loop, await ``ingest_moves_async``."""
    return asyncio.run(ingest_moves_async(folder, library, backend=backend, onnx_model=onnx_model,
                                          reuse_tracks=reuse_tracks, quiet=quiet))


async def ingest_moves_async(folder: Path, library: Path = DEFAULT_LIBRARY, *, backend: str = "onnx",
                             onnx_model: Path | None = DEFAULT_ONNX, reuse_tracks: bool = True,
                             quiet: bool = False) -> IngestReport:
    store = FileMoveLibrary(library)
    index = FaissMoveIndex()
    # Raw crop points: they follow one partner of a couple better, and the committed library of the 58 shared
    # clips was captured with them (see adapters/analysis/onnx_pose.py).
    use_case = IngestMoves(capture=make_capture(backend, onnx_model=onnx_model, smooth_crop=False), store=store,
                           index=index, cache=store if reuse_tracks else None)

    def show(done: int, total: int, clip_id: str) -> None:
        if not quiet:
            print(f"[{done}/{total}] {clip_id}", file=sys.stderr)

    report = await use_case(folder, show)
    if report.records:
        index.save(library)
    return report


def _run(args: argparse.Namespace) -> int:
    report = ingest_moves(Path(args.dir), Path(args.library), backend=args.backend,
                          onnx_model=Path(args.onnx_model) if args.onnx_model else None,
                          reuse_tracks=not args.recapture)
    for clip_id, why in report.skipped.items():
        print(f"skipped {clip_id}: {why}")
    labels = sorted({r.move_label for r in report.records})
    print(f"{len(report.records)} moves ({len(labels)} labels) in {args.library}; captured {report.captured} clips now")
    return 0 if report.records else 1


def add_ingest_moves_subcommand(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ingest-moves", help="capture labelled move clips (DIR with annotations.json) into the library")
    p.add_argument("dir")
    p.add_argument("--library", default=str(DEFAULT_LIBRARY), help="library folder (records, tracks, FAISS index)")
    p.add_argument("--backend", default="onnx", choices=("onnx", "mediapipe"))
    p.add_argument("--onnx-model", default=str(DEFAULT_ONNX))
    p.add_argument("--recapture", action="store_true", help="capture again even where a pose track is stored")
    p.set_defaults(handler=_run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="manage_moves")
    add_ingest_moves_subcommand(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
