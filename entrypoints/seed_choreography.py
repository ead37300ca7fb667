"""Demo data for choreography: the generated demo songs (titled "(generated)", analysed once) and, when the shared
clips are present, the move library ingested from them into VAR_DIR (once; later seeds reuse it)."""

from __future__ import annotations

import sys
from pathlib import Path

from taskiq import InMemoryBroker

from adapters.music.demo_song_files import write_demo_song
from application.choreography.catalogue import AddSong, AddSongCommand, AnalyseSong
from application.choreography.ports import SongRepository
from domain.choreography.catalogue import Song
from domain.choreography.demo_songs import DEMO_SPECS
from entrypoints.settings import Settings


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
    if (library / "moves.json").is_file():
        return
    if not (clips / "annotations.json").is_file():
        print(f"no move clips at {clips}: the move library is empty, so generation fails with that reason "
              "(add clips with `python -m entrypoints.manage ingest-moves DIR`)", file=sys.stderr)
        return
    from entrypoints.manage_moves import ingest_moves_async

    print(f"ingesting the move library from {clips} into {library} (once; a few minutes)", file=sys.stderr)
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
