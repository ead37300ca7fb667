"""The blueprint optimiser: which move on which 8-counts, and how each clip is timed onto the song.

Slots are the song's 8-counts. A move covering k consecutive slots plays 8k consecutive counts of its clip, from
its count 1 or from a later half phrase (count 5, 9, ...: bachata's basic repeats every 4 counts, three steps and
a tap), so each clip offers several entry and cut poses. The sequence minimises, by dynamic programming over a
semi-Markov chain (Viterbi with durations; Rabiner 1989, "A tutorial on hidden Markov models", section on
variable-duration HMMs), the sum of
- transition cost: the poses either side of the cut, i.e. the outgoing move's pose just before the count it is
  cut on (not the clip's last pose) to the incoming move's pose just after the count it starts on, each as the
  crossfade leaves it to be seen (``MoveRecord.cut_entries``/``cut_exits``: read on the clip's whole track and on
  the clip tracked afresh from where the move starts). The cost is the expected mean joint distance (torso lengths)
  over every pair of readings, plus what the readings of each side disagree by (a pose two ways of looking see
  differently may be seen as neither), times ``Weights.transition`` and ``transition_weight`` (raised by "smooth
  transitions"), plus how far the dancer's hip moves sideways in the frame across the cut; the state of the chain
  is therefore (move, first count, 8-counts it covers); the same clip twice in a row and the same label twice cost
  extra (variety);
- fit per slot: |move energy - target| with the target following the section's own energy around the requested
  level, |move difficulty - requested|, the search similarity, style and "turns" preferences, and how well the
  move's dancers mark its counts (its step alignment: a move whose steps fall on its counts puts them on the
  song's beats once retimed);
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

from domain.choreography.moves import COUNTS_PER_PHRASE, CUT_MARGIN_S, HALF_PHRASE, MoveRecord, pose_distance

__all__ = ["pose_distance"]
from domain.choreography.song import SongAnalysis

FloatArray = npt.NDArray[np.float64]
_BLOCKED = 1e6  # cost of a move not among a slot's candidates (finite, so sums stay comparable)

MAX_PHRASES_PER_MOVE = 4
CROSSFADE_S = 2 * CUT_MARGIN_S  # 0.12 s, centred on the cut; the cut poses are read at its edges
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
    steps: float = 2.0  # per unit of the move's step alignment missing (dancers who mark the counts are wanted)
    transition: float = 4.0  # a pose jump at a cut is what a viewer sees first; see benchmarks/choreography.py
    hip_shift: float = 0.25  # per torso length the dancer's hip moves sideways across a cut
    uncertainty: float = 1.0  # per torso length the readings of a cut pose disagree (see _transitions)
    same_clip: float = 2.0
    same_label: float = 0.4
    cut: float = 0.3
    late_start: float = 0.0  # playing a move from a later half phrase than its clip's count 1
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
    first_count: int = 0  # the clip's count the move starts on (0 is the clip's count 1; a multiple of 4)

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
            "phrases": self.phrases, "counts": self.counts, "first_count": self.first_count,
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
                phrases=int(m["phrases"]), counts=int(m["counts"]), first_count=int(m.get("first_count", 0)))
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
        if np.isfinite(r.step_alignment):
            cost += w.steps * (1.0 - r.step_alignment)
        if r.move_label in style:
            cost -= w.style
        if r.move_label in TURN_LABELS:
            cost -= w.turns * prefs.turn_weight
        if prefs.simple and r.move_label == "basic":
            cost -= w.style
        out[i] = cost
    return out


Placement = tuple[int, int, MoveRecord, int]
"""(first slot, slots covered, move, the clip's count it starts on: 0, 4, 8, ...)."""


def optimise(song: SongAnalysis, candidates: Sequence[Sequence[Candidate]], prefs: Preferences,
             weights: Weights = Weights()) -> tuple[list[Placement], float]:
    """Best sequence of placements and its cost. ``candidates[s]``: slot s's candidates."""
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
    # Variants: a move played for k 8-counts from its clip's count o (a multiple of 4, o + 8k <= its counts).
    variants = [(i, o, k) for i, c in enumerate(cands)
                for k in range(1, min(MAX_PHRASES_PER_MOVE, c.record.counts // COUNTS_PER_PHRASE) + 1)
                for o in range(0, c.record.counts - COUNTS_PER_PHRASE * k + 1, HALF_PHRASE)]
    trans = _transitions(cands, variants, prefs, weights)
    overuse = np.zeros(m)
    best_path: list[tuple[int, int, int]] = []
    best_cost = np.inf
    for _round in range(4):
        path, penalised = _viterbi(n, unary + overuse[None, :], trans, variants, cands, weights)
        used = np.bincount([variants[v][0] for _, v in path], minlength=m)
        # judge every round by the true objective: its cost without the steering penalty, plus overuse counted once
        steer = float(sum(overuse[variants[v][0]] * variants[v][2] for _, v in path))
        cost = penalised - steer + weights.overuse * float(np.sum(np.maximum(used - 2, 0)))
        if cost < best_cost:
            best_path, best_cost = [(j, variants[v][2], v) for j, v in path], cost
        extra = weights.overuse * np.maximum(used - 2, 0)
        if not extra.any():
            break
        overuse = overuse + extra
    return [(j, k, cands[variants[v][0]].record, variants[v][1]) for j, k, v in best_path], float(best_cost)


def _transitions(cands: Sequence[Candidate], variants: Sequence[tuple[int, int, int]], prefs: Preferences,
                 w: Weights) -> FloatArray:
    """trans[u, v]: variant u, then variant v. The poses are those either side of the cut (u's readings just
    before the count after the 8-counts it plays, v's just after the count it starts on), where the viewer sees
    the jump."""
    recs = [cands[i].record for i, _, _ in variants]
    exits = _readings([r.exit_readings(o, o + COUNTS_PER_PHRASE * k) for r, (_, o, k) in zip(recs, variants,
                                                                                             strict=True)])
    # an entry depends on (move, first count) only, not on how long the move then plays: computed once for each
    starts = {(i, o): n for n, (i, o) in enumerate(dict.fromkeys((i, o) for i, o, _ in variants))}
    entries = _readings([cands[i].record.entry_readings(o) for i, o in starts])
    entry_of = np.array([starts[(i, o)] for i, o, _ in variants])
    # the expected jump over every reading of either side: poses that one way of looking sees differently from
    # another are uncertain, and the mean of the distances (never below the distance of the means) counts that
    jump = np.zeros((len(variants), len(starts)))
    for a in range(exits.shape[1]):
        for b in range(entries.shape[1]):
            for j in range(exits.shape[2]):  # joint by joint: (variants, starts) at a time
                jump += np.hypot(exits[:, None, a, j, 0] - entries[None, :, b, j, 0],
                                 exits[:, None, a, j, 1] - entries[None, :, b, j, 1])
    jump /= exits.shape[1] * entries.shape[1] * exits.shape[2]
    trans = jump[:, entry_of]
    # and a pose the readings disagree on may be seen as neither: what they disagree by is charged on top
    trans += w.uncertainty * (_spread(exits)[:, None] + _spread(entries)[entry_of][None, :])
    exit_hips = [r.hip_at_count(o + COUNTS_PER_PHRASE * k) for r, (_, o, k) in zip(recs, variants, strict=True)]
    entry_hips = [r.hip_at_count(o) for r, (_, o, _) in zip(recs, variants, strict=True)]
    if all(h is not None for h in exit_hips + entry_hips):
        trans += w.hip_shift * np.abs(np.array(exit_hips, dtype=np.float64)[:, None]
                                      - np.array(entry_hips, dtype=np.float64)[None, :])
    trans *= w.transition * prefs.transition_weight
    move = np.array([i for i, _, _ in variants])
    labels = np.array([cands[i].record.move_label for i in move])
    trans += w.same_label * (labels[:, None] == labels[None, :]) + w.same_clip * (move[:, None] == move[None, :])
    return np.asarray(trans, dtype=np.float64)


def _spread(readings: FloatArray) -> FloatArray:
    """(variants,): mean joint distance of each reading from the variant's first one, averaged over readings."""
    gaps = np.linalg.norm(readings - readings[:, :1], axis=3).mean(axis=2)  # (variants, readings)
    return np.asarray(gaps.sum(axis=1) / max(readings.shape[1] - 1, 1), dtype=np.float64)


def _readings(per_variant: Sequence[Sequence[Sequence[float]]]) -> FloatArray:
    """(variants, readings, joints, 2); a variant with fewer readings repeats its own (the mean is unchanged)."""
    most = max(len(r) for r in per_variant)
    rows = [[list(reads[n % len(reads)]) for n in range(most)] for reads in per_variant]
    arr = np.asarray(rows, dtype=np.float64)
    return arr.reshape(arr.shape[0], most, -1, 2)


def _viterbi(n: int, unary: FloatArray, trans: FloatArray, variants: Sequence[tuple[int, int, int]],
             cands: Sequence[Candidate], w: Weights) -> tuple[list[tuple[int, int]], float]:
    """Semi-Markov Viterbi whose states are the variants (move, first count, 8-counts covered), since the poses
    at a cut depend on where the move starts and where it is cut. Returns [(first slot, variant)] and the cost."""
    nv = len(variants)
    move = np.array([i for i, _, _ in variants])
    ks = np.array([k for _, _, k in variants])
    counts = np.array([cands[i].record.counts for i in move], dtype=np.float64)
    labels = [cands[i].record.move_label for i in move]
    intro = np.array([lb in INTRO_LABELS for lb in labels])
    outro = np.array([lb in OUTRO_LABELS for lb in labels])
    has_intro, has_outro = bool(intro.any()), bool(outro.any())
    cut = w.cut * (counts - COUNTS_PER_PHRASE * ks) / counts
    cut = cut + w.late_start * (np.array([o for _, o, _ in variants]) > 0)
    cum = np.vstack([np.zeros((1, unary.shape[1])), np.cumsum(unary, axis=0)])  # cum[i] = sum of slots < i
    dp = np.full((n + 1, nv), np.inf)  # dp[end, v]: best cost of slots < end, variant v covering the last ones
    back = np.full((n + 1, nv), -1, dtype=np.int64)
    for end in range(1, n + 1):
        for k in range(1, min(MAX_PHRASES_PER_MOVE, end) + 1):
            vs = np.nonzero(ks == k)[0]
            if vs.size == 0:
                continue
            start = end - k
            place = (cum[end] - cum[start])[move[vs]] + cut[vs]
            if has_intro:
                place = place + np.where(intro[vs], 0.0 if start == 0 else w.intro_outro,
                                         w.intro_outro if start == 0 else 0.0)
            if has_outro:
                place = place + np.where(outro[vs], 0.0 if end == n else w.intro_outro,
                                         w.intro_outro if end == n else 0.0)
            if start == 0:
                dp[end, vs] = place
                continue
            options = dp[start][:, None] + trans[:, vs]  # (previous variants, these variants)
            prev = np.asarray(np.argmin(options, axis=0), dtype=np.int64)
            dp[end, vs] = options[prev, np.arange(vs.size)] + place
            back[end, vs] = prev
    state = int(np.argmin(dp[n]))
    cost = float(dp[n, state])
    if not np.isfinite(cost) or cost >= _BLOCKED:
        raise BlueprintError("no sequence of the candidate moves covers the song's 8-counts")
    path: list[tuple[int, int]] = []
    end = n
    while end > 0:
        path.append((end - int(ks[state]), state))
        prev_state = int(back[end, state])
        end -= int(ks[state])
        state = prev_state
    path.reverse()
    return path, cost


def build_blueprint(task_id: str, audio_path: str, song: SongAnalysis,
                    sequence: Sequence[Placement | tuple[int, int, MoveRecord]], output_config: Mapping[str, object],
                    cost: float = 0.0, crossfade: float = CROSSFADE_S) -> Blueprint:
    """Time the chosen moves onto the song: the first starts at 0, the last ends with the song. A placement
    without its first count starts on the clip's count 1."""
    moves: list[BlueprintMove] = []
    for idx, item in enumerate(sequence):
        first, k, rec = item[0], item[1], item[2]
        c0 = item[3] if len(item) > 3 else 0
        song_counts: list[float] = []
        for p in song.phrases[first:first + k]:
            song_counts.extend(p.beat_times)
        song_counts.append(song.phrases[first + k - 1].end)
        clip_counts = rec.count_times[c0: c0 + COUNTS_PER_PHRASE * k + 1]
        anchors = list(zip(song_counts, clip_counts, strict=True))
        start = 0.0 if idx == 0 else song_counts[0]
        end = song.duration if idx == len(sequence) - 1 else song_counts[-1]
        mv = BlueprintMove(
            clip_id=rec.clip_id, video_path=rec.labels.video_path, move_label=rec.move_label, start_time=start,
            duration=end - start, trim_in=0.0, trim_out=0.0, playback_rate=1.0, count_map=tuple(anchors),
            transition={"type": "crossfade" if idx else "cut", "duration": crossfade if idx else 0.0},
            section=section_of(song, first), first_phrase=first, phrases=k, counts=COUNTS_PER_PHRASE * k,
            first_count=c0)
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
