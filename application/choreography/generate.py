"""Generate a choreography for a song: blueprint (analysis, search, optimiser), video assembly, upload.

Job-handler shaped: the lead's job handler builds a ``GenerateCommand`` from the job's payload and passes a
``StageProgress`` bound to the job record. Messages quote the tempo ("128.0 BPM, 77.5s") and the number of
matching moves ("Found 12 matching moves"): the web client's reasoning panel reads them with regular expressions.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from application.choreography.ports import MoveIndex, SongAnalyzer, VideoAssembler
from application.ports.storage import BlobStore
from domain.choreography import blueprint as bp
from domain.choreography.song import SongAnalysis
from domain.storage.keys import BlobKey

StageProgress = Callable[[str, float, str], Awaitable[None]]
"""(stage, progress 0..100, message) for the job record."""

# Half the 58-clip library: the optimiser weighs energy and difficulty fit itself, so the search only narrows the
# field; with 16 the cut poses had too few partners (benchmarks/choreography.py, README "Choreography").
CANDIDATES_PER_SLOT = 32


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerateCommand:
    task_id: str
    song_path: Path
    preferences: bp.Preferences
    result_key: BlobKey
    song: SongAnalysis | None = None  # the stored analysis, when the song was analysed on upload
    resolution: str = "480p"


@dataclass(frozen=True, slots=True)
class GenerateResult:
    blueprint: bp.Blueprint
    key: BlobKey
    duration: float
    file_size: int
    num_moves: int
    difficulty: str

    def to_dict(self) -> dict[str, object]:
        return {"video_key": str(self.key), "duration": round(self.duration, 2), "file_size": self.file_size,
                "num_moves": self.num_moves, "difficulty": self.difficulty}


def _candidates(index: MoveIndex, song: SongAnalysis, prefs: bp.Preferences) -> list[list[bp.Candidate]]:
    energy, difficulty = bp.slot_targets(song, prefs)
    records = index.records()
    ends = [bp.Candidate(r, 0.0) for r in records
            if r.move_label in bp.INTRO_LABELS | bp.OUTRO_LABELS]  # always on offer at the song's ends
    turns = [bp.Candidate(r, 0.0) for r in records if r.move_label in bp.TURN_LABELS] if prefs.turn_weight else []
    cache: dict[float, list[bp.Candidate]] = {}
    out: list[list[bp.Candidate]] = []
    for s in range(len(song.phrases)):
        key = round(float(energy[s]), 2)
        if key not in cache:
            hits = index.search(index.query(key, difficulty, song.tempo_bpm), CANDIDATES_PER_SLOT)
            cache[key] = [bp.Candidate(index.record(h.clip_id), h.score) for h in hits]
        out.append(cache[key] + ends + turns)
    return out


def plan_blueprint(index: MoveIndex, song: SongAnalysis, cmd: GenerateCommand) -> tuple[bp.Blueprint, int]:
    """The blueprint and how many distinct moves matched the request."""
    cands = _candidates(index, song, cmd.preferences)
    matching = len({c.record.clip_id for slot in cands for c in slot})
    sequence, cost = bp.optimise(song, cands, cmd.preferences)
    config = {"output_path": str(cmd.result_key), "resolution": cmd.resolution, "video_codec": "h264",
              "audio_codec": "aac"}
    return bp.build_blueprint(cmd.task_id, str(cmd.song_path), song, sequence, config, cost), matching


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerateChoreography:
    analyzer: SongAnalyzer
    index: MoveIndex
    assembler: VideoAssembler
    blobs: BlobStore
    clip_root: Path
    work_dir: Path | None = None

    async def __call__(self, cmd: GenerateCommand, progress: StageProgress) -> GenerateResult:
        await progress("generating_blueprint", 2, "Analyzing music...")
        song = cmd.song if cmd.song is not None else await asyncio.to_thread(self.analyzer.analyze, cmd.song_path)
        await progress("generating_blueprint", 10,
                       f"Music analyzed: {song.tempo_bpm:.1f} BPM, {song.duration:.1f}s, "
                       f"{len(song.phrases)} 8-counts in {len(song.sections)} sections")
        blueprint, matching = await asyncio.to_thread(plan_blueprint, self.index, song, cmd)
        await progress("generating_blueprint", 20, f"Found {matching} matching moves")
        await progress("generating_blueprint", 25,
                       f"Created blueprint with {len(blueprint.moves)} moves on {len(song.phrases)} 8-counts")
        loop = asyncio.get_running_loop()
        with tempfile.TemporaryDirectory(dir=self.work_dir) as tmp:
            output = Path(tmp) / f"choreography_{cmd.task_id}.mp4"
            await progress("video_assembly", 30, "Assembling video clips...")
            last = [0.0]
            pending: list[concurrent.futures.Future[None]] = []
            one_at_a_time = asyncio.Lock()  # reports share the job's database session: never two at once

            def on_progress(fraction: float) -> None:
                for done in pending:  # a report that raised (the task was cancelled) stops the render here
                    if done.done() and done.exception() is not None:
                        raise done.exception()  # type: ignore[misc]
                if fraction - last[0] >= 0.05 or fraction >= 1.0:
                    last[0] = fraction
                    pct = 30 + 60 * fraction
                    message = f"Assembling video clips... {fraction:.0%}"

                    async def report(pct: float = pct, message: str = message) -> None:
                        async with one_at_a_time:  # FIFO: the reports land in the order they were made
                            await progress("video_assembly", pct, message)

                    pending.append(asyncio.run_coroutine_threadsafe(report(), loop))

            try:
                duration = await asyncio.to_thread(self.assembler.assemble, blueprint, self.clip_root, output,
                                                   on_progress)
            except BaseException:
                await asyncio.gather(*(asyncio.wrap_future(f) for f in pending), return_exceptions=True)
                raise
            # every report lands before the next stage's
            await asyncio.gather(*(asyncio.wrap_future(f) for f in pending))
            await progress("uploading_result", 92, "Uploading video...")
            data = await asyncio.to_thread(output.read_bytes)
            info = await self.blobs.put(cmd.result_key, data, "video/mp4")
        await progress("completed", 100, "Choreography generated successfully")
        return GenerateResult(blueprint=blueprint, key=cmd.result_key, duration=duration, file_size=info.size,
                              num_moves=len(blueprint.moves), difficulty=cmd.preferences.difficulty)
