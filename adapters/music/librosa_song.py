"""SongAnalyzer on librosa: beats, downbeats, 8-counts, sections (recurrence + Foote novelty) and energy per 8-count.

librosa gives the signal features (onset strength, beat tracking, log-mel, MFCC, chroma, RMS); the choices made
on them (bar phase, phrase phase, novelty, labels) are pure domain code in ``domain.choreography.song``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import librosa
import numpy as np
import numpy.typing as npt

from application.choreography.ports import SongAnalyzer
from application.ports.analysis import MediaError
from domain.choreography import song as songs

_SR = 22050
_HOP = 512
_BASS_HZ = 200.0  # kick and bass; their onsets mark the bar in most popular music


class LibrosaSongAnalyzer(SongAnalyzer):
    def __init__(self, sample_rate: int = _SR, hop_length: int = _HOP, start_bpm: float = 120.0) -> None:
        self._sr = sample_rate
        self._hop = hop_length
        self._start_bpm = start_bpm
        self._lock = threading.Lock()
        self._warm = False

    def analyze(self, path: Path) -> songs.SongAnalysis:
        try:
            y, sr = librosa.load(str(path), sr=self._sr, mono=True)
        except Exception as exc:  # audioread/soundfile raise many kinds; all mean "not audio we can read"
            raise MediaError(f"{path.name} is not a readable audio file") from exc
        return self.analyze_samples(np.asarray(y, dtype=np.float32), int(sr))

    def analyze_samples(self, y: npt.NDArray[Any], sr: int) -> songs.SongAnalysis:
        duration = y.shape[0] / sr
        if duration < 10.0 or not np.any(np.abs(y) > 1e-4):
            raise MediaError(f"the song is {duration:.1f} s of audio without music; at least 10 s is needed")
        hop = self._hop
        mel = librosa.feature.melspectrogram(y=y, sr=sr, hop_length=hop, n_mels=64)
        log_mel = librosa.power_to_db(mel)
        envelope = librosa.onset.onset_strength(S=log_mel, sr=sr, hop_length=hop, aggregate=np.median)
        tempo, beat_frames = librosa.beat.beat_track(onset_envelope=envelope, sr=sr, hop_length=hop,
                                                     start_bpm=self._start_bpm, units="frames")
        beat_frames = np.asarray(beat_frames, dtype=int)
        if beat_frames.size < 2 * songs.COUNTS_PER_PHRASE:
            raise MediaError("no steady beat was found in the song (fewer than two 8-counts of beats)")
        beat_times = librosa.frames_to_time(beat_frames, sr=sr, hop_length=hop).astype(np.float64)

        # Per-beat accents for the bar line.
        mel_freqs = librosa.mel_frequencies(n_mels=64, fmax=sr / 2)
        bass_rows = mel_freqs <= _BASS_HZ
        bass_env = librosa.onset.onset_strength(S=log_mel[bass_rows], sr=sr, hop_length=hop)
        bass_at_beat = _window_max(bass_env, beat_frames, 2)
        chroma = librosa.feature.chroma_stft(y=y, sr=sr, hop_length=hop)
        chroma_sync = librosa.util.sync(chroma, list(beat_frames), aggregate=np.median)
        # harmonic change *into* beat k: the distance between the chroma after and before the beat
        change = np.zeros(beat_frames.size)
        cs = chroma_sync / np.maximum(np.linalg.norm(chroma_sync, axis=0, keepdims=True), 1e-9)
        seg = cs[:, 1:beat_frames.size + 1]
        change[1:] = 1.0 - np.sum(seg[:, 1:] * seg[:, :-1], axis=0)[: beat_frames.size - 1]
        bar_phase = songs.downbeat_phase(bass_at_beat, change)

        # Beat-synchronous timbre + harmony, standardised, for the self-similarity matrix.
        mfcc = librosa.feature.mfcc(S=log_mel, n_mfcc=13)
        feats = np.vstack([librosa.util.sync(mfcc, list(beat_frames), aggregate=np.mean), chroma_sync]).T
        feats = feats[1:beat_frames.size + 1]  # the segment after each beat
        feats = (feats - feats.mean(axis=0)) / np.maximum(feats.std(axis=0), 1e-9)
        ssm = songs.cosine_self_similarity(feats)
        novelty_beats = songs.foote_novelty(ssm, half_width=2 * songs.COUNTS_PER_PHRASE)
        ph_phase = songs.phrase_phase(novelty_beats, bar_phase)
        starts = songs.phrase_starts(beat_times.size, ph_phase)
        if not starts:
            raise MediaError("the song is shorter than one 8-count of beats")

        rms = librosa.feature.rms(y=y, hop_length=hop)[0]
        db = songs.loudness_db(rms)
        phrase_db = np.empty(len(starts))
        for k, b in enumerate(starts):
            a_f = beat_frames[b]
            e_f = beat_frames[b + songs.COUNTS_PER_PHRASE] if b + songs.COUNTS_PER_PHRASE < beat_frames.size \
                else min(db.size, a_f + int(np.median(np.diff(beat_frames))) * songs.COUNTS_PER_PHRASE)
            phrase_db[k] = float(np.mean(db[a_f:max(e_f, a_f + 1)]))

        novelty_phrases = novelty_beats[np.asarray(starts)]
        expected_sections = max(2, round(duration / 12.0))  # an upper bound; the novelty threshold decides
        bounds = songs.pick_boundaries(novelty_phrases, min_gap=2, max_count=expected_sections)
        tempo_bpm = float(60.0 / np.median(np.diff(beat_times)))
        del tempo  # librosa's global estimate; the median beat interval is what the counts follow
        return songs.build_song(duration=float(duration), tempo_bpm=tempo_bpm, beat_times=beat_times,
                                bar_phase=bar_phase, phrase_phase_=ph_phase, phrase_db=phrase_db,
                                section_bounds=bounds)

    def warm_up(self) -> None:
        with self._lock:
            if self._warm:
                return
            sr = self._sr
            clicks = librosa.clicks(times=np.arange(0.0, 12.0, 0.5), sr=sr, length=sr * 12)
            self.analyze_samples(clicks.astype(np.float32), sr)
            self._warm = True


def _window_max(env: npt.NDArray[Any], frames: npt.NDArray[Any], radius: int) -> npt.NDArray[Any]:
    out = np.empty(frames.size)
    for k, f in enumerate(frames):
        out[k] = float(np.max(env[max(0, f - radius):f + radius + 1])) if env.size else 0.0
    return out
