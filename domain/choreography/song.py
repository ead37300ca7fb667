"""A song as a dancer counts it: beats, downbeats, 8-counts (phrases), sections and an energy curve.

Formulas and their sources:
- Downbeat phase: the bar phase (beat index mod 4) whose beats carry the most accent (low-band onset strength plus
  harmonic change), the "metrical accent" idea of Goto (2001) and Davies & Plumbley (2006), who place the bar line
  where chord changes and bass onsets concentrate.
- 8-counts: bachata is counted 1-8 over two bars of 4/4 (the tap on 4 and 8); a phrase is 8 consecutive beats
  starting on a downbeat. Of the two bar phases (count 1 on an odd or even bar), the one whose starts carry more
  change is taken.
- Sections: Foote (2000), "Automatic audio segmentation using a measure of audio novelty": a Gaussian-tapered
  checkerboard kernel slid along the diagonal of the self-similarity (recurrence) matrix; peaks of the novelty are
  section boundaries. We evaluate it only at 8-count boundaries, since sections of dance music start on a phrase.
- Downbeat accuracy: F-measure with a +-70 ms window, the MIREX beat/downbeat convention (Davies et al. 2009,
  "Evaluation methods for musical audio beat tracking algorithms").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

BEATS_PER_BAR = 4
COUNTS_PER_PHRASE = 8
SECTION_LABELS = ("intro", "verse", "chorus", "bridge", "outro")


@dataclass(frozen=True, slots=True)
class Phrase:
    """One 8-count: ``beat_times`` holds the 8 counts' times; ``end`` is the next phrase's count 1."""

    index: int
    start: float
    end: float
    beat_times: tuple[float, ...]
    energy: float  # 0..1 within the song (loudness relative to its quietest and loudest 8-counts)
    loudness_db: float  # mean RMS in dBFS

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Section:
    label: str  # one of SECTION_LABELS
    start: float
    end: float
    first_phrase: int
    phrase_count: int
    energy: float  # mean of its phrases' energy


@dataclass(frozen=True, slots=True)
class SongAnalysis:
    duration: float
    tempo_bpm: float
    beat_times: tuple[float, ...]
    downbeat_times: tuple[float, ...]
    phrases: tuple[Phrase, ...]
    sections: tuple[Section, ...]

    @property
    def energy_curve(self) -> tuple[float, ...]:
        return tuple(p.energy for p in self.phrases)

    def to_dict(self) -> dict[str, object]:
        return {
            "duration": round(self.duration, 3),
            "tempo_bpm": round(self.tempo_bpm, 2),
            "beat_times": [round(t, 3) for t in self.beat_times],
            "downbeat_times": [round(t, 3) for t in self.downbeat_times],
            "phrases": [
                {"index": p.index, "start": round(p.start, 3), "end": round(p.end, 3),
                 "beat_times": [round(t, 3) for t in p.beat_times], "energy": round(p.energy, 4),
                 "loudness_db": round(p.loudness_db, 2)}
                for p in self.phrases
            ],
            "sections": [
                {"label": s.label, "start": round(s.start, 3), "end": round(s.end, 3), "first_phrase": s.first_phrase,
                 "phrase_count": s.phrase_count, "energy": round(s.energy, 4)}
                for s in self.sections
            ],
        }

    @staticmethod
    def from_dict(data: dict[str, object]) -> SongAnalysis:
        def floats(value: object) -> tuple[float, ...]:
            assert isinstance(value, list)
            return tuple(float(v) for v in value)

        phrases_raw = data["phrases"]
        sections_raw = data["sections"]
        assert isinstance(phrases_raw, list) and isinstance(sections_raw, list)
        return SongAnalysis(
            duration=float(data["duration"]),  # type: ignore[arg-type]
            tempo_bpm=float(data["tempo_bpm"]),  # type: ignore[arg-type]
            beat_times=floats(data["beat_times"]),
            downbeat_times=floats(data["downbeat_times"]),
            phrases=tuple(
                Phrase(index=int(p["index"]), start=float(p["start"]), end=float(p["end"]),
                       beat_times=floats(p["beat_times"]), energy=float(p["energy"]),
                       loudness_db=float(p["loudness_db"]))
                for p in phrases_raw
            ),
            sections=tuple(
                Section(label=str(s["label"]), start=float(s["start"]), end=float(s["end"]),
                        first_phrase=int(s["first_phrase"]), phrase_count=int(s["phrase_count"]),
                        energy=float(s["energy"]))
                for s in sections_raw
            ),
        )


def _zscore(x: FloatArray) -> FloatArray:
    sd = float(np.std(x))
    return (x - float(np.mean(x))) / sd if sd > 1e-12 else np.zeros_like(x)


def best_phase(accent: FloatArray, period: int, allowed: tuple[int, ...] | None = None) -> int:
    """The phase p (0 <= p < period) whose beats p, p+period, ... have the highest mean accent."""
    if accent.size == 0:
        return 0
    phases = allowed if allowed is not None else tuple(range(period))
    scores = [float(np.mean(accent[p::period])) if accent[p::period].size else -np.inf for p in phases]
    return phases[int(np.argmax(scores))]


def downbeat_phase(bass_onset: FloatArray, harmonic_change: FloatArray) -> int:
    """Bar phase from two per-beat accents, each standardised so neither dominates by scale."""
    return best_phase(_zscore(bass_onset) + _zscore(harmonic_change), BEATS_PER_BAR)


def phrase_phase(change: FloatArray, bar_phase: int) -> int:
    """Where count 1 falls: of the two phases that agree with the bar line, the one starting more change."""
    return best_phase(_zscore(change), COUNTS_PER_PHRASE, (bar_phase, bar_phase + BEATS_PER_BAR))


def phrase_starts(n_beats: int, phase: int) -> list[int]:
    """Beat indices of each complete 8-count's count 1 (a phrase needs its 8 beats and the next count 1 or end)."""
    return list(range(phase, n_beats - COUNTS_PER_PHRASE + 1, COUNTS_PER_PHRASE))


def loudness_db(rms: FloatArray) -> FloatArray:
    return np.asarray(20.0 * np.log10(np.maximum(rms, 1e-6)), dtype=np.float64)


def relative_energy(phrase_db: FloatArray, floor_db: float = 12.0) -> FloatArray:
    """0..1 energy per 8-count: loudness above the quietest phrase, over at least ``floor_db`` dB of range.

    The floor keeps a song of near-constant loudness from having its tiny differences stretched to 0..1.
    """
    if phrase_db.size == 0:
        return phrase_db
    lo, hi = float(np.min(phrase_db)), float(np.max(phrase_db))
    span = max(hi - lo, floor_db)
    return np.clip((phrase_db - (hi - span)) / span, 0.0, 1.0)


def cosine_self_similarity(features: FloatArray) -> FloatArray:
    """(N, N) cosine similarity of the rows of ``features`` (N items, D standardised features)."""
    norms = np.linalg.norm(features, axis=1, keepdims=True)
    unit = features / np.maximum(norms, 1e-12)
    return np.asarray(unit @ unit.T, dtype=np.float64)


def foote_novelty(ssm: FloatArray, half_width: int) -> FloatArray:
    """Foote (2000) novelty: correlate a Gaussian-tapered checkerboard kernel along the SSM's diagonal.

    The matrix is zero-padded, so the first and last ``half_width`` items see a half kernel; values are >= 0.
    """
    n = ssm.shape[0]
    w = max(1, half_width)
    idx = np.arange(-w, w) + 0.5
    sign = np.sign(idx)
    taper = np.exp(-0.5 * (idx / (0.5 * w)) ** 2)
    kernel = np.outer(sign, sign) * np.outer(taper, taper)
    padded = np.zeros((n + 2 * w, n + 2 * w))
    padded[w:w + n, w:w + n] = ssm
    out = np.zeros(n)
    for i in range(n):
        out[i] = float(np.sum(kernel * padded[i:i + 2 * w, i:i + 2 * w]))
    return np.maximum(out, 0.0)


def pick_boundaries(novelty: FloatArray, min_gap: int, max_count: int, rel_threshold: float = 0.35) -> list[int]:
    """Greedy peak picking: highest local maxima first, at least ``min_gap`` apart, above a share of the maximum.

    Index 0 and the last index are never boundaries (the song's own start and end are).
    """
    n = novelty.size
    if n < 3 or float(np.max(novelty)) <= 0.0:
        return []
    peak = float(np.max(novelty))
    candidates = [
        i for i in range(1, n - 1)
        if novelty[i] >= novelty[i - 1] and novelty[i] >= novelty[i + 1] and novelty[i] >= rel_threshold * peak
    ]
    candidates.sort(key=lambda i: -float(novelty[i]))
    chosen: list[int] = []
    for i in candidates:
        if len(chosen) >= max_count:
            break
        if i < min_gap or n - i < min_gap:
            continue
        if all(abs(i - j) >= min_gap for j in chosen):
            chosen.append(i)
    return sorted(chosen)


def label_sections(bounds: list[int], phrase_energy: FloatArray) -> list[str]:
    """Names for the segments [0, b1), [b1, b2), ...: intro and outro at the ends, louder middles are choruses."""
    edges = [0, *bounds, phrase_energy.size]
    means = [float(np.mean(phrase_energy[a:b])) for a, b in itertools.pairwise(edges)]
    count = len(means)
    if count == 1:
        return ["verse"]
    if count == 2:
        return ["intro", "verse"] if means[0] < means[1] else ["verse", "outro"]
    middle = means[1:-1]
    split = float(np.median(middle)) if len(middle) > 1 else -np.inf
    labels = ["intro"]
    for m in middle:
        labels.append("chorus" if len(middle) > 1 and m > split else "verse")
    labels.append("outro")
    return labels


def build_song(
    *,
    duration: float,
    tempo_bpm: float,
    beat_times: FloatArray,
    bar_phase: int,
    phrase_phase_: int,
    phrase_db: FloatArray,
    section_bounds: list[int],
) -> SongAnalysis:
    """Assemble the analysis from the measured pieces (phrase_db: one loudness per complete 8-count)."""
    starts = phrase_starts(beat_times.size, phrase_phase_)
    if phrase_db.size != len(starts):
        raise ValueError(f"{phrase_db.size} loudness values for {len(starts)} phrases")
    energy = relative_energy(phrase_db)
    phrases = []
    for k, b in enumerate(starts):
        nxt = b + COUNTS_PER_PHRASE
        end = float(beat_times[nxt]) if nxt < beat_times.size else float(
            beat_times[nxt - 1] + np.median(np.diff(beat_times)))
        phrases.append(Phrase(index=k, start=float(beat_times[b]), end=min(end, duration),
                              beat_times=tuple(float(t) for t in beat_times[b:nxt]),
                              energy=float(energy[k]), loudness_db=float(phrase_db[k])))
    sections: list[Section] = []
    if phrases:
        labels = label_sections(section_bounds, energy)
        edges = [0, *section_bounds, len(phrases)]
        for label, a, b in zip(labels, edges[:-1], edges[1:], strict=True):
            sections.append(Section(label=label, start=phrases[a].start if a else 0.0,
                                    end=phrases[b - 1].end if b < len(phrases) else duration,
                                    first_phrase=a, phrase_count=b - a, energy=float(np.mean(energy[a:b]))))
    downbeats = tuple(float(t) for t in beat_times[bar_phase::BEATS_PER_BAR])
    return SongAnalysis(duration=duration, tempo_bpm=tempo_bpm, beat_times=tuple(float(t) for t in beat_times),
                        downbeat_times=downbeats, phrases=tuple(phrases), sections=tuple(sections))


def f_measure(estimated: FloatArray, reference: FloatArray, tolerance: float = 0.07) -> float:
    """MIREX F-measure: each reference event matched at most once to an estimate within +-tolerance seconds."""
    if estimated.size == 0 or reference.size == 0:
        return 0.0
    used = np.zeros(estimated.size, dtype=bool)
    hits = 0
    for r in reference:
        d = np.abs(estimated - r)
        d[used] = np.inf
        j = int(np.argmin(d))
        if d[j] <= tolerance:
            used[j] = True
            hits += 1
    precision = hits / estimated.size
    recall = hits / reference.size
    return 0.0 if hits == 0 else 2 * precision * recall / (precision + recall)
