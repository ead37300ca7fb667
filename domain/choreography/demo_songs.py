"""Procedurally generated demo bachata tracks (there are no bachata recordings we may ship).

Each track is synthesised, sample by sample, from the rhythm patterns of bachata so the product has songs to
choreograph on a fresh install; every title says "(generated)". Patterns (as taught, e.g. in Hernandez,
"Bachata: A Social History of a Dominican Popular Music", 1995, and common bachata drum method books):
- two bars of 4/4 per 8-count; the dance's tap falls on 4 and 8, which the bongo marks with a slap;
- guira (metal scraper): straight eighth notes, the on-beats accented;
- bongo "martillo": eighth notes alternating high and low drum, open tone on beat 4 of each bar;
- bass: the chord's root on beats 1 and 3 with a pickup on the "and" of 3 (the syncopated bachata bass);
- requinto/guitar: arpeggiated chord tones in sixteenths in the chorus, slow arpeggios in the intro.
Sections differ in harmony (verse i-VII-VI-V, chorus III-VII-i-VI in A minor) and in instrumentation/loudness,
so a listener (and a structure analysis) hears where they change. Sounds are decaying sines and filtered noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

SECTION_PLAN: tuple[tuple[str, int], ...] = (
    ("intro", 2), ("verse", 4), ("chorus", 4), ("verse", 4), ("chorus", 4), ("outro", 2),
)

# Chord roots (Hz of the bass note) and triads (semitones above A3=220 Hz), one chord per bar.
_VERSE = ((110.0, (0, 3, 7)), (98.0, (-2, 2, 5)), (87.31, (-4, 0, 3)), (82.41, (-5, -1, 2)))  # Am G F E
_CHORUS = ((130.81, (3, 7, 10)), (98.0, (-2, 2, 5)), (110.0, (0, 3, 7)), (87.31, (-4, 0, 3)))  # C G Am F


@dataclass(frozen=True, slots=True)
class DemoSection:
    label: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class DemoSong:
    title: str
    artist: str
    tempo_bpm: float
    sample_rate: int
    samples: npt.NDArray[np.float32]
    sections: tuple[DemoSection, ...]
    first_beat: float  # time of the first count 1

    @property
    def duration(self) -> float:
        return self.samples.shape[0] / self.sample_rate


@dataclass(frozen=True, slots=True)
class DemoSpec:
    title: str
    tempo_bpm: float
    plan: tuple[tuple[str, int], ...] = SECTION_PLAN
    seed: int = 0


DEMO_SPECS: tuple[DemoSpec, ...] = (
    DemoSpec("Demo Bachata 118 (generated)", 118.0, seed=1),
    DemoSpec("Demo Bachata 128 (generated)", 128.0, seed=2),
    DemoSpec("Demo Bachata 136 (generated)", 136.0, seed=3,
             plan=(("intro", 2), ("verse", 4), ("chorus", 4), ("verse", 4), ("chorus", 4), ("verse", 4),
                   ("chorus", 4), ("outro", 2))),
)


def _add(out: FloatArray, start: int, sound: FloatArray) -> None:
    if start >= out.size:
        return
    end = min(out.size, start + sound.size)
    out[start:end] += sound[: end - start]


def _tone(freq: float, dur: float, sr: int, decay: float, harmonics: tuple[float, ...] = (1.0,)) -> FloatArray:
    t = np.arange(int(dur * sr)) / sr
    wave = sum(a * np.sin(2 * np.pi * freq * (h + 1) * t) for h, a in enumerate(harmonics))
    attack = np.minimum(1.0, t / 0.004)
    return np.asarray(wave * attack * np.exp(-t / decay), dtype=np.float64)


def _noise_hit(rng: np.random.Generator, dur: float, sr: int, decay: float) -> FloatArray:
    n = int(dur * sr)
    t = np.arange(n) / sr
    white = rng.standard_normal(n)
    bright = np.diff(white, prepend=0.0)  # first difference: a simple high-pass, the scraper's hiss
    return np.asarray(bright * np.exp(-t / decay), dtype=np.float64)


def render(spec: DemoSpec, sample_rate: int = 22050, lead_in: float = 0.5) -> DemoSong:
    """Synthesise one track; ``lead_in`` seconds of silence precede the first count 1."""
    rng = np.random.default_rng(spec.seed)
    sr = sample_rate
    beat = 60.0 / spec.tempo_bpm
    total_phrases = sum(n for _, n in spec.plan)
    duration = lead_in + total_phrases * 8 * beat + 2.0  # a ring-out after the last count
    out = np.zeros(int(duration * sr))
    sections: list[DemoSection] = []
    phrase = 0
    for label, count in spec.plan:
        s_start = lead_in + phrase * 8 * beat
        for p in range(count):
            t0 = lead_in + (phrase + p) * 8 * beat
            _phrase(out, rng, label, t0, beat, sr, last=(label == "outro" and p == count - 1))
        phrase += count
        sections.append(DemoSection(label, s_start, lead_in + phrase * 8 * beat))
    peak = float(np.max(np.abs(out)))
    samples = (0.89 * out / peak).astype(np.float32) if peak > 0 else out.astype(np.float32)
    return DemoSong(title=spec.title, artist="Dance backend (procedurally generated)", tempo_bpm=spec.tempo_bpm,
                    sample_rate=sr, samples=samples, sections=tuple(sections), first_beat=lead_in)


def _phrase(out: FloatArray, rng: np.random.Generator, label: str, t0: float, beat: float, sr: int,
            last: bool) -> None:
    chords = _CHORUS if label == "chorus" else _VERSE
    loud = {"intro": 0.35, "verse": 0.7, "chorus": 1.0, "outro": 0.5}.get(label, 0.7)
    drums = label in ("verse", "chorus", "outro")
    for bar in range(2):
        root, triad = chords[bar + (2 if (int(t0 / beat) // 8) % 2 else 0)]
        bar_t = t0 + bar * 4 * beat
        for eighth in range(8):
            t = bar_t + eighth * beat / 2
            i = int(t * sr)
            on_beat = eighth % 2 == 0
            if drums or label == "intro":
                amp = (0.22 if on_beat else 0.12) * (0.5 if label == "intro" else 1.0)
                _add(out, i, amp * loud * _noise_hit(rng, 0.09, sr, 0.025))
            if drums:
                if eighth == 6:  # beat 4 (and 8): the tap, an open slap on the low drum
                    _add(out, i, 0.55 * loud * _tone(196.0, 0.25, sr, 0.07, (1.0, 0.4)))
                else:
                    f = 392.0 if eighth % 2 == 0 else 293.7
                    _add(out, i, 0.28 * loud * _tone(f, 0.12, sr, 0.03, (1.0, 0.3)))
        if label != "intro":
            for b, frac in ((0, 1.0), (2, 0.9), (2.5, 0.7)):  # 1, 3 and the "and" of 3
                _add(out, int((bar_t + b * beat) * sr),
                      0.8 * loud * frac * _tone(root / 2, beat * 0.9, sr, 0.35, (1.0, 0.5, 0.2)))
        notes = [220.0 * 2 ** (s / 12) for s in triad]
        if label == "chorus":
            for k in range(16):
                f = notes[k % 3] * (2.0 if k % 4 == 3 else 1.0)
                _add(out, int((bar_t + k * beat / 4) * sr), 0.3 * _tone(f, 0.3, sr, 0.12, (1.0, 0.5, 0.25)))
        elif label in ("intro", "verse"):
            step = 1.0 if label == "intro" else 2.0
            for k in range(int(4 / step)):
                f = notes[k % 3]
                _add(out, int((bar_t + k * step * beat) * sr),
                     (0.45 if label == "intro" else 0.2) * _tone(f, beat * step, sr, 0.4, (1.0, 0.4, 0.2)))
    if last:
        _add(out, int((t0 + 8 * beat) * sr), 0.8 * _tone(55.0, 1.8, sr, 0.6, (1.0, 0.5)))
