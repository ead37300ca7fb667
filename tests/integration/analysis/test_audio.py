"""Tempo and beats against the annotated GTZAN excerpt, and the real music of the dance video."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from adapters.analysis.librosa_audio import LibrosaAudioAnalyzer
from adapters.analysis.pyav_video import PyAvVideoDecoder
from application.analysis import beat_grid

pytestmark = pytest.mark.media

# Measured: 86.13 BPM (+0.7 %, right at the annotated tempo, not an octave), F-measure 0.884 (38 of 43 beats).
MIN_F_MEASURE = 0.75


def _f_measure(estimated: np.ndarray, reference: np.ndarray, window: float = 0.07) -> float:
    """Beat F-measure as in mir_eval: one-to-one matches within +-window seconds."""
    used: set[int] = set()
    hits = 0
    for r in reference:
        candidates = [i for i, e in enumerate(estimated) if abs(e - r) <= window and i not in used]
        if candidates:
            used.add(min(candidates, key=lambda i: abs(estimated[i] - r)))
            hits += 1
    if hits == 0:
        return 0.0
    precision, recall = hits / len(estimated), hits / len(reference)
    return 2 * precision * recall / (precision + recall)


def test_gtzan_tempo_and_beats(
    media_dir: Path, decoder: PyAvVideoDecoder, audio_analyzer: LibrosaAudioAnalyzer
) -> None:
    audio_dir = media_dir / "audio"
    # The decoder reads plain audio files too (FFmpeg probes the content).
    track = decoder.audio(audio_dir / "gtzan_country.00000.wav", 22050)
    assert track is not None
    features = audio_analyzer.analyze(track)
    annotated = 85.53
    assert abs(features.tempo_bpm - annotated) / annotated < 0.04, f"tempo {features.tempo_bpm:.2f}"
    reference = np.loadtxt(audio_dir / "gtzan_country.00000.beats", ndmin=2)[:, 0]
    f = _f_measure(features.beat_times, reference)
    assert f >= MIN_F_MEASURE, f"beat F-measure {f:.3f}"


def test_dance_video_music_has_beats(
    media_dir: Path, decoder: PyAvVideoDecoder, audio_analyzer: LibrosaAudioAnalyzer
) -> None:
    track = decoder.audio(media_dir / "video" / "01_dance_solo_musepose.mp4", 22050)
    assert track is not None
    assert abs(track.samples.shape[0] / track.sample_rate - 12.0) < 0.2
    grid = beat_grid(audio_analyzer.analyze(track))
    assert grid is not None and grid.source == "audio"
    assert 60 <= grid.tempo_bpm <= 200
    assert grid.beat_times.shape[0] >= 12  # 12 s of music


def test_silent_track_is_no_music(
    media_dir: Path, decoder: PyAvVideoDecoder, audio_analyzer: LibrosaAudioAnalyzer
) -> None:
    # The walk clip carries an all-zero sound track.
    track = decoder.audio(media_dir / "video" / "05_walk_sideview_sports2d.mp4", 22050)
    assert track is not None
    assert beat_grid(audio_analyzer.analyze(track)) is None
