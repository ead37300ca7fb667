"""What the decoder and the pipeline refuse, and the failure of a video with nobody in it."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from adapters.analysis.librosa_audio import LibrosaAudioAnalyzer
from adapters.analysis.mediapipe_pose import MediaPipePoseEstimator
from adapters.analysis.pyav_video import PyAvVideoDecoder
from application.analysis import AnalysisPipeline, VideoCapture
from application.ports.analysis import MediaError
from domain.analysis.errors import AnalysisFailed

pytestmark = pytest.mark.media


@pytest.fixture(scope="module")
def pipeline(
    decoder: PyAvVideoDecoder, mediapipe_estimator: MediaPipePoseEstimator, audio_analyzer: LibrosaAudioAnalyzer
) -> Iterator[AnalysisPipeline]:
    yield AnalysisPipeline(VideoCapture(decoder, mediapipe_estimator, audio_analyzer))


def test_text_file_named_mp4_is_rejected(tmp_path: Path, decoder: PyAvVideoDecoder) -> None:
    fake = tmp_path / "dance.mp4"
    fake.write_text("this is not a video\n" * 50)
    with pytest.raises(MediaError, match=r"dance\.mp4"):
        decoder.probe(fake)


def test_corrupt_mp4_is_rejected(tmp_path: Path, media_dir: Path, decoder: PyAvVideoDecoder) -> None:
    real = (media_dir / "video" / "05_walk_sideview_sports2d.mp4").read_bytes()
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(real[:32] + np.random.default_rng(0).integers(0, 256, 200_000, dtype=np.uint8).tobytes())
    with pytest.raises(MediaError):
        decoder.probe(garbage)
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(real[: len(real) // 3])  # the moov index sits at the end: nothing to play
    with pytest.raises(MediaError):
        decoder.probe(truncated)


def test_audio_only_file_has_no_video(media_dir: Path, decoder: PyAvVideoDecoder) -> None:
    with pytest.raises(MediaError, match=r"no video stream|not an mp4"):
        decoder.probe(media_dir / "audio" / "gtzan_country.00000.wav")


def _write_clip(src: Path, dst: Path, seconds: float) -> None:
    with av.open(str(src)) as inp, av.open(str(dst), "w", format="mp4") as out:
        stream_in = inp.streams.video[0]
        stream = out.add_stream("libx264", rate=stream_in.average_rate)
        stream.width, stream.height, stream.pix_fmt = 320, 568, "yuv420p"
        for n, frame in enumerate(inp.decode(stream_in)):
            if frame.time is not None and frame.time >= seconds:
                break
            small = frame.reformat(320, 568, "yuv420p")
            small.pts, small.time_base = n, Fraction(1, 1) / stream_in.average_rate
            for packet in stream.encode(small):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def test_short_clip_is_rejected_by_validation(tmp_path: Path, media_dir: Path, pipeline: AnalysisPipeline) -> None:
    clip = tmp_path / "short.mp4"
    _write_clip(media_dir / "video" / "01_dance_solo_musepose.mp4", clip, 2.0)
    with pytest.raises(MediaError, match=r"video is 2\.\d s long; at least 10 s is needed"):
        pipeline.run(clip)


def test_video_without_a_person_fails_analysis(tmp_path: Path, pipeline: AnalysisPipeline) -> None:
    path = tmp_path / "empty_room.mp4"
    rng = np.random.default_rng(1)
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        base = np.zeros((240, 320, 3), np.uint8)
        base[..., 0] = np.linspace(40, 200, 320, dtype=np.uint8)[None, :]
        base[..., 1] = 120
        for n in range(12 * 15):
            noisy = np.clip(base.astype(np.int16) + rng.integers(-20, 20, base.shape), 0, 255).astype(np.uint8)
            frame = av.VideoFrame.from_ndarray(noisy, format="rgb24")
            frame.pts, frame.time_base = n, Fraction(1, 15)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    with pytest.raises(AnalysisFailed) as info:
        pipeline.run(path)
    assert info.value.reason


def test_dance_video_runs_end_to_end_with_its_music(media_dir: Path, pipeline: AnalysisPipeline) -> None:
    seen: list[float] = []
    outcome = pipeline.run(media_dir / "video" / "01_dance_solo_musepose.mp4", progress=seen.append)
    assert outcome.beats is not None and outcome.beats.source == "audio"
    assert 60 <= outcome.beats.tempo_bpm <= 200
    assert outcome.report.rhythm_basis == "music_beats"
    assert 0 <= outcome.report.total <= 100
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert set(outcome.stage_seconds) >= {"decode", "pose", "audio", "scoring"}
