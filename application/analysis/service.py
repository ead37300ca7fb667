"""Analysis as a job: request it, run it on a worker, read its status, score it again from stored pose data."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from application.analysis.pipeline import AnalysisOutcome, AnalysisPipeline
from application.jobs.runner import EnqueueJob, Progress
from application.ports.analysis import MediaError
from application.ports.analysis_records import (
    AnalysisRepository,
    SubmissionAnalysis,
    SubmissionResultSink,
    VideoFetcher,
)
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.analysis import posedata
from domain.analysis.errors import AnalysisFailed
from domain.analysis.pose import PoseTrack
from domain.analysis.record import AnalysisRecord, AnalysisStatus
from domain.analysis.scoring import PerformanceReport, score_performance
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.identity.user import User
from domain.jobs.job import Job
from domain.storage.keys import BlobKey

POSE_ANALYSIS = "pose-analysis"
_MB = 1024 * 1024


@dataclass
class AnalysisEngine:
    """One per process: the pipeline, run one video at a time (one MediaPipe graph per process)."""

    pipeline: AnalysisPipeline
    backend: str
    max_download_bytes: int = 500 * _MB
    download_timeout: float = 60.0
    active: int = 0
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def run(self, path: Path, *, target_bpm: float | None, reference: PoseTrack | None,
                  progress: Callable[[float], None]) -> AnalysisOutcome:
        self.active += 1
        try:
            async with self._lock:
                return await asyncio.to_thread(self.pipeline.run, path, target_bpm=target_bpm,
                                               reference=reference, progress=progress)
        finally:
            self.active -= 1

    def warm_up(self) -> None:
        """Blocking: load the pose model and compile the beat tracker before the first video."""
        self.pipeline.capture.estimator.warm_up()
        self.pipeline.capture.audio_analyzer.warm_up()

    async def track_of(self, path: Path) -> PoseTrack:
        """The pose track of a reference (demo) video, without scoring it."""
        async with self._lock:
            return await asyncio.to_thread(self.pipeline.track, path)


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisRequest:
    submission_id: str
    user: User
    video_url: str | None = None
    file_key: str | None = None
    challenge_type: str | None = None
    target_bpm: float | None = None
    reference_key: str | None = None


def _check_url(url: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        raise InvalidInput("video_url must be an http(s) URL.", field="video_url")
    return url


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestAnalysis:
    analyses: AnalysisRepository
    enqueue: EnqueueJob
    tx: TransactionManager
    clock: Clock

    async def __call__(self, req: AnalysisRequest) -> AnalysisRecord:
        if len(req.submission_id) > 64:
            raise InvalidInput("submission_id must be 1-64 characters.", field="submission_id")
        try:
            pose_data_key(req.submission_id)
        except InvalidInput as exc:
            raise InvalidInput("submission_id may hold letters, digits and . _ - only.", field="submission_id") from exc
        if (req.video_url is None) == (req.file_key is None):
            raise InvalidInput("Give exactly one of video_url or file_key.", field="video_url")
        if req.target_bpm is not None and not 30 <= req.target_bpm <= 300:
            raise InvalidInput("target_bpm must be between 30 and 300.", field="target_bpm")
        if req.file_key is not None:
            BlobKey.parse(req.file_key).check_access(req.user.id, is_admin=req.user.is_admin)
        if req.video_url is not None:
            _check_url(req.video_url)
        existing = await self.analyses.get(req.submission_id)
        if existing is not None:
            if existing.user_id != req.user.id and not req.user.is_admin:
                raise Forbidden("This submission belongs to another user.")
            if existing.status is AnalysisStatus.PROCESSING:
                return existing  # already running: answer with its progress instead of starting twice
        now = self.clock.now()
        record = AnalysisRecord(
            submission_id=req.submission_id, user_id=existing.user_id if existing else req.user.id,
            source_url=req.video_url, source_key=req.file_key, challenge_type=req.challenge_type,
            target_bpm=req.target_bpm, reference_key=req.reference_key, created_at=now, updated_at=now,
        )
        await self.analyses.upsert(record)
        job = await self.enqueue(POSE_ANALYSIS, {"submission_id": req.submission_id}, req.user.id)
        record = replace(record, job_id=job.id)
        await self.analyses.save(record)
        await self.tx.commit()
        return record


@dataclass(frozen=True, slots=True, kw_only=True)
class GetAnalysis:
    analyses: AnalysisRepository

    async def __call__(self, submission_id: str, user: User) -> AnalysisRecord:
        record = await self.analyses.get(submission_id)
        if record is None or (record.user_id != user.id and not user.is_admin):
            raise NotFound("Analysis not found")
        return record


def pose_data_key(submission_id: str) -> BlobKey:
    return BlobKey.parse(f"pose-data/{submission_id}/pose_data.json.gz")


def reference_cache_key(reference_key: str) -> BlobKey:
    digest = hashlib.sha256(reference_key.encode()).hexdigest()[:24]
    return BlobKey.parse(f"pose-data/reference-{digest}/track.json.gz")


def _result(record: AnalysisRecord, report: PerformanceReport | None,
            video_duration: float | None = None) -> SubmissionAnalysis:
    return SubmissionAnalysis(
        submission_id=record.submission_id, completed=report is not None,
        total_score=None if report is None else round(report.total, 1),
        breakdown=None if report is None else report.breakdown(),
        feedback=None if report is None else report.feedback,
        confidence=None if report is None else round(report.confidence, 3),
        pose_data_key=record.pose_data_key, error=record.error,
        finished_at=record.completed_at or record.updated_at,
        video_duration=None if video_duration is None else round(video_duration, 2),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PoseAnalysisHandler:
    """The job: fetch the video, run the pipeline, store pose data, record the scores or the reason."""

    engine: AnalysisEngine
    analyses: AnalysisRepository
    blobs: BlobStore
    fetcher: VideoFetcher
    sink: SubmissionResultSink
    tx: TransactionManager
    clock: Clock

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        submission_id = str(job.payload["submission_id"])
        record = await self.analyses.get(submission_id)
        if record is None:
            raise NotFound(f"No analysis requested for submission {submission_id}")
        try:
            outcome = await self._analyse(record, progress)
        except (MediaError, AnalysisFailed, InvalidInput, NotFound) as exc:
            reason = exc.reason if isinstance(exc, AnalysisFailed) else str(exc)
            record = (await self.analyses.get(submission_id) or record).fail(reason, self.clock.now())
            await self.analyses.save(record)
            await self.sink.record(_result(record, None))
            await self.tx.commit()
            raise AnalysisFailed(reason) from exc
        key = pose_data_key(submission_id)
        doc = posedata.encode(outcome.track, outcome.beats, record.target_bpm, {
            "width": outcome.video.width, "height": outcome.video.height, "fps": outcome.video.fps,
            "duration": outcome.video.duration, "rotation": outcome.video.rotation,
        })
        await self.blobs.put(key, gzip.compress(json.dumps(doc).encode(), 6), "application/gzip")
        latest = await self.analyses.get(submission_id) or record
        record = latest.complete(outcome.report.to_dict(), key.value, self.clock.now())
        await self.analyses.save(record)
        await self.sink.record(_result(record, outcome.report, outcome.video.duration))
        await self.tx.commit()
        stages = {k: round(v, 3) for k, v in outcome.stage_seconds.items()}
        return {"submission_id": submission_id, "total_score": round(outcome.report.total, 1), "stages": stages}

    async def _analyse(self, record: AnalysisRecord, progress: Progress) -> AnalysisOutcome:
        with tempfile.TemporaryDirectory(prefix="analysis-") as folder:
            video = Path(folder) / "video"
            if record.source_key is not None:
                await self.blobs.download_to(BlobKey.parse(record.source_key), video)
            elif record.source_url is not None:
                await self.fetcher.fetch(_check_url(record.source_url), video,
                                         max_bytes=self.engine.max_download_bytes,
                                         timeout=self.engine.download_timeout)
            reference = await self._reference(record, Path(folder))
            await progress(0.05)
            latest = 0.0

            def on_progress(value: float) -> None:
                nonlocal latest
                latest = value

            async def report_while_running(task: asyncio.Task[AnalysisOutcome]) -> None:
                saved = 0.0
                while not task.done():
                    await asyncio.sleep(0.5)
                    if latest - saved >= 0.02:
                        saved = latest
                        await self._progress(record.submission_id, 0.05 + 0.9 * latest)
                        await progress(0.05 + 0.9 * latest)

            task = asyncio.create_task(self.engine.run(video, target_bpm=record.target_bpm, reference=reference,
                                                       progress=on_progress))
            await report_while_running(task)
            return await task

    async def _reference(self, record: AnalysisRecord, folder: Path) -> PoseTrack | None:
        if record.reference_key is None:
            return None
        ref_key = BlobKey.parse(record.reference_key)
        known = await _cached_reference(self.blobs, ref_key.value)
        if known is not None:
            return known
        path = folder / "reference"
        await self.blobs.download_to(ref_key, path)
        try:
            track = posedata.quantize(await self.engine.track_of(path))
        except (MediaError, AnalysisFailed) as exc:
            raise AnalysisFailed(f"The challenge's demo video cannot be analysed: {exc}") from exc
        document = json.dumps(posedata.encode(track, None, None)).encode()
        await self.blobs.put(reference_cache_key(ref_key.value), gzip.compress(document), "application/gzip")
        return track

    async def _progress(self, submission_id: str, value: float) -> None:
        current = await self.analyses.get(submission_id)
        if current is not None and current.status is AnalysisStatus.PROCESSING:
            await self.analyses.save(current.advance(value, self.clock.now()))
            await self.tx.commit()


@dataclass(frozen=True, slots=True, kw_only=True)
class RescoreSubmission:
    """Scores again from the stored pose data (no video decode), e.g. after a scoring improvement."""

    analyses: AnalysisRepository
    blobs: BlobStore
    sink: SubmissionResultSink
    tx: TransactionManager
    clock: Clock

    async def __call__(self, submission_id: str, user: User) -> PerformanceReport:
        record = await GetAnalysis(analyses=self.analyses)(submission_id, user)
        if record.status is AnalysisStatus.PROCESSING:
            raise InvalidInput("The analysis is still running; score it once it has completed.",
                               field="submission_id")
        if record.pose_data_key is None:
            raise InvalidInput(f"Nothing to score: the analysis failed ({record.error}).", field="submission_id")
        raw = await self.blobs.get(BlobKey.parse(record.pose_data_key))
        track, beats, target_bpm = posedata.decode(json.loads(gzip.decompress(raw)))
        reference = None
        if record.reference_key is not None and record.report and record.report.get("comparison"):
            reference = await _cached_reference(self.blobs, record.reference_key)
        report = score_performance(track, beats, target_bpm=target_bpm, reference=reference)
        record = record.rescored(report.to_dict(), self.clock.now())
        await self.analyses.save(record)
        await self.sink.record(_result(record, report))
        await self.tx.commit()
        return report


async def _cached_reference(blobs: BlobStore, reference_key: str) -> PoseTrack | None:
    cached = reference_cache_key(reference_key)
    if await blobs.info(cached) is None:
        return None
    track, _, _ = posedata.decode(json.loads(gzip.decompress(await blobs.get(cached))))
    return track
