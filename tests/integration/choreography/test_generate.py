"""Blueprint -> video on real clips: the use case through its stages, the MP4's duration and streams."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from adapters.media.ffmpeg_assembler import FfmpegVideoAssembler
from adapters.music.demo_song_files import write_demo_song
from adapters.music.librosa_song import LibrosaSongAnalyzer
from adapters.search.faiss_moves import FaissMoveIndex
from adapters.storage.local import LocalBlobStore
from application.choreography.generate import GenerateChoreography, GenerateCommand
from domain.choreography.blueprint import Preferences
from domain.choreography.demo_songs import DemoSpec
from domain.storage.keys import BlobKey

pytestmark = pytest.mark.media

SHORT = DemoSpec("Short demo (generated)", 128.0, plan=(("intro", 1), ("verse", 2), ("chorus", 2), ("outro", 1)))


async def test_generate_goes_through_the_stages_and_uploads_a_matching_mp4(
    tmp_path: Path, moves_dir: Path, move_index: FaissMoveIndex, song_analyzer: LibrosaSongAnalyzer
) -> None:
    song_path = write_demo_song(SHORT, tmp_path / "songs")
    blobs = LocalBlobStore(tmp_path / "blobs", secret="s", public_base_url="http://test")
    use_case = GenerateChoreography(analyzer=song_analyzer, index=move_index, assembler=FfmpegVideoAssembler(),
                                    blobs=blobs, clip_root=moves_dir)
    reports: list[tuple[str, float, str]] = []

    async def progress(stage: str, pct: float, message: str) -> None:
        reports.append((stage, pct, message))

    key = BlobKey.parse("renders/choreography/t1.mp4")
    result = await use_case(GenerateCommand(task_id="t1", song_path=song_path, result_key=key,
                                            preferences=Preferences(difficulty="beginner", style="romantic")),
                            progress)
    stages = [s for s, _, _ in reports]
    assert stages[0] == "generating_blueprint" and stages[-1] == "completed"
    assert stages.index("video_assembly") < stages.index("uploading_result")
    assert [p for _, p, _ in reports] == sorted(p for _, p, _ in reports)
    messages = " | ".join(m for _, _, m in reports)
    assert "Music analyzed: 129.2 BPM, 25.0s" in messages and "matching moves" in messages

    bp = result.blueprint
    assert bp.moves[0].start_time == 0.0 and bp.moves[0].move_label == "intros"
    assert bp.moves[-1].move_label == "outro"
    assert bp.total_duration == pytest.approx(bp.moves[-1].start_time + bp.moves[-1].duration)
    stored = await blobs.info(key)
    assert stored is not None and stored.size == result.file_size
    target = tmp_path / "out.mp4"
    await blobs.download_to(key, target)
    with av.open(str(target)) as c:
        kinds = {s.type: s.codec_context.name for s in c.streams}
        assert kinds == {"video": "h264", "audio": "aac"}
        assert c.streams.video[0].codec_context.height == 480
        assert c.duration / 1e6 == pytest.approx(bp.total_duration, abs=0.5)
    assert result.duration == pytest.approx(bp.total_duration, abs=0.05)
