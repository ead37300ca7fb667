"""The swing-analysis job: capture through the shared engine (one pose graph per process), phases and checks,
speech and the composited video, all recorded on the swing analysis; and the end of a job that died."""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from application.analysis.capture import CapturedVideo, CaptureOptions
from application.analysis.engine import AnalysisEngine
from application.jobs.progress import FractionDone, Progress, run_reporting
from application.ports.analysis import MediaError
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.analysis.errors import AnalysisFailed
from domain.coaching.analysis import analyse_swing
from domain.coaching.records import STAGES, SwingAnalysisRecord, SwingAnalysisStatus
from domain.errors import NotFound
from domain.jobs.job import Job
from domain.storage.keys import BlobKey

from .analyse import SWING_CAPTURE, compose_coached_video
from .ports import SpeechSynthesizer, SwingAnalysisRepository, SwingVideoCompositor
from .results import SwingAnalysisResult

_RANGE = {name: (start, end) for name, start, end in STAGES}


@dataclass
class CaptureMemo:
    """The last few captures by the file's SHA-256: the app uploads the same recording again under a new id
    after a lost connection, and the pose track of the same bytes under the same options is the same."""

    size: int = 4
    _items: OrderedDict[tuple[str, CaptureOptions], CapturedVideo] = field(default_factory=OrderedDict)

    def get(self, key: tuple[str, CaptureOptions]) -> CapturedVideo | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: tuple[str, CaptureOptions], value: CapturedVideo) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def analysis_id_of(job: Job) -> int:
    return int(job.payload["analysis_id"])


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSwingAnalysis:
    """Job handler (kind ``swing_analysis``). Payload: ``analysis_id``, ``video_key``, ``playback_speed``."""

    engine: AnalysisEngine
    analyses: SwingAnalysisRepository
    blobs: BlobStore
    synthesizer: SpeechSynthesizer
    compositor: SwingVideoCompositor
    memo: CaptureMemo
    tx: TransactionManager
    clock: Clock
    options: CaptureOptions = SWING_CAPTURE
    speech_speed: float = 1.0

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        record = await self.analyses.get(analysis_id_of(job))
        if record is None:
            raise NotFound(f"No swing analysis {analysis_id_of(job)} was requested (its video was deleted?)")
        if record.job_id is not None and record.job_id != job.id:
            return {"analysis_id": record.id, "superseded_by": record.job_id}
        if record.status.finished:
            return {"analysis_id": record.id, "status": record.status.value}  # a second run: already ended
        record = record.start(self.clock.now())
        await self.analyses.save(record)
        await self.tx.commit()
        try:
            return await self._run(record, job, progress)
        except (MediaError, AnalysisFailed) as exc:
            reason = exc.reason if isinstance(exc, AnalysisFailed) else str(exc)
            latest = await self.analyses.get(record.id) or record
            await self.analyses.save(latest.fail(reason, self.clock.now()))
            await self.tx.commit()
            raise AnalysisFailed(reason) from exc

    async def _stage(self, record: SwingAnalysisRecord, stage: str, progress: Progress,
                     message: str) -> SwingAnalysisRecord:
        start = _RANGE[stage][0]
        await progress(start, stage=stage, message=message)
        record = record.advance(stage, start, self.clock.now())
        await self.analyses.save(record)
        await self.tx.commit()
        return record

    async def _run(self, record: SwingAnalysisRecord, job: Job, progress: Progress) -> dict[str, Any]:
        source_key = BlobKey.parse(str(job.payload["video_key"]))
        out_key = BlobKey.parse(f"renders/swing-{record.id}/composited.mp4")
        with tempfile.TemporaryDirectory(prefix="swing-") as tmp:
            src = Path(tmp) / "source"
            await self.blobs.download_to(source_key, src)
            record = await self._stage(record, "pose_detection", progress, "Finding the golfer's pose in every frame")
            captured = await self._capture(src, progress)
            record = await self._stage(record, "analysis", progress, "Finding the swing's events and measuring it")
            started = time.perf_counter()
            analysis = await asyncio.to_thread(analyse_swing, captured.track, record.playback_speed)
            result = SwingAnalysisResult(video=captured.video, analysis=analysis, track=captured.track,
                                         stage_seconds={**captured.stage_seconds,
                                                        "swing_analysis": time.perf_counter() - started})
            record = await self._stage(record, "video_composition", progress,
                                       "Speaking the coaching script and drawing the coached video")
            out = Path(tmp) / "composited.mp4"
            stages = await asyncio.to_thread(compose_coached_video, self.synthesizer, self.compositor, src, result,
                                             out, None, self.speech_speed)
            await self.blobs.put(out_key, await asyncio.to_thread(out.read_bytes), "video/mp4")
        final = SwingAnalysisResult(video=result.video, analysis=result.analysis, track=result.track,
                                    stage_seconds={**result.stage_seconds, **stages},
                                    composited_video_key=out_key.value)
        body = {**final.to_dict(), "futuregolf": final.futuregolf_ai_analysis()}
        latest = await self.analyses.get(record.id) or record
        await self.analyses.save(latest.complete(body, out_key.value, self.clock.now()))
        await self.tx.commit()
        await progress(1.0, stage="done", message="The analysis is complete")
        return {"analysis_id": record.id, "composited_video_key": out_key.value,
                "stage_seconds": body["stage_seconds"]}

    async def _capture(self, src: Path, progress: Progress) -> CapturedVideo:
        key = (await asyncio.to_thread(_sha256, src), self.options)
        known = self.memo.get(key)
        if known is not None:
            return known
        start, end = _RANGE["pose_detection"]

        async def capture(done: FractionDone) -> CapturedVideo:
            return await self.engine.capture(src, self.options, done)

        captured = await run_reporting(capture, progress, start=start, end=end, stage="pose_detection",
                                       message="Finding the golfer's pose in every frame")
        self.memo.put(key, captured)
        return captured


@dataclass(frozen=True, slots=True, kw_only=True)
class FailSwingAnalysisOfJob:
    """A swing-analysis job failed for good (a crash, spent attempts, a lost worker): its analysis ends failed
    with the job's reason, unless a newer job runs it."""

    analyses: SwingAnalysisRepository
    tx: TransactionManager
    clock: Clock

    async def __call__(self, job: Job) -> None:
        record = await self.analyses.get(analysis_id_of(job))
        if record is None or record.status in (SwingAnalysisStatus.COMPLETED, SwingAnalysisStatus.FAILED):
            return
        if record.job_id is not None and record.job_id != job.id:
            return
        await self.analyses.save(record.fail(job.error or "The analysis job ended without a result.",
                                             self.clock.now()))
        await self.tx.commit()
