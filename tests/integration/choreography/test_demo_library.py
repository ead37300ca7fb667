"""The generated demo library a fresh install builds without real clips: seeded, measured, and rendered into a
choreography whose length matches the song (no shared media needed)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from adapters.media.ffmpeg_assembler import FfmpegVideoAssembler
from adapters.music.demo_song_files import write_demo_song
from adapters.search.move_library_files import FileMoveLibrary
from application.choreography.generate import GenerateCommand, plan_blueprint
from domain.choreography.blueprint import Preferences
from domain.choreography.demo_moves import DEMO_MOVES
from domain.choreography.demo_songs import DemoSpec
from domain.storage.keys import BlobKey
from entrypoints.ioc.choreography import open_move_index
from entrypoints.seed_choreography import seed_move_library
from entrypoints.settings import Settings

SHORT = DemoSpec("Short demo (generated)", 124.0, plan=(("intro", 1), ("verse", 2), ("chorus", 2), ("outro", 1)))


async def test_a_fresh_install_without_clips_builds_the_demo_library_and_dances_on_it(
    tmp_path: Path, song_analyzer
) -> None:
    settings = Settings(var_dir=str(tmp_path / "var"), move_clips_dir=str(tmp_path / "no-clips-here"))
    await seed_move_library(settings)
    library = settings.move_library_path
    records = FileMoveLibrary(library).load()
    assert [r.clip_id for r in records] == [m.clip_id for m in DEMO_MOVES]
    assert settings.move_clip_root == library / "demo-clips"
    assert sorted(p.name for p in settings.move_clip_root.glob("*.mp4")) == sorted(
        f"{m.clip_id}.mp4" for m in DEMO_MOVES)
    # measured by the same code as captured clips: counted on the figure's own steps at its tempo, 16 counts
    assert all(r.counts == 16 and r.count_source == "steps" for r in records)
    assert [round(r.tempo_bpm) for r in records] == [round(m.tempo_bpm) for m in DEMO_MOVES]
    # the figure stops on every count (smoothstep), so the counts sit on its steps
    assert np.mean([r.step_alignment for r in records]) == pytest.approx(0.461, abs=0.01)
    assert all(len(r.cut_entries) == 4 for r in records)
    # a second seed keeps it
    await seed_move_library(settings)
    assert FileMoveLibrary(library).load() == records

    song_path = write_demo_song(SHORT, tmp_path / "songs")
    song = song_analyzer.analyze(song_path)
    index = open_move_index(library)
    cmd = GenerateCommand(task_id="demo", song_path=song_path, result_key=BlobKey.parse("renders/demo.mp4"),
                          preferences=Preferences(difficulty="beginner", style="romantic"))
    blueprint, matching = plan_blueprint(index, song, cmd)
    assert matching == len(DEMO_MOVES)
    assert blueprint.moves[0].move_label == "intros" and blueprint.moves[-1].move_label == "outro"
    out = tmp_path / "demo.mp4"
    FfmpegVideoAssembler("480p").assemble(blueprint, settings.move_clip_root, out)
    with av.open(str(out)) as c:
        assert c.duration / 1e6 == pytest.approx(song.duration, abs=0.5)
        assert c.streams.video[0].codec_context.height == 480


async def test_real_clips_arriving_later_replace_the_demo_library(tmp_path: Path) -> None:
    settings = Settings(var_dir=str(tmp_path / "var"), move_clips_dir=str(tmp_path / "clips"))
    await seed_move_library(settings)
    assert settings.move_clip_root.name == "demo-clips"
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "annotations.json").write_text('{"clips": []}')  # a studio's folder (empty here: nothing ingests)
    await seed_move_library(settings)
    assert settings.move_clip_root == clips
    assert FileMoveLibrary(settings.move_library_path).load() == []
