"""AudioAnalyzer on librosa: onset strength, tempo and beat times."""

from __future__ import annotations

import threading

import librosa
import numpy as np

from application.ports.analysis import AudioAnalyzer, AudioFeatures, AudioTrack

_HOP = 512


class LibrosaAudioAnalyzer(AudioAnalyzer):
    def __init__(self, hop_length: int = _HOP, start_bpm: float = 120.0) -> None:
        self._hop = hop_length
        self._start_bpm = start_bpm
        self._warm = False
        self._lock = threading.Lock()

    def analyze(self, audio: AudioTrack) -> AudioFeatures:
        y = np.asarray(audio.samples, dtype=np.float32)
        sr = audio.sample_rate
        duration = y.shape[0] / sr if sr else 0.0
        onset_rate = sr / self._hop
        if y.size < self._hop * 4 or not np.any(np.abs(y) > 1e-4):
            # Silence (e.g. a muted phone recording): no pulse to find.
            return AudioFeatures(0.0, np.zeros(0), np.zeros(0), onset_rate, duration)
        envelope = librosa.onset.onset_strength(y=y, sr=sr, hop_length=self._hop, aggregate=np.median)
        tempo, beats = librosa.beat.beat_track(
            onset_envelope=envelope, sr=sr, hop_length=self._hop, start_bpm=self._start_bpm, units="time"
        )
        return AudioFeatures(
            tempo_bpm=float(np.atleast_1d(tempo)[0]),
            beat_times=np.asarray(beats, dtype=np.float64),
            onset_strength=np.asarray(envelope, dtype=np.float64),
            onset_rate=float(onset_rate),
            duration=float(duration),
        )

    def warm_up(self) -> None:
        """beat_track's numba kernels compile on first use (seconds to tens of seconds); pay that here."""
        with self._lock:
            if self._warm:
                return
            sr = 22050
            clicks = librosa.clicks(times=np.arange(0.0, 4.0, 0.5), sr=sr, length=sr * 4)
            self.analyze(AudioTrack(samples=clicks.astype(np.float32), sample_rate=sr))
            self._warm = True
