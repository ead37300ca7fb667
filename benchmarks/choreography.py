"""Choreography speed and quality. ``python benchmarks/choreography.py [--quick] [--records moves.json]
[--sampled-orders]`` (needs ../shared/media; the move library is the committed records of the 58 shared clips
unless another is given).

Speed: blueprint for a 3-minute generated song (song analysed, and cold: analysis + index load included) and
assembly of that 3-minute choreography at 480p (ratio to real time). Quality, measured by our own capture (ONNX
pose at 15 fps) on rendered videos of the generated demo songs:
- beat alignment (on the 77.5 s song): Beat Align Score (sigma 0.10 s, the project's rhythm measure) of the motion
  beats (minima of joint speed) against the song's beats, for our blueprint vs the original's approach (library
  moves cycled in order, each played at its own speed, cut every 8 song counts);
- pose jump at cuts (over the three demo songs, every cut pooled, then with the 3-minute song's too): mean
  distance (torso lengths) between the followed dancer's pose on the last frame before each crossfade and the
  first frame after it, for our sequence vs the same moves in a random order (each the same stretch of its clip,
  retimed the same way). Since each stretch is captured on its own, a cut's jump depends only on the two stretches
  it joins, and the random order's expected jump is exact: the mean over every ordered pair of two of the
  routine's moves (``_random_expectation``; our first move's entry and last move's exit read on a second render,
  the same moves rotated by one place). ``--sampled-orders`` also renders 4 random orders a song and reports their
  measured mean, the estimate that expectation replaces.
  Printed twice: with the entry pose as captured on the stretch's first frame (the tracker starts there cold) and
  as reached warm (the stretch's first 1.5 s captured backwards, so the tracker arrives at that frame after
  following the dancer).
Each move's stretch of the rendered video (crossfades left out) is captured on its own; see ``_capture_quality``.
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.media.ffmpeg_assembler import FfmpegVideoAssembler  # noqa: E402
from adapters.music.demo_song_files import write_demo_song  # noqa: E402
from adapters.music.librosa_song import LibrosaSongAnalyzer  # noqa: E402
from adapters.search.faiss_moves import FaissMoveIndex  # noqa: E402
from application.analysis.capture import CaptureOptions  # noqa: E402
from application.choreography.generate import GenerateCommand, plan_blueprint  # noqa: E402
from domain.analysis.scoring.prepare import prepare_track  # noqa: E402
from domain.analysis.scoring.rhythm import kinetic_speed, motion_beats  # noqa: E402
from domain.choreography import blueprint as bp  # noqa: E402
from domain.choreography.demo_songs import DEMO_SPECS, DemoSpec  # noqa: E402
from domain.choreography.moves import BODY, MoveRecord, pose_distance  # noqa: E402
from domain.storage.keys import BlobKey  # noqa: E402
from entrypoints.pipeline_factory import make_capture  # noqa: E402

MEDIA = ROOT.parent / "shared" / "media"
CLIPS = MEDIA / "moves"
RECORDS = ROOT / "tests" / "integration" / "choreography" / "data" / "shared_moves.json"
THREE_MIN = DemoSpec("Benchmark 3 min (generated)", 128.0, seed=7, plan=(
    ("intro", 2), ("verse", 8), ("chorus", 8), ("verse", 8), ("chorus", 8), ("verse", 8), ("chorus", 4), ("outro", 2)))


def _records() -> list[MoveRecord]:
    path = Path(sys.argv[sys.argv.index("--records") + 1]) if "--records" in sys.argv else RECORDS
    return [MoveRecord.from_dict(m) for m in json.loads(path.read_text())["moves"]]


def _cmd(path: Path) -> GenerateCommand:
    return GenerateCommand(task_id="bench", song_path=path, result_key=BlobKey.parse("renders/bench.mp4"),
                           preferences=bp.Preferences(difficulty="intermediate", energy_level="medium"))


def _unretimed(song, sequence, records) -> bp.Blueprint:
    """Each move at its own speed from its count 1, one cut every 8 song counts (the original's cycle)."""
    moves = []
    for idx, (first, k, rec) in enumerate(sequence):
        start = 0.0 if idx == 0 else song.phrases[first].start
        end = song.duration if idx == len(sequence) - 1 else song.phrases[first + k - 1].end
        c0 = rec.count_times[0] - (song.phrases[first].start - start)
        anchors = ((start, c0), (end, c0 + (end - start)))
        moves.append(bp.BlueprintMove(
            clip_id=rec.clip_id, video_path=rec.labels.video_path, move_label=rec.move_label, start_time=start,
            duration=end - start, trim_in=max(0.0, c0), trim_out=c0 + end - start, playback_rate=1.0,
            count_map=anchors, transition={"type": "cut", "duration": 0.0}, section="", first_phrase=first,
            phrases=k, counts=8 * k))
    return bp.Blueprint("cycled", song_path_of(song), tuple(moves), song.duration, {"resolution": "480p"})


_SONG_PATHS: dict[int, str] = {}


def song_path_of(song) -> str:
    return _SONG_PATHS[id(song)]


def _bas(motion: np.ndarray, beats: np.ndarray, sigma: float = 0.10) -> float:
    """Beat Align Score (Li et al. 2021, AIST++): mean over music beats of exp(-d^2 / 2 sigma^2)."""
    if motion.size == 0:
        return 0.0
    d = np.array([np.min(np.abs(motion - b)) for b in beats])
    return float(np.mean(np.exp(-(d ** 2) / (2 * sigma ** 2))))


def _precision(motion: np.ndarray, beats: np.ndarray, sigma: float = 0.10) -> float:
    """The mirror image (the project's rhythm measure uses both): the share of motion beats that land on a beat."""
    if motion.size == 0 or beats.size == 0:
        return 0.0
    d = np.array([np.min(np.abs(beats - m)) for m in motion])
    return float(np.mean(np.exp(-(d ** 2) / (2 * sigma ** 2))))


def _split(video: Path, cuts: list[float], fade: float, folder: Path) -> list[tuple[float, Path]]:
    """The rendered video as one file per move, without the crossfade frames: (start in the song, file)."""
    bounds = [0.0, *cuts, np.inf]
    spans = [(a + (fade / 2 if i else 0.0), b - fade / 2) for i, (a, b) in enumerate(itertools.pairwise(bounds))]
    folder.mkdir(parents=True, exist_ok=True)
    outs, streams, files = [], [], []
    for i, (a, _) in enumerate(spans):
        f = folder / f"seg{i:03d}.mp4"
        out = av.open(str(f), mode="w")
        vs = out.add_stream("libx264", rate=24, options={"preset": "ultrafast", "crf": "18"})
        vs.width, vs.height, vs.pix_fmt = 854, 480, "yuv420p"
        outs.append(out)
        streams.append(vs)
        files.append((a, f))
    counters = [0] * len(spans)
    with av.open(str(video)) as src:
        for frame in src.decode(video=0):
            t = float(frame.time)
            for i, (a, b) in enumerate(spans):
                if a - 1e-6 <= t < b:
                    frame.pts, frame.time_base = counters[i], Fraction(1, 24)
                    counters[i] += 1
                    for packet in streams[i].encode(frame):
                        outs[i].mux(packet)
    for out, vs in zip(outs, streams, strict=True):
        for packet in vs.encode(None):
            out.mux(packet)
        out.close()
    return files


def _reversed_head(segment: Path, seconds: float, out: Path) -> Path:
    """The first ``seconds`` of a stretch, frames in reverse order: captured, the tracker reaches the stretch's
    first frame warm (after ``seconds`` of following the dancer) instead of starting on it cold."""
    with av.open(str(segment)) as src:
        frames = [f.to_ndarray(format="rgb24") for f in itertools.islice(src.decode(video=0), round(24 * seconds))]
    with av.open(str(out), mode="w") as dst:
        vs = dst.add_stream("libx264", rate=24, options={"preset": "ultrafast", "crf": "18"})
        vs.width, vs.height, vs.pix_fmt = frames[0].shape[1], frames[0].shape[0], "yuv420p"
        for rgb in reversed(frames):
            for packet in vs.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                dst.mux(packet)
        for packet in vs.encode(None):
            dst.mux(packet)
    return out


def _body(track) -> tuple[np.ndarray, np.ndarray]:
    """Hip-centred body points per frame and the torso length per frame."""
    xy = track.landmarks[:, :, :2]
    hip = 0.5 * (xy[:, 23] + xy[:, 24])
    torso = np.linalg.norm(0.5 * (xy[:, 11] + xy[:, 12]) - hip, axis=1)
    return xy[:, list(BODY)] - hip[:, None], torso


def _last_valid(body: np.ndarray) -> np.ndarray | None:
    ok = np.nonzero(np.all(np.isfinite(body.reshape(body.shape[0], -1)), axis=1))[0]
    return body[ok[-1]] if ok.size else None


WARM_HEAD_S = 1.5
RANDOM_ORDERS = 4


Pose = np.ndarray | None


def _capture_quality(capture, video: Path, song, cuts: list[float], fade: float,
                     folder: Path) -> tuple[str, list[Pose], list[Pose], list[Pose]]:
    """BAS, and each stretch's exit pose and entry pose (cold and warm), with each move's stretch captured on its
    own (the tracker starts afresh on every clip, as when the library was captured, instead of carrying the last
    clip's dancer's position over a cut onto whichever partner stands there; measured: 3 of 14 cut sides followed
    the other dancer that way), the crossfade frames left out, and each pose hip-centred and divided by its own
    stretch's median torso (the library normalises per clip; one scale for the whole video would count camera
    distance as a jump). A stretch's poses depend on that stretch only, so the jump at a cut is a distance between
    two stretches' poses; the first stretch has no entry reading (None)."""
    beats = np.array(song.beat_times)
    motion, covered, firsts, warm_firsts, lasts = [], np.zeros(beats.size, dtype=bool), [], [], []
    for i, (start, f) in enumerate(_split(video, cuts, fade, folder)):
        c = capture(f, CaptureOptions(sample_fps=15.0, min_duration_s=1.0))
        p = prepare_track(c.track)
        motion.extend(start + motion_beats(p, kinetic_speed(p)))
        t = c.track.timestamps
        covered |= (beats >= start + t[0]) & (beats <= start + t[-1])
        body, torso = _body(c.track)
        scale = float(np.nanmedian(torso))
        body = body / scale
        ok = np.nonzero(np.all(np.isfinite(body.reshape(body.shape[0], -1)), axis=1))[0]
        firsts.append(body[ok[0]] if ok.size and i else None)
        lasts.append(body[ok[-1]] if ok.size else None)
        warm_firsts.append(None)
        if i:  # the entry pose again, reached warm: the stretch's head captured backwards, every frame
            head = capture(_reversed_head(f, WARM_HEAD_S, folder / f"head{i:03d}.mp4"),
                           CaptureOptions(sample_fps=None, min_duration_s=1.0, with_audio=False))
            warm = _last_valid(_body(head.track)[0])
            warm_firsts[i] = None if warm is None else warm / scale
    m, b = np.sort(np.array(motion)), beats[covered]
    bas, prec = _bas(m, b), _precision(m, b)
    text = f"BAS {bas:.3f} (precision {prec:.3f}, {m.size} motion beats for {b.size} beats)"
    return text, lasts, firsts, warm_firsts


def _jump(a: Pose, b: Pose) -> float | None:
    """The pose jump between two readings (the library's own measure), None where a side was not seen."""
    return None if a is None or b is None else pose_distance(a.ravel(), b.ravel())


def _cut_jumps(lasts: list[Pose], entries: list[Pose]) -> list[float]:
    """The jump at each cut of one render: stretch i's exit to stretch i + 1's entry."""
    return [j for j in (_jump(a, b) for a, b in zip(lasts, entries[1:], strict=False)) if j is not None]


def _random_expectation(exits: list[list[Pose]], entries: list[list[Pose]]) -> float:
    """The mean jump at a cut over every order of the routine's moves: in a uniformly random order each cut joins a
    uniformly random ordered pair of two different moves (of the routine's n, repeats counted), so the expectation
    is the mean over the n(n - 1) pairs of move i's exit and move j's entry, each averaged over its readings (the
    renders in which that move was not last, resp. not first)."""
    pairs = []
    for i, outs in enumerate(exits):
        for j, ins in enumerate(entries):
            if i != j:
                ds = [d for a in outs for b in ins if (d := _jump(a, b)) is not None]
                if ds:
                    pairs.append(float(np.mean(ds)))
    return float(np.mean(pairs))


def main(quick: bool = False, sampled: bool = False) -> None:
    analyzer = LibrosaSongAnalyzer()
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        path = write_demo_song(THREE_MIN, tmp)
        tj = time.perf_counter()
        analyzer.warm_up()  # numba's one-off compilation of librosa's kernels (paid at process start-up)
        jit = time.perf_counter() - tj
        t0 = time.perf_counter()
        song = analyzer.analyze(path)
        records = _records()
        index = FaissMoveIndex()
        index.rebuild(records)
        blue, matching = plan_blueprint(index, song, _cmd(path))
        cold = time.perf_counter() - t0
        t1 = time.perf_counter()
        for _ in range(5):
            plan_blueprint(index, song, _cmd(path))
        warm = (time.perf_counter() - t1) / 5
        print(f"song {song.duration:.1f} s, {song.tempo_bpm:.1f} BPM, {len(song.phrases)} 8-counts; "
              f"{len(blue.moves)} moves from {matching} matching")
        print(f"blueprint, song analysed: {warm:.3f} s (target <= 1 s); cold (analysis + index): {cold:.2f} s "
              f"(target <= 5 s); librosa's one-off numba warm-up at start-up: {jit:.1f} s")
        t2 = time.perf_counter()
        FfmpegVideoAssembler("480p").assemble(blue, CLIPS, tmp / "three_min.mp4")
        asm = time.perf_counter() - t2
        print(f"assembly 480p of {song.duration:.1f} s: {asm:.1f} s ({song.duration / asm:.2f}x real time; "
              f"target <= 30 s; shared 2-core machine)")
        if quick:
            return

        capture = make_capture("onnx", onnx_model=MEDIA.parent / "models" / "pose_landmark_full.onnx",
                               smooth_crop=False)  # as the move library was captured
        assembler = FfmpegVideoAssembler("480p")

        def render(b: bp.Blueprint, name: str) -> Path:
            out = tmp / f"{name}.mp4"
            assembler.assemble(b, CLIPS, out)
            return out

        def placements(moves: list[tuple[int, MoveRecord, int]]) -> list[bp.Placement]:
            out, slot = [], 0
            for k, rec, first_count in moves:
                out.append((slot, k, rec, first_count))
                slot += k
            return out

        def stretches(b: bp.Blueprint, name: str, song) -> tuple[str, list[Pose], list[Pose], list[Pose]]:
            return _capture_quality(capture, render(b, name), song, [m.start_time for m in b.moves[1:]],
                                    bp.CROSSFADE_S, tmp / f"seg_{name}")

        # per song and reading: (our cut jumps, the random order's expected jump, sampled random orders' jumps)
        songs: list[tuple[str, dict[str, tuple[list[float], float, list[float]]]]] = []
        for n, spec in enumerate((*DEMO_SPECS, THREE_MIN)):
            qpath = write_demo_song(spec, tmp)
            qsong = analyzer.analyze(qpath)
            _SONG_PATHS[id(qsong)] = str(qpath)
            ours, _ = plan_blueprint(index, qsong, _cmd(qpath))
            seq = [(m.phrases, index.record(m.clip_id), m.first_count) for m in ours.moves]
            bas_ours, lasts, cold, warm = stretches(ours, f"ours{n}", qsong)
            # our first move's entry and our last move's exit are not seen in our order: the same moves rotated
            # by one place show them (the last move now cut after its own counts, the first entered on its count)
            rot = bp.build_blueprint("rotated", str(qpath), qsong, placements(seq[1:] + seq[:1]),
                                     {"resolution": "480p"})
            _, r_lasts, r_cold, r_warm = stretches(rot, f"rotated{n}", qsong)
            moves = len(seq)
            at = [(i - 1) % moves for i in range(moves)]  # where our move i sits in the rotated order
            # a move's exit is read where it is not the last move, its entry where it is not the first
            exits = [[p for p, last in ((lasts[i], i == moves - 1), (r_lasts[at[i]], at[i] == moves - 1))
                      if not last and p is not None] for i in range(moves)]
            figures: dict[str, tuple[list[float], float, list[float]]] = {}
            for how, entries_ours, entries_rot in (("cold", cold, r_cold), ("warm", warm, r_warm)):
                entries = [[p for p in (entries_ours[i], entries_rot[at[i]]) if p is not None]
                           for i in range(moves)]
                figures[how] = (_cut_jumps(lasts, entries_ours), _random_expectation(exits, entries), [])
            if spec is DEMO_SPECS[1]:  # beat alignment against the original's cycle, on one song
                cycled = bp.cycled_sequence(qsong, records)
                base = _unretimed(qsong, cycled, records)
                bas_cyc, _, _, _ = _capture_quality(capture, render(base, "cycled"), qsong,
                                                    [m.start_time for m in base.moves[1:]], 0.0, tmp / "seg_cycled")
                print(f"beat alignment (sigma 0.1 s) on {qsong.duration:.1f} s: ours {bas_ours}; "
                      f"moves cycled without retiming {bas_cyc}")
            for seed in range(RANDOM_ORDERS if sampled else 0):
                order = np.random.default_rng(seed).permutation(moves)
                rb = bp.build_blueprint("random", str(qpath), qsong, placements([seq[i] for i in order]),
                                        {"resolution": "480p"})
                _, rl, rc, rw = stretches(rb, f"random{n}_{seed}", qsong)
                figures["cold"][2].extend(_cut_jumps(rl, rc))
                figures["warm"][2].extend(_cut_jumps(rl, rw))
            songs.append((spec.title, figures))
            cuts_text = "; ".join(f"{how} " + " ".join(f"{j:.3f}" for j in f[0]) for how, f in figures.items())
            print(f"{spec.title}, {qsong.duration:.1f} s, {moves} moves ({len({s[1].clip_id for s in seq})} clips): "
                  + "; ".join(f"{how} {np.mean(f[0]):.3f} vs random order {f[1]:.3f}"
                              + (f" (sampled {np.mean(f[2]):.3f})" if f[2] else "") for how, f in figures.items())
                  + f"\n  each of our cuts, {cuts_text}")
        for label, pool in ((f"the {len(DEMO_SPECS)} demo songs", songs[:len(DEMO_SPECS)]),
                            (f"the {len(DEMO_SPECS)} demo songs and the 3-minute one", songs)):
            for how in ("cold", "warm"):
                ours_jumps = [j for _, f in pool for j in f[how][0]]
                # each song's expectation weighted by its cuts, as pooling its cuts would
                expected = sum(len(f[how][0]) * f[how][1] for _, f in pool) / len(ours_jumps)
                entry = ("captured cold on the stretch's first frame" if how == "cold"
                         else f"reached warm ({WARM_HEAD_S} s captured backwards)")
                # how far the figure could move with other cuts of the same kind: our cuts resampled (the random
                # order's figure is an exact expectation over the same stretches, so it is held)
                boot = np.random.default_rng(0).choice(ours_jumps, size=(4000, len(ours_jumps))).mean(axis=1)
                low, high = np.percentile(100 * (1 - boot / expected), [2.5, 97.5])
                line = (f"mean pose jump at cuts over {label}, entry pose {entry}: ours {np.mean(ours_jumps):.3f} "
                        f"torso lengths ({len(ours_jumps)} cuts), random order {expected:.3f} (expected over every "
                        f"order): {100 * (1 - np.mean(ours_jumps) / expected):.1f} % lower (95 % bootstrap interval "
                        f"over our cuts {low:.0f} to {high:.0f} %)")
                sampled_jumps = [j for _, f in pool for j in f[how][2]]
                if sampled_jumps:
                    lower = 100 * (1 - np.mean(ours_jumps) / np.mean(sampled_jumps))
                    line += (f"; {RANDOM_ORDERS} sampled orders a song {np.mean(sampled_jumps):.3f} "
                             f"({len(sampled_jumps)} cuts): {lower:.1f} % lower")
                print(line)

if __name__ == "__main__":
    main(quick="--quick" in sys.argv, sampled="--sampled-orders" in sys.argv)
