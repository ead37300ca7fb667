"""The routine's pulse: an evenly spaced beat grid, its downbeats and 8-count phrases.

- From the sound track: the beat tracker's beat times (librosa, Ellis 2007 dynamic-programming beat tracker) are the
  grid, gaps filled with evenly spaced beats. A grid fitted as ``t_k = t0 + k * period`` was tried first and dropped:
  music drifts, and over a minute a fitted grid walks off the beats the dancer hears. The answer reports these beat
  times (``routine_analysis.beat_times``) beside their median tempo (``bpm``) and first beat, and every boundary lies
  on one of them.
- Without music: the tempo comes from the movement. Dancers mark the beat with the body, so joint speed is periodic at
  the beat (or half of it). The period is the lag of the highest autocorrelation peak of the mean-removed joint
  speed between 60/180 s and 60/60 s, weighted by a log-normal tempo prior centred on 120 BPM with 1 octave spread
  (the prior librosa uses for audio, after Ellis 2007). The phase puts beats on the speed minima (the moments a
  movement stops and changes direction: the "motion beats" of Davis & Agrawala 2018, "Visual rhythm and beat").
- Downbeats: of the four possible bar phases, the one whose beats carry the most onset strength (musical accents
  fall on the downbeat: Goto 2001, "An audio-based real-time beat tracking system"); with no sound, the most
  movement change. 8-count phrases start on every other downbeat from the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from domain.analysis.pose import FloatArray
from domain.breakdown.errors import BreakdownFailed

MIN_BPM: Final = 60.0
MAX_BPM: Final = 180.0
PRIOR_BPM: Final = 120.0
BEATS_PER_BAR: Final = 4
COUNTS_PER_PHRASE: Final = 8

TempoSource = Literal["audio", "movement"]


@dataclass(frozen=True, slots=True)
class Grid:
    """The beats of the routine (seconds, to 1 ms), their median tempo, downbeats and where they came from.

    Music drifts (a live band, a DJ's pitch bend), so the grid is the detected beats themselves, not one fitted
    period; gaps in the detection are filled with evenly spaced beats.
    """

    bpm: float  # median tempo
    beat_times: tuple[float, ...]
    downbeat_phase: int  # index of the first downbeat (0..3)
    source: TempoSource
    fit_residual_ms: float  # RMS distance of the beats from one fitted period: how steady the tempo is

    @property
    def first_beat(self) -> float:
        return self.beat_times[0]

    @property
    def count(self) -> int:
        return len(self.beat_times)

    @property
    def period(self) -> float:
        return 60.0 / self.bpm

    @property
    def beats(self) -> FloatArray:
        return np.asarray(self.beat_times, dtype=np.float64)

    def time(self, position: float) -> float:
        """Time of a (fractional) beat index; beyond the ends, the median period continues the grid."""
        beats = self.beats
        if position <= 0:
            return float(beats[0] + position * self.period)
        if position >= self.count - 1:
            return float(beats[-1] + (position - self.count + 1) * self.period)
        i = int(np.floor(position))
        return float(beats[i] + (position - i) * (beats[i + 1] - beats[i]))

    def nearest_beat(self, t: float) -> int:
        return int(np.argmin(np.abs(self.beats - t)))

    def count_of(self, beat: int) -> int:
        """1..8: the count of beat ``beat`` within its 8-count phrase."""
        return (beat - self.downbeat_phase) % COUNTS_PER_PHRASE + 1

    @property
    def phrase_starts(self) -> list[int]:
        return list(range(self.downbeat_phase, self.count, COUNTS_PER_PHRASE))


def rounded(bpm: float, first_beat: float) -> tuple[float, float]:
    """The precision the answer reports (bpm to 0.01, times to 1 ms); the grid is built from these figures."""
    return round(bpm, 2), round(first_beat, 3)


def fit_grid(beat_times: FloatArray, duration: float) -> tuple[float, float, float]:
    """Least-squares (bpm, first beat, RMS residual in ms) of evenly spaced beats through detected beat times."""
    beats = np.sort(np.asarray(beat_times, dtype=np.float64))
    if beats.shape[0] < 4:
        raise BreakdownFailed("the music has too few beats to find its tempo")
    # Index each beat by its nearest multiple of the median spacing, so a skipped beat does not bend the fit.
    period0 = float(np.median(np.diff(beats)))
    k = np.round((beats - beats[0]) / period0)
    slope, intercept = np.polyfit(k, beats, 1)
    residual = beats - (intercept + slope * k)
    # The grid starts at the fitted time of the first detected beat (never before 0 s).
    first = float(intercept)
    while first < 0:
        first += float(slope)
    bpm = 60.0 / float(slope)
    return bpm, first, float(1000.0 * np.sqrt(np.mean(residual**2)))


def _count(first: float, period: float, duration: float) -> int:
    return int(np.floor((duration - first) / period + 1e-9)) + 1 if duration >= first else 0


def best_phase(strength_at_beats: FloatArray) -> int:
    """The bar phase (0..3) whose beats carry the most strength on average."""
    if strength_at_beats.shape[0] < BEATS_PER_BAR:
        return 0
    scores = [float(np.mean(strength_at_beats[p::BEATS_PER_BAR])) for p in range(BEATS_PER_BAR)]
    return int(np.argmax(scores))


def regular_beats(beat_times: FloatArray, duration: float) -> tuple[float, FloatArray]:
    """(median bpm, beats to 1 ms) with gaps over 1.5 periods filled evenly and beats past ``duration`` dropped."""
    beats = np.unique(np.round(np.asarray(beat_times, dtype=np.float64), 3))
    beats = beats[(beats >= 0) & (beats <= duration)]
    if beats.shape[0] < 4:
        raise BreakdownFailed("the music has too few beats to find its tempo")
    period = float(np.median(np.diff(beats)))
    filled = [float(beats[0])]
    for t in beats[1:]:
        gap = float(t) - filled[-1]
        missing = round(gap / period) - 1
        if gap > 1.5 * period and missing > 0:
            filled.extend(filled[-1] + gap * (j + 1) / (missing + 1) for j in range(missing))
        if gap >= 0.5 * period:  # a beat closer than half a period to the last is a double detection
            filled.append(float(t))
    out = np.round(np.asarray(filled), 3)
    return 60.0 / float(np.median(np.diff(out))), out


def grid_from_audio(beat_times: FloatArray, duration: float, onset_strength: FloatArray | None = None,
                    onset_rate: float = 0.0) -> Grid:
    _, _, residual = fit_grid(beat_times, duration)
    bpm, beats = regular_beats(beat_times, duration)
    phase = 0
    if onset_strength is not None and onset_rate > 0 and onset_strength.size:
        idx = np.clip(np.round(beats * onset_rate).astype(int), 0, onset_strength.shape[0] - 1)
        phase = best_phase(np.asarray(onset_strength, dtype=np.float64)[idx])
    return Grid(bpm=round(bpm, 2), beat_times=tuple(float(b) for b in beats), downbeat_phase=phase, source="audio",
                fit_residual_ms=residual)


def movement_tempo(times: FloatArray, speed: FloatArray) -> tuple[float, float]:
    """(bpm, first beat) from the periodicity of joint speed; raises when the movement has no pulse."""
    fs = float(1.0 / np.median(np.diff(times)))
    x = speed - speed.mean()
    n = x.shape[0]
    if n < int(2 * fs * 60.0 / MIN_BPM) or float(np.std(x)) < 1e-6:
        raise BreakdownFailed("the video has no music and the movement shows no steady pulse to count")
    ac = np.correlate(x, x, mode="full")[n - 1:]
    ac = ac / ac[0]
    lags = np.arange(n) / fs
    ok = (lags >= 60.0 / MAX_BPM) & (lags <= 60.0 / MIN_BPM)
    with np.errstate(divide="ignore"):
        bpm_at = np.where(lags > 0, 60.0 / np.where(lags > 0, lags, 1.0), 0.0)
    prior = np.exp(-0.5 * (np.log2(np.maximum(bpm_at, 1e-9) / PRIOR_BPM)) ** 2)
    weighted = np.where(ok, np.maximum(ac, 0.0) * prior, -np.inf)
    lag = int(np.argmax(weighted))
    if not np.isfinite(weighted[lag]) or ac[lag] <= 0.1:
        raise BreakdownFailed("the video has no music and the movement shows no steady pulse to count")
    # Parabolic interpolation of the peak for sub-frame precision.
    if 0 < lag < n - 1:
        a, b, c = ac[lag - 1], ac[lag], ac[lag + 1]
        denom = a - 2 * b + c
        offset = 0.5 * (a - c) / denom if denom != 0 else 0.0
    else:
        offset = 0.0
    period = (lag + float(np.clip(offset, -0.5, 0.5))) / fs
    # Phase: the offset within one period at which speed is lowest on average (movement stops on the beat).
    phases = np.linspace(0.0, period, 24, endpoint=False)
    cost = []
    for ph in phases:
        grid = np.arange(times[0] + ph, times[-1], period)
        cost.append(float(np.mean(np.interp(grid, times, speed))))
    first = float(times[0] + phases[int(np.argmin(cost))])
    return 60.0 / period, first


def grid_from_movement(times: FloatArray, speed: FloatArray, duration: float, novelty_at: FloatArray | None = None
                       ) -> Grid:
    bpm, first = rounded(*movement_tempo(times, speed))
    count = _count(first, 60.0 / bpm, duration)
    beats = tuple(float(b) for b in np.round(first + (60.0 / bpm) * np.arange(count), 3))
    phase = 0 if novelty_at is None or novelty_at.shape[0] != count else best_phase(novelty_at)
    return Grid(bpm=bpm, beat_times=beats, downbeat_phase=phase, source="movement", fit_residual_ms=0.0)
