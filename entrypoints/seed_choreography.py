"""Demo data for choreography: the generated demo songs (titled "(generated)", analysed once) and the move library:
ingested from the shared clips into VAR_DIR when they are present (once; later seeds reuse it), else the generated
demo library (an animated figure's moves)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

from taskiq import InMemoryBroker

from adapters.music.demo_song_files import write_demo_song
from application.choreography.catalogue import AddSong, AddSongCommand, AnalyseSong
from application.choreography.ports import SongRepository
from domain.choreography.catalogue import Song
from domain.choreography.demo_moves import DEMO_MOVES
from domain.choreography.demo_songs import DEMO_SPECS
from entrypoints.settings import DEMO_CLIPS, Settings


async def add_song_file(settings: Settings, path: Path, title: str, artist: str, genre: str | None = None,
                        generated: bool = False) -> Song:
    """Store, record and analyse one song now (its queued analysis job then finds it done)."""
    from entrypoints.ioc import make_container

    container = make_container(settings, InMemoryBroker())
    try:
        async with container() as scope:
            add = await scope.get(AddSong)
            song = await add(AddSongCommand(title=title, artist=artist, genre=genre, filename=path.name,
                                            data=path.read_bytes(), generated=generated,
                                            queue_analysis=False), None)
        async with container() as scope:
            return await (await scope.get(AnalyseSong))(song.id)
    finally:
        await container.close()


async def _known(settings: Settings, title: str) -> bool:
    from entrypoints.ioc import make_container

    container = make_container(settings, InMemoryBroker())
    try:
        async with container() as scope:
            return await (await scope.get(SongRepository)).by_title(title) is not None
    finally:
        await container.close()


async def seed_move_library(settings: Settings) -> None:
    library = settings.move_library_path
    clips = Path(settings.move_clips_dir)
    demo = library / DEMO_CLIPS
    real_clips = (clips / "annotations.json").is_file()
    if demo.is_dir() and real_clips:  # real clips have arrived since the demo library was built: replace it
        shutil.rmtree(demo)
        for name in ("moves.json", "moves.faiss", "scaler.json"):
            (library / name).unlink(missing_ok=True)
    if (library / "moves.json").is_file():
        return
    if not real_clips:
        from adapters.media.figure_clips import OpenCvFigureClipWriter
        from adapters.search.faiss_moves import FaissMoveIndex
        from adapters.search.move_library_files import FileMoveLibrary
        from application.choreography.demo_library import BuildDemoLibrary

        print(f"no move clips at {clips}: building the generated demo library (an animated figure, "
              f"{len(DEMO_MOVES)} moves) in {library}; add real clips with "
              "`python -m entrypoints.manage ingest-moves DIR`", file=sys.stderr)
        index = FaissMoveIndex()
        built = BuildDemoLibrary(writer=OpenCvFigureClipWriter(), store=FileMoveLibrary(library), index=index)
        # clips first into a scratch folder, renamed into place last: the clip root switches to it only whole
        scratch = library / (DEMO_CLIPS + ".part")
        shutil.rmtree(scratch, ignore_errors=True)
        records = await asyncio.to_thread(built, scratch)
        index.save(library)
        scratch.rename(demo)
        print(f"move library: {len(records)} generated demo moves")
        return
    from entrypoints.manage_moves import ingest_moves_async

    print(f"ingesting the move library from {clips} into {library} (once; about 15 minutes on 2 cores: each clip "
          "is tracked whole and afresh from each half phrase)", file=sys.stderr)
    report = await ingest_moves_async(clips, library, backend=settings.pose_backend,
                                      onnx_model=Path(settings.pose_onnx_model))
    print(f"move library: {len(report.records)} moves, {len(report.skipped)} clips skipped")


async def seed_choreography(settings: Settings) -> None:
    folder = Path(settings.var_dir) / "demo-songs"
    for spec in DEMO_SPECS:
        if await _known(settings, spec.title):
            continue
        path = write_demo_song(spec, folder)
        song = await add_song_file(settings, path, spec.title, "Dance backend (generated)", "traditional", True)
        print(f"demo song {song.id}: {song.title}, measured {song.bpm} BPM, {song.duration} s")
    await seed_move_library(settings)
