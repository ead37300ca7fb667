"""Offline speech (Piper joe voice, eSpeak NG) and the composited coached video, probed with PyAV."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import av
import pytest

from adapters.media.pyav_swing_compositor import PyAvSwingVideoCompositor
from adapters.speech.espeak_ng import EspeakNgSpeechSynthesizer
from adapters.speech.piper_tts import PiperSpeechSynthesizer
from application.analysis.capture import CapturedVideo
from application.coaching.ports import SpeechError, SpokenLine
from domain.coaching.analysis import analyse_swing

TEXT = "At the top your lead arm is at 162 degrees, nice and straight. Your head moved a little."
WORDS = len(TEXT.split())


@pytest.fixture(scope="module")
def piper() -> PiperSpeechSynthesizer:
    return PiperSpeechSynthesizer()


def _mp3_seconds(data: bytes) -> float:
    with av.open(io.BytesIO(data)) as c:
        assert c.streams.audio[0].codec_context.name.startswith("mp3")
        return float(c.duration / 1e6)


def test_piper_speaks_at_a_plausible_length_and_honours_speed(piper: PiperSpeechSynthesizer) -> None:
    normal = piper.synthesize(TEXT)
    # 2-4 words a second is ordinary speech
    assert WORDS / 4 <= normal.duration <= WORDS / 2
    fast = piper.synthesize(TEXT, speed=2.0)
    assert fast.duration < 0.8 * normal.duration
    chunks = list(piper.stream(TEXT))
    assert len(chunks) == 2  # one per sentence, yielded as each is synthesised


def test_piper_mp3_and_wav_are_cached(piper: PiperSpeechSynthesizer) -> None:
    mp3 = piper.audio_bytes(TEXT, speed=1.0, fmt="mp3")
    assert piper.audio_bytes(TEXT, speed=1.0, fmt="mp3") is mp3
    assert WORDS / 4 <= _mp3_seconds(mp3) <= WORDS / 2 + 0.2
    wav = piper.audio_bytes(TEXT, fmt="wav")
    with wave.open(io.BytesIO(wav)) as w:
        assert w.getframerate() == 22050 and WORDS / 4 <= w.getnframes() / 22050 <= WORDS / 2


def test_espeak_fallback_speaks() -> None:
    es = EspeakNgSpeechSynthesizer()
    s = es.synthesize(TEXT)
    assert WORDS / 4 <= s.duration <= WORDS / 1.5
    assert es.synthesize(TEXT, speed=2.0).duration < 0.7 * s.duration
    assert _mp3_seconds(es.audio_bytes(TEXT)) > 2.0
    with pytest.raises(SpeechError):
        es.synthesize("   ")


def test_composited_video_has_audio_as_long_as_the_video(
    captured_swing: CapturedVideo, swing_path: Path, piper: PiperSpeechSynthesizer, tmp_path: Path
) -> None:
    a = analyse_swing(captured_swing.track, playback_speed=0.5)
    lines = [SpokenLine(ln, piper.synthesize(ln.text)) for ln in a.script]
    out = tmp_path / "coached.mp4"
    info = PyAvSwingVideoCompositor().compose(swing_path, captured_swing.track, a.phases, lines, out, 0.5)
    with av.open(str(out)) as c:
        v, au = c.streams.video[0], c.streams.audio[0]
        assert (v.codec_context.name, au.codec_context.name) == ("h264", "aac")
        v_s = float(v.duration * v.time_base)
        a_s = float(au.duration * au.time_base)
        frames = sum(1 for _ in c.decode(video=0))
    assert abs(v_s - a_s) < 0.1
    assert v_s == pytest.approx(info.duration, abs=0.2)
    assert frames == info.frames >= captured_swing.track.frame_count  # every source frame, slowed, none dropped
    assert v_s >= captured_swing.video.duration / 0.5 - 0.2
