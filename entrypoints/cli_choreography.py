"""``python -m entrypoints.cli choreograph SONG --difficulty ... [--out video.mp4]``: a choreography video for a song.

The lead adds ``add_choreograph_subcommand`` to ``_SUBCOMMANDS`` in ``entrypoints/cli.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rich.progress import Progress

from adapters.media.ffmpeg_assembler import RESOLUTIONS, FfmpegVideoAssembler
from adapters.music.librosa_song import LibrosaSongAnalyzer
from adapters.search.faiss_moves import FaissMoveIndex
from adapters.search.move_library_files import FileMoveLibrary
from application.choreography.generate import GenerateCommand, plan_blueprint
from application.ports.analysis import MediaError
from domain.choreography.blueprint import BlueprintError, Preferences
from domain.choreography.query import DIFFICULTIES, ENERGIES, STYLES, QueryNotUnderstood, parse_query
from domain.storage.keys import BlobKey


def _run(args: argparse.Namespace) -> int:
    library = Path(args.library)
    records = FileMoveLibrary(library).load()
    if not records:
        print(f"the move library {library} is empty: run `python -m entrypoints.manage ingest-moves DIR` first",
              file=sys.stderr)
        return 2
    index = FaissMoveIndex.open(library, records)
    if args.query:
        try:
            parsed = parse_query(args.query)
        except QueryNotUnderstood as exc:
            print(str(exc), file=sys.stderr)
            return 2
        prefs = parsed.preferences()
        print(json.dumps({"parsed_parameters": parsed.to_parameters()}))
    else:
        prefs = Preferences(difficulty=args.difficulty, energy_level=args.energy, style=args.style)
    out = Path(args.out)
    started = time.perf_counter()
    try:
        song = LibrosaSongAnalyzer().analyze(Path(args.song))
        cmd = GenerateCommand(task_id=out.stem, song_path=Path(args.song), preferences=prefs,
                              result_key=BlobKey.parse("renders/cli/" + out.name), resolution=args.resolution)
        blueprint, matching = plan_blueprint(index, song, cmd)
        print(f"Music analyzed: {song.tempo_bpm:.1f} BPM, {song.duration:.1f}s; found {matching} matching moves; "
              f"{len(blueprint.moves)} moves on {len(song.phrases)} 8-counts")
        if args.blueprint:
            Path(args.blueprint).write_text(json.dumps(blueprint.to_dict(), indent=1))
        with Progress() as bar:
            task = bar.add_task("assembling", total=1.0)
            duration = FfmpegVideoAssembler(resolution=args.resolution).assemble(
                blueprint, Path(args.clips), out, lambda f: bar.update(task, completed=f))
    except (MediaError, BlueprintError) as exc:
        print(f"failed: {exc}", file=sys.stderr)
        return 1
    print(f"{out}: {duration:.1f} s of video in {time.perf_counter() - started:.1f} s")
    return 0


def add_choreograph_subcommand(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("choreograph", help="make a choreography video for a song from the move library")
    p.add_argument("song")
    p.add_argument("--difficulty", default="intermediate", choices=DIFFICULTIES)
    p.add_argument("--energy", default="medium", choices=ENERGIES)
    p.add_argument("--style", default="modern", choices=STYLES)
    p.add_argument("--query", help="a request in words instead of the three options")
    p.add_argument("--out", default="choreography.mp4")
    p.add_argument("--resolution", default="480p", choices=tuple(RESOLUTIONS))
    p.add_argument("--library", default="var/moves", help="the move library folder (ingest-moves)")
    p.add_argument("--clips", default="../shared/media/moves", help="the folder the library's clips are in")
    p.add_argument("--blueprint", help="also write the blueprint JSON here")
    p.set_defaults(handler=_run)
