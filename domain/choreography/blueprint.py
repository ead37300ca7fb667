"""The blueprint optimiser: which move on which 8-counts, and how each clip is timed onto the song.

Slots are the song's 8-counts. A move covering k consecutive slots uses its first 8k counts (k at most its own
length). The sequence minimises, by dynamic programming over a semi-Markov chain (Viterbi with durations; Rabiner
1989, "A tutorial on hidden Markov models", section on variable-duration HMMs), the sum of
- transition cost: the pose on the cut, i.e. the outgoing move's pose after the 8-counts it is played for (not the
  clip's last pose) to the incoming move's pose on its count 1 (mean joint distance in torso lengths), times
  ``Weights.transition`` and ``transition_weight`` (raised by "smooth transitions"), plus how far the dancer's hip
  moves sideways in the frame across the cut; the state of the chain is therefore (move, 8-counts it covers);
  the same clip twice in a row and the same label twice cost extra (variety);
- fit per slot: |move energy - target| with the target following the section's own energy around the requested
  level, |move difficulty - requested|, the search similarity, style and "turns" preferences;
- length: using a move for fewer counts than it has (cutting it) costs in proportion to what is cut;
- intro moves are wanted on the first slot and outro moves on the last, and cost extra anywhere else.
Variety over the whole song (not only neighbours) is not Markov; it is approximated by re-solving with a penalty
on moves already used more than twice (two rounds), the "iterated conditional" trick of coordinate descent.

Retiming (ChoreoMaster, Chen et al. 2021, and Dance Dance Convolution-style beat warping): each clip's counts are
mapped onto the song's beats piecewise linearly, so count n of the clip plays exactly on beat n of its slots.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from domain.choreography.moves import COUNTS_PER_PHRASE, MoveRecord, pose_distance

__all__ = ["pose_distance"]
from domain.choreography.song import SongAnalysis

FloatArray = npt.NDArray[np.float64]
_BLOCKED = 1e6  # cost of a move not among a slot's candidates (finite, so sums stay comparable)

MAX_PHRASES_PER_MOVE = 4
CROSSFADE_S = 0.12
TURN_LABELS = frozenset({"spin", "ladyturn"})
INTRO_LABELS = frozenset({"intros"})
OUTRO_LABELS = frozenset({"outro"})
ENERGY_LEVELS = {"low": 0.2, "medium": 0.5, "high": 0.8}
DIFFICULTY_LEVELS = {"beginner": 0.15, "intermediate": 0.5, "advanced": 0.85}
# Move labels that suit a style (from bachata teaching vocabulary: sensual bachata's body waves and head rolls,
# romantic/traditional bolero and basics, modern/dominican footwork and shadow positions).
STYLE_LABELS: Mapping[str, frozenset[str]] = {
    "romantic": frozenset({"bolero", "basic", "bodywaves", "hiprolls", "arm_styling"}),
    "energetic": frozenset({"footwork", "golpes", "spin", "cross_body_lead", "hammerlock"}),
    "sensual": frozenset({"bodywaves", "headrolls", "hiprolls", "shadow", "style"}),
    "playful": frozenset({"spin", "ladyturn", "arm_styling", "golpes", "style"}),
    "modern": frozenset({"footwork", "shadow", "style", "hammerlock", "cross_body_lead"}),
}


class BlueprintError(ValueError):
    """No choreography can be made (no 8-counts, no usable move); the message says why."""


@dataclass(frozen=True, slots=True)
class Preferences:
    difficulty: str = "intermediate"
    energy_level: str = "medium"
    style: str = "modern"
    turn_weight: float = 0.0  # > 0: spins and lady turns are wanted ("lots of turns")
    transition_weight: float = 1.0  # > 1: smoother transitions are wanted
    simple: bool = False  # "simple steps": basics weighted up, difficulty down
    avoid_labels: frozenset[str] = frozenset()  # negated wishes ("no spins")


@dataclass(frozen=True, slots=True)
class Weights:
    energy: float = 1.5
    difficulty: float = 1.5
    similarity: float = 0.5
    style: float = 0.4
    turns: float = 0.6
    transition: float = 4.0  # a pose jump at a cut is what a viewer sees first; see benchmarks/choreography.py
    hip_shift: float = 0.25  # per torso length the dancer's hip moves sideways across a cut
    same_clip: float = 2.0
    same_label: float = 0.4
    cut: float = 0.3
    intro_outro: float = 3.0
    overuse: float = 1.0


@dataclass(frozen=True, slots=True)
class Candidate:
    record: MoveRecord
    similarity: float  # cosine similarity to the slot's query, -1..1


@dataclass(frozen=True, slots=True)
class BlueprintMove:
    clip_id: str
    video_path: str
    move_label: str
    start_time: float  # in the song, seconds
    duration: float
    trim_in: float  # clip seconds played first
    trim_out: float  # clip seconds played last
    playback_rate: float  # clip seconds per song second (mean)
    count_map: tuple[tuple[float, float], ...]  # (song time, clip time) anchors, one per count, increasing
    transition: Mapping[str, object]
    section: str
    first_phrase: int
    phrases: int
    counts: int

    def clip_time(self, song_time: float) -> float:
        """Where in the clip the song instant falls (piecewise linear on the counts, extrapolated at the ends)."""
        s = np.array([a for a, _ in self.count_map])
        c = np.array([b for _, b in self.count_map])
        if song_time <= s[0]:
            return float(c[0] + (song_time - s[0]) * (c[1] - c[0]) / (s[1] - s[0]))
        if song_time >= s[-1]:
            return float(c[-1] + (song_time - s[-1]) * (c[-1] - c[-2]) / (s[-1] - s[-2]))
        return float(np.interp(song_time, s, c))

    def to_dict(self) -> dict[str, object]:
        return {
            "clip_id": self.clip_id, "video_path": self.video_path, "move_label": self.move_label,
            "start_time": round(self.start_time, 4), "duration": round(self.duration, 4),
            "trim_in": round(self.trim_in, 4), "trim_out": round(self.trim_out, 4),
            "playback_rate": round(self.playback_rate, 5),
            "count_map": [[round(a, 4), round(b, 4)] for a, b in self.count_map],
            "transition": dict(self.transition), "section": self.section, "first_phrase": self.first_phrase,
            "phrases": self.phrases, "counts": self.counts,
        }


@dataclass(frozen=True, slots=True)
class Blueprint:
    task_id: str
    audio_path: str
    moves: tuple[BlueprintMove, ...]
    total_duration: float
    output_config: Mapping[str, object] = field(default_factory=dict)
    tempo_bpm: float = 0.0
    cost: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {"task_id": self.task_id, "audio_path": self.audio_path, "moves": [m.to_dict() for m in self.moves],
                "total_duration": round(self.total_duration, 4), "output_config": dict(self.output_config),
                "tempo_bpm": round(self.tempo_bpm, 2), "schema_version": "1.0"}

    @staticmethod
    def from_dict(data: Mapping[str, object]) -> Blueprint:
        moves_raw = data["moves"]
        assert isinstance(moves_raw, list)
        moves = tuple(
            BlueprintMove(
                clip_id=str(m["clip_id"]), video_path=str(m["video_path"]), move_label=str(m["move_label"]),
                start_time=float(m["start_time"]), duration=float(m["duration"]), trim_in=float(m["trim_in"]),
                trim_out=float(m["trim_out"]), playback_rate=float(m["playback_rate"]),
                count_map=tuple((float(a), float(b)) for a, b in m["count_map"]),
                transition=dict(m["transition"]), section=str(m["section"]), first_phrase=int(m["first_phrase"]),
                phrases=int(m["phrases"]), counts=int(m["counts"]))
            for m in moves_raw
        )
        config = data.get("output_config", {})
        assert isinstance(config, Mapping)
        return Blueprint(task_id=str(data["task_id"]), audio_path=str(data["audio_path"]), moves=moves,
                         total_duration=float(data["total_duration"]),  # type: ignore[arg-type]
                         output_config=dict(config), tempo_bpm=float(data.get("tempo_bpm", 0.0)))  # type: ignore[arg-type]


def section_of(song: SongAnalysis, phrase: int) -> str:
    for s in song.sections:
        if s.first_phrase <= phrase < s.first_phrase + s.phrase_count:
            return s.label
    return "verse"


def slot_targets(song: SongAnalysis, prefs: Preferences) -> tuple[FloatArray, float]:
    """Target energy per 8-count (the section's energy around the requested level) and the target difficulty."""
    level = ENERGY_LEVELS.get(prefs.energy_level, 0.5)
    section_energy = np.array([
        next((s.energy for s in song.sections if s.first_phrase <= p.index < s.first_phrase + s.phrase_count),
             p.energy) for p in song.phrases
    ])
    centred = section_energy - float(np.mean(section_energy)) if section_energy.size else section_energy
    target = np.clip(level + 0.5 * centred, 0.0, 1.0)
    difficulty = DIFFICULTY_LEVELS.get(prefs.difficulty, 0.5) - (0.1 if prefs.simple else 0.0)
    return target, float(np.clip(difficulty, 0.0, 1.0))


def _unary(cands: Sequence[Candidate], target_energy: float, target_difficulty: float, prefs: Preferences,
           w: Weights) -> FloatArray:
    style = STYLE_LABELS.get(prefs.style, frozenset())
    out = np.empty(len(cands))
    for i, c in enumerate(cands):
        r = c.record
        cost = w.energy * abs(r.energy - target_energy) + w.difficulty * abs(r.difficulty - target_difficulty)
        cost += w.similarity * (1.0 - c.similarity)
        if r.move_label in style:
            cost -= w.style
        if r.move_label in TURN_LABELS:
            cost -= w.turns * prefs.turn_weight
        if prefs.simple and r.move_label == "basic":
            cost -= w.style
        out[i] = cost
    return out


def optimise(song: SongAnalysis, candidates: Sequence[Sequence[Candidate]], prefs: Preferences,
             weights: Weights = Weights()) -> tuple[list[tuple[int, int, MoveRecord]], float]:
    """Best sequence as (first slot, slots covered, move), and its cost. ``candidates[s]``: slot s's candidates."""
    n = len(song.phrases)
    if n == 0:
        raise BlueprintError("the song has no complete 8-count to dance on")
    if len(candidates) != n:
        raise ValueError(f"{len(candidates)} candidate lists for {n} slots")
    pool: dict[str, Candidate] = {}
    for slot in candidates:
        for c in slot:
            if c.record.counts >= COUNTS_PER_PHRASE and c.record.move_label not in prefs.avoid_labels:
                best = pool.get(c.record.clip_id)
                if best is None or c.similarity > best.similarity:
                    pool[c.record.clip_id] = c
    cands = list(pool.values())
    if not cands:
        raise BlueprintError("no move in the library fits the request")
    ids = {c.record.clip_id: i for i, c in enumerate(cands)}
    allowed = np.zeros((n, len(cands)), dtype=bool)
    for s, slot in enumerate(candidates):
        for c in slot:
            if c.record.clip_id in ids:
                allowed[s, ids[c.record.clip_id]] = True
    m = len(cands)
    energy_t, diff_t = slot_targets(song, prefs)
    unary = np.stack([_unary(cands, float(energy_t[s]), diff_t, prefs, weights) for s in range(n)])  # (n, m)
    unary = np.where(allowed, unary, _BLOCKED)
    labels = [c.record.move_label for c in cands]
    # trans[k - 1, a, b]: a played for its first k 8-counts, then b. The pose is the one on the cut itself (a's
    # pose after those k 8-counts, b's on its count 1), the instant the viewer sees jump.
    entry = np.array([c.record.entry_at_cut() for c in cands]).reshape(m, -1, 2)
    entry_hips = [c.record.hip_at_cut(0) for c in cands]
    entry_hip = np.array([0.0 if h is None else h for h in entry_hips])
    trans = np.empty((MAX_PHRASES_PER_MOVE, m, m))
    for k in range(1, MAX_PHRASES_PER_MOVE + 1):
        exits = np.array([c.record.exit_at_cut(min(k, c.record.counts // COUNTS_PER_PHRASE)) for c in cands])
        exits = exits.reshape(m, -1, 2)
        trans[k - 1] = np.linalg.norm(exits[:, None] - entry[None, :], axis=3).mean(axis=2)
        hips = [c.record.hip_at_cut(min(k, c.record.counts // COUNTS_PER_PHRASE)) for c in cands]
        if all(h is not None for h in hips + entry_hips):
            trans[k - 1] += weights.hip_shift * np.abs(np.array(hips, dtype=np.float64)[:, None] - entry_hip[None, :])
    trans *= weights.transition * prefs.transition_weight
    same_label = np.array([[la == lb for lb in labels] for la in labels])
    trans += (weights.same_label * same_label + weights.same_clip * np.eye(m))[None]
    max_k = np.array([min(MAX_PHRASES_PER_MOVE, c.record.counts // COUNTS_PER_PHRASE) for c in cands])
    intro = np.array([lb in INTRO_LABELS for lb in labels])
    outro = np.array([lb in OUTRO_LABELS for lb in labels])
    has_intro, has_outro = bool(intro.any()), bool(outro.any())

    overuse = np.zeros(m)
    best_path: list[tuple[int, int, int]] = []
    best_cost = np.inf
    for _round in range(4):
        path, penalised = _viterbi(n, unary + overuse[None, :], trans, max_k, intro, outro, has_intro, has_outro,
                                   cands, weights)
        used = np.bincount([mv for _, _, mv in path], minlength=m)
        # judge every round by the true objective: its cost without the steering penalty, plus overuse counted once
        steer = float(sum(overuse[mv] * k for _, k, mv in path))
        cost = penalised - steer + weights.overuse * float(np.sum(np.maximum(used - 2, 0)))
        if cost < best_cost:
            best_path, best_cost = path, cost
        extra = weights.overuse * np.maximum(used - 2, 0)
        if not extra.any():
            break
        overuse = overuse + extra
    return [(j, k, cands[mv].record) for j, k, mv in best_path], float(best_cost)


def _viterbi(n: int, unary: FloatArray, trans: FloatArray, max_k: npt.NDArray[np.int64],
             intro: npt.NDArray[np.bool_], outro: npt.NDArray[np.bool_], has_intro: bool, has_outro: bool,
             cands: Sequence[Candidate], w: Weights) -> tuple[list[tuple[int, int, int]], float]:
    """States are (slots covered by the last move, the move), since the exit pose depends on where a move is cut."""
    m = unary.shape[1]
    kk = MAX_PHRASES_PER_MOVE
    counts = np.array([c.record.counts for c in cands], dtype=np.float64)
    cum = np.vstack([np.zeros((1, m)), np.cumsum(unary, axis=0)])  # cum[i] = sum of slots < i
    dp = np.full((n + 1, kk, m), np.inf)  # dp[end, k - 1, b]: best cost of slots < end, b covering the last k
    back = np.full((n + 1, kk, m), -1, dtype=np.int64)  # flat index (k' - 1) * m + a of the move before
    flat_trans = trans.reshape(kk * m, m)
    for end in range(1, n + 1):
        for k in range(1, min(kk, end) + 1):
            start = end - k
            ok = max_k >= k
            if not ok.any():
                continue
            place = cum[end] - cum[start]  # (m,)
            place = place + w.cut * (counts - COUNTS_PER_PHRASE * k) / counts
            if has_intro:
                place = place + np.where(intro, 0.0 if start == 0 else w.intro_outro,
                                         w.intro_outro if start == 0 else 0.0)
            if has_outro:
                place = place + np.where(outro, 0.0 if end == n else w.intro_outro,
                                         w.intro_outro if end == n else 0.0)
            place = np.where(ok, place, np.inf)
            if start == 0:
                dp[end, k - 1] = place
                continue
            options = dp[start].reshape(kk * m, 1) + flat_trans  # (prev states, next move)
            prev = np.asarray(np.argmin(options, axis=0), dtype=np.int64)
            dp[end, k - 1] = options[prev, np.arange(m)] + place
            back[end, k - 1] = prev
    final = dp[n].reshape(-1)
    state = int(np.argmin(final))
    cost = float(final[state])
    if not np.isfinite(cost) or cost >= _BLOCKED:
        raise BlueprintError("no sequence of the candidate moves covers the song's 8-counts")
    path: list[tuple[int, int, int]] = []
    end = n
    while end > 0:
        k, mv = state // m + 1, state % m
        path.append((end - k, k, mv))
        state = int(back[end, k - 1, mv])
        end -= k
    path.reverse()
    return path, cost


def build_blueprint(task_id: str, audio_path: str, song: SongAnalysis,
                    sequence: Sequence[tuple[int, int, MoveRecord]], output_config: Mapping[str, object],
                    cost: float = 0.0, crossfade: float = CROSSFADE_S) -> Blueprint:
    """Time the chosen moves onto the song: the first starts at 0, the last ends with the song."""
    moves: list[BlueprintMove] = []
    for idx, (first, k, rec) in enumerate(sequence):
        song_counts: list[float] = []
        for p in song.phrases[first:first + k]:
            song_counts.extend(p.beat_times)
        song_counts.append(song.phrases[first + k - 1].end)
        clip_counts = rec.count_times[: COUNTS_PER_PHRASE * k + 1]
        anchors = list(zip(song_counts, clip_counts, strict=True))
        start = 0.0 if idx == 0 else song_counts[0]
        end = song.duration if idx == len(sequence) - 1 else song_counts[-1]
        mv = BlueprintMove(
            clip_id=rec.clip_id, video_path=rec.labels.video_path, move_label=rec.move_label, start_time=start,
            duration=end - start, trim_in=0.0, trim_out=0.0, playback_rate=1.0, count_map=tuple(anchors),
            transition={"type": "crossfade" if idx else "cut", "duration": crossfade if idx else 0.0},
            section=section_of(song, first), first_phrase=first, phrases=k, counts=COUNTS_PER_PHRASE * k)
        t_in = max(0.0, mv.clip_time(start))
        t_out = min(rec.duration, mv.clip_time(end))
        rate = (clip_counts[-1] - clip_counts[0]) / (song_counts[-1] - song_counts[0])
        moves.append(replace(mv, trim_in=t_in, trim_out=t_out, playback_rate=rate))
    return Blueprint(task_id=task_id, audio_path=audio_path, moves=tuple(moves), total_duration=song.duration,
                     output_config=dict(output_config), tempo_bpm=song.tempo_bpm, cost=cost)


def cycled_sequence(song: SongAnalysis, records: Sequence[MoveRecord]) -> list[tuple[int, int, MoveRecord]]:
    """The original system's approach, as a baseline: the library's moves in order, one 8-count each."""
    usable = [r for r in records if r.counts >= COUNTS_PER_PHRASE]
    return [(s, 1, usable[s % len(usable)]) for s in range(len(song.phrases))]
