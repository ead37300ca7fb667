"""Choreography speed and quality. ``python benchmarks/choreography.py [--quick]`` (needs ../shared/media).

Speed: blueprint for a 3-minute generated song (song analysed, and cold: analysis + index load included) and
assembly of that 3-minute choreography at 480p (ratio to real time). Quality, measured by our own capture (ONNX
pose at 15 fps) on rendered videos of a generated 77.5 s song:
- beat alignment: Beat Align Score (sigma 0.10 s, the project's rhythm measure) of the motion beats (minima of joint
  speed) against the song's beats, for our blueprint vs the original's approach (library moves cycled in order,
  each played at its own speed, cut every 8 song counts);
- pose jump at cuts: mean distance (torso lengths) between the followed dancer's normalised pose 1 frame before and
  after each cut, for our sequence vs the same slots in a random order (mean of 3 seeds).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

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
from domain.choreography.moves import BODY, MoveRecord  # noqa: E402
from domain.storage.keys import BlobKey  # noqa: E402
from entrypoints.pipeline_factory import make_capture  # noqa: E402

MEDIA = ROOT.parent / "shared" / "media"
CLIPS = MEDIA / "moves"
RECORDS = ROOT / "tests" / "integration" / "choreography" / "data" / "shared_moves.json"
THREE_MIN = DemoSpec("Benchmark 3 min (generated)", 128.0, seed=7, plan=(
    ("intro", 2), ("verse", 8), ("chorus", 8), ("verse", 8), ("chorus", 8), ("verse", 8), ("chorus", 4), ("outro", 2)))


def _records() -> list[MoveRecord]:
    return [MoveRecord.from_dict(m) for m in json.loads(RECORDS.read_text())["moves"]]


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


def _cut_jumps(track, cuts: list[float], fade: float) -> list[float]:
    """Pose jump at each cut, like with like: the last frame before the crossfade and the first after it, each pose
    hip-centred and divided by the median torso of its own clip's segment (the library's poses are normalised per
    clip; one scale for the whole video would count camera distance as a jump)."""
    t = track.timestamps
    xy = track.landmarks[:, :, :2]
    hip = 0.5 * (xy[:, 23] + xy[:, 24])
    torso = np.linalg.norm(0.5 * (xy[:, 11] + xy[:, 12]) - hip, axis=1)
    bounds = [-np.inf, *cuts, np.inf]

    def pose(i: int, lo: float, hi: float) -> np.ndarray:
        seg = (t >= lo) & (t < hi) & np.isfinite(torso)
        return (xy[i, list(BODY)] - hip[i]) / float(np.median(torso[seg])) if seg.any() else np.full((12, 2), np.nan)

    jumps = []
    for j, cut in enumerate(cuts):
        before = np.nonzero(t <= cut - fade / 2 + 1e-9)[0]
        after = np.nonzero(t >= cut + fade / 2 - 1e-9)[0]
        if before.size and after.size:
            a, b = pose(int(before[-1]), bounds[j], cut), pose(int(after[0]), cut, bounds[j + 2])
            if np.all(np.isfinite(a)) and np.all(np.isfinite(b)):
                jumps.append(float(np.mean(np.linalg.norm(a - b, axis=1))))
    return jumps


def _capture_quality(capture, video: Path, song, cuts: list[float], fade: float) -> tuple[float, float]:
    c = capture(video, CaptureOptions(sample_fps=15.0, min_duration_s=2.0))
    p = prepare_track(c.track)
    beats = np.array(song.beat_times)
    motion = motion_beats(p, kinetic_speed(p))
    jumps = _cut_jumps(c.track, cuts, fade)
    return _bas(motion, beats), float(np.mean(jumps)) if jumps else float("nan")


def main(quick: bool = False) -> None:
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

        qpath = write_demo_song(DEMO_SPECS[1], tmp)
        qsong = analyzer.analyze(qpath)
        _SONG_PATHS[id(qsong)] = str(qpath)
        ours, _ = plan_blueprint(index, qsong, _cmd(qpath))
        capture = make_capture("onnx", onnx_model=MEDIA.parent / "models" / "pose_landmark_full.onnx")
        assembler = FfmpegVideoAssembler("480p")

        def render(b: bp.Blueprint, name: str) -> Path:
            out = tmp / f"{name}.mp4"
            assembler.assemble(b, CLIPS, out)
            return out

        ours_cuts = [m.start_time for m in ours.moves[1:]]
        bas_ours, jump_ours = _capture_quality(capture, render(ours, "ours"), qsong, ours_cuts, bp.CROSSFADE_S)
        cycled = bp.cycled_sequence(qsong, records)
        base = _unretimed(qsong, cycled, records)
        bas_cyc, _ = _capture_quality(capture, render(base, "cycled"), qsong, [m.start_time for m in base.moves[1:]],
                                     0.0)
        seq = [(j, k, index.record(m.clip_id)) for j, k, m in
               ((m.first_phrase, m.phrases, m) for m in ours.moves)]
        random_jumps = []
        for seed in range(3):
            order = np.random.default_rng(seed).permutation(len(seq))
            shuffled, slot = [], 0
            recs = [seq[i][2] for i in order]
            ks = [seq[i][1] for i in order]
            for rec, k in zip(recs, ks, strict=True):
                shuffled.append((slot, k, rec))
                slot += k
            rb = bp.build_blueprint("random", str(qpath), qsong, shuffled, {"resolution": "480p"})
            _, j = _capture_quality(capture, render(rb, f"random{seed}"), qsong, [m.start_time for m in rb.moves[1:]],
                                    bp.CROSSFADE_S)
            random_jumps.append(j)
        jr = float(np.mean(random_jumps))
        print(f"beat alignment (BAS, sigma 0.1 s) on {qsong.duration:.1f} s: ours {bas_ours:.3f}, "
              f"moves cycled without retiming {bas_cyc:.3f}")
        print(f"mean pose jump at cuts: ours {jump_ours:.3f} torso lengths, random order {jr:.3f} "
              f"({100 * (1 - jump_ours / jr):.0f} % lower)")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
