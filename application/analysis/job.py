"""The pose-analysis job: fetch the video, run the pipeline, store pose data, record the scores or the reason."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from application.analysis.engine import AnalysisEngine
from application.analysis.pipeline import AnalysisOutcome
from application.analysis.requests import check_url
from application.analysis.results import submission_result
from application.jobs.progress import FractionDone, Progress, run_reporting
from application.ports.analysis import MediaError
from application.ports.analysis_records import AnalysisRepository, SubmissionResultSink, VideoFetcher
from application.ports.persistence import JobRepository, TransactionManager
from application.ports.pose_data import PoseDataStore, StoredPoseData
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.analysis import posedata
from domain.analysis.errors import AnalysisFailed
from domain.analysis.pose import PoseTrack
from domain.analysis.record import AnalysisRecord, AnalysisStatus
from domain.errors import InvalidInput, NotFound
from domain.jobs.job import Job
from domain.storage.keys import BlobKey


def analysis_id_of(job: Job) -> str:
    # Jobs queued before analyses had their own ids name only the submission, which is then also the id.
    return str(job.payload.get("analysis_id") or job.payload["submission_id"])


@dataclass(frozen=True, slots=True, kw_only=True)
class PoseAnalysisHandler:
    engine: AnalysisEngine
    analyses: AnalysisRepository
    blobs: BlobStore
    pose_data: PoseDataStore
    fetcher: VideoFetcher
    sink: SubmissionResultSink
    tx: TransactionManager
    clock: Clock
    _demo_problems: dict[str, str] = field(init=False, default_factory=dict)  # analysis id -> why no comparison

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        analysis_id = analysis_id_of(job)
        record = await self.analyses.get(analysis_id)
        if record is None:
            raise NotFound(f"No analysis {analysis_id} was requested")
        if record.job_id is not None and record.job_id != job.id:
            return {"analysis_id": record.id, "superseded_by": record.job_id}  # a newer request runs it
        if record.status is not AnalysisStatus.PROCESSING:
            return {"analysis_id": record.id, "status": record.status.value}  # a second run: already ended
        try:
            outcome = await self._analyse(record, progress)
        except (MediaError, AnalysisFailed, InvalidInput, NotFound) as exc:
            reason = exc.reason if isinstance(exc, AnalysisFailed) else str(exc)
            record = (await self.analyses.get(analysis_id) or record).fail(reason, self.clock.now())
            await self.analyses.save(record)
            await self._tell_submission(record, None)
            await self.tx.commit()
            raise AnalysisFailed(reason) from exc
        problem = self._demo_problems.pop(record.id, None)
        if problem is not None:
            outcome = replace(outcome, report=replace(outcome.report, warnings=(*outcome.report.warnings, problem)))
        await progress(0.97, stage="storing")
        video = {"width": outcome.video.width, "height": outcome.video.height, "fps": outcome.video.fps,
                 "duration": outcome.video.duration, "rotation": outcome.video.rotation}
        key = await self.pose_data.save_analysis(
            record.id, StoredPoseData(track=outcome.track, beats=outcome.beats, target_bpm=record.target_bpm), video)
        latest = await self.analyses.get(analysis_id) or record
        record = latest.complete(outcome.report.to_dict(), key, self.clock.now())
        await self.analyses.save(record)
        await self._tell_submission(record, outcome)
        await self.tx.commit()
        stages = {k: round(v, 3) for k, v in outcome.stage_seconds.items()}
        return {"analysis_id": record.id, "submission_id": record.submission_id,
                "total_score": round(outcome.report.total, 1), "stages": stages}

    async def _tell_submission(self, record: AnalysisRecord, outcome: AnalysisOutcome | None) -> None:
        if record.submission_id is not None:
            await self.sink.record(submission_result(
                record, None if outcome is None else outcome.report,
                None if outcome is None else outcome.video.duration))

    async def _analyse(self, record: AnalysisRecord, progress: Progress) -> AnalysisOutcome:
        with tempfile.TemporaryDirectory(prefix="analysis-") as folder:
            video = Path(folder) / "video"
            await progress(0.0, stage="fetching")
            if record.source_key is not None:
                await self.blobs.download_to(BlobKey.parse(record.source_key), video)
            elif record.source_url is not None:
                await self.fetcher.fetch(check_url(record.source_url), video,
                                         max_bytes=self.engine.max_download_bytes,
                                         timeout=self.engine.download_timeout)
            reference = await self._reference(record, Path(folder))
            await progress(0.05, stage="pose_detection")

            def analyse(done: FractionDone) -> Any:
                return self.engine.run(video, target_bpm=record.target_bpm, reference=reference, progress=done,
                                       min_duration_s=record.min_duration_s)

            outcome: AnalysisOutcome = await run_reporting(
                analyse, progress, start=0.05, end=0.95, stage="pose_detection",
                also=lambda value: self._advance(record.id, value))
            return outcome

    async def _reference(self, record: AnalysisRecord, folder: Path) -> PoseTrack | None:
        """The demo's track, or None, and then the dancer is scored without a comparison (the report says
        why): a demo that became unreadable must not take the dancer's score with it."""
        if record.reference_key is None:
            return None
        ref_key = BlobKey.parse(record.reference_key)
        known = await self.pose_data.reference(ref_key.value)
        if known is not None:
            return known
        path = folder / "reference"
        try:
            await self.blobs.download_to(ref_key, path)
            track = posedata.quantize(await self.engine.track_of(path))
        except (NotFound, MediaError, AnalysisFailed) as exc:
            self._demo_problems[record.id] = f"The challenge's demo video could not be analysed ({exc}), " \
                "so the performance was scored without a comparison."
            return None
        await self.pose_data.save_reference(ref_key.value, track)
        return track

    async def _advance(self, analysis_id: str, value: float) -> None:
        current = await self.analyses.get(analysis_id)
        if current is not None and current.status is AnalysisStatus.PROCESSING:
            await self.analyses.save(current.advance(value, self.clock.now()))
            await self.tx.commit()


@dataclass(frozen=True, slots=True, kw_only=True)
class FailAnalysisOfJob:
    """A pose-analysis job failed for good (a crash, spent attempts, a lost worker): its analysis ends failed
    with the same reason, and so does the submission's score, unless a newer job runs the analysis."""

    analyses: AnalysisRepository
    sink: SubmissionResultSink
    tx: TransactionManager
    clock: Clock

    async def __call__(self, job: Job) -> None:
        record = await self.analyses.get(analysis_id_of(job))
        if record is None or record.status is not AnalysisStatus.PROCESSING:
            return
        if record.job_id is not None and record.job_id != job.id:
            return
        record = record.fail(job.error or "The analysis job ended without a result.", self.clock.now())
        await self.analyses.save(record)
        if record.submission_id is not None:
            await self.sink.record(submission_result(record, None))
        await self.tx.commit()


@dataclass(frozen=True, slots=True, kw_only=True)
class RepairStuckAnalyses:
    """An analysis still "processing" whose job has ended (or never existed) ends failed with the job's reason.
    Run at start-up and by the reconciler, it also heals records left by versions before the job outbox."""

    analyses: AnalysisRepository
    jobs: JobRepository
    sink: SubmissionResultSink
    tx: TransactionManager
    clock: Clock

    async def __call__(self) -> int:
        repaired = 0
        for record in await self.analyses.processing():
            job = None if record.job_id is None else await self.jobs.get(record.job_id)
            if job is not None and not job.status.finished:
                continue
            reason = (job.error if job is not None and job.error else None) or \
                "The analysis job ended without a result; request the analysis again."
            failed = record.fail(reason, self.clock.now())
            await self.analyses.save(failed)
            if failed.submission_id is not None:
                await self.sink.record(submission_result(failed, None))
            repaired += 1
        await self.tx.commit()
        return repaired
