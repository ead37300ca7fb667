"""iDance AI & scoring: analyze-pose, analysis-status, score-submission, the pose-analysis job, /ai/health."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, Router, get, post

from application.analysis.health import AnalysisHealth, GetAnalysisHealth
from application.analysis.requests import AnalysisRequest, GetAnalysis, RequestAnalysis
from application.analysis.rescoring import RescoreSubmission
from application.jobs.runner import GetJob
from application.ports.storage import BlobStore
from domain.analysis.record import AnalysisRecord
from domain.storage.keys import BlobKey
from domain.storage.links import POSE_DATA_LINK
from entrypoints.http.auth import Caller
from entrypoints.http.common.schemas import iso
from entrypoints.http.ratelimit import AI, EXEMPT

ESTIMATED_SECONDS = 60  # a 30 s clip at 15 fps on two cores, with margin; see benchmarks/pose_pipeline.py


class PoseJobBody(msgspec.Struct, kw_only=True):
    submission_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    video_url: str | None = None
    file_key: str | None = None
    target_bpm: float | None = None


class AnalyzeBody(PoseJobBody, kw_only=True):
    challenge_type: str | None = None


class Breakdown(msgspec.Struct):
    balance: float
    rhythm: float
    smoothness: float
    creativity: float


class AnalysisOut(msgspec.Struct):
    submission_id: str
    status: str
    progress: float
    pose_data_url: str | None
    score_breakdown: Breakdown | None
    total_score: float | None
    feedback: str | None
    error_message: str | None
    created_at: str | None
    completed_at: str | None
    # Additions beyond the seed's fields: how the scores were measured.
    confidence: float | None = None
    rhythm_basis: str | None = None
    feedback_items: list[str] | None = None
    metrics: dict[str, float] | None = None
    comparison: dict[str, Any] | None = None
    job_id: str | None = None
    rhythm_reason: str | None = None  # why rhythm was not measurable, when it was not
    total_max: float | None = None  # 100, or 70 when rhythm could not be measured
    warnings: list[str] | None = None  # what limits the scores (other people in view, no demo comparison, ...)


async def analysis_out(record: AnalysisRecord, blobs: BlobStore) -> AnalysisOut:
    report = record.performance()
    pose_url = None
    if record.pose_data_key is not None and report is not None:
        pose_url = (await blobs.presign_download(BlobKey.parse(record.pose_data_key), POSE_DATA_LINK)).url
    return AnalysisOut(
        submission_id=record.submission_id or record.id,
        status=record.status.value,
        progress=round(record.progress, 3),
        pose_data_url=pose_url,
        score_breakdown=None if report is None else Breakdown(**report.breakdown()),
        total_score=None if report is None else round(report.total, 1),
        feedback=None if report is None else report.feedback,
        error_message=record.error,
        created_at=iso(record.created_at),
        completed_at=iso(record.completed_at),
        confidence=None if report is None else round(report.confidence, 3),
        rhythm_basis=None if report is None else report.rhythm_basis,
        feedback_items=None if report is None else list(report.feedback_items),
        metrics=None if report is None else dict(report.metrics),
        comparison=None if report is None or report.comparison is None else report.comparison.to_dict(),
        job_id=record.job_id,
        rhythm_reason=None if report is None else report.rhythm_reason,
        total_max=None if report is None else report.total_max,
        warnings=None if report is None else list(report.warnings),
    )


@post("/api/ai/analyze-pose", status_code=200, opt=AI)
@inject
async def analyze_pose(data: AnalyzeBody, caller: FromDishka[Caller], use_case: FromDishka[RequestAnalysis],
                       blobs: FromDishka[BlobStore]) -> AnalysisOut:
    """Queue a real pose analysis; answers at once with `processing`. Poll analysis-status for the result."""
    record = await use_case(AnalysisRequest(submission_id=data.submission_id, user=caller.user,
                                            video_url=data.video_url, file_key=data.file_key,
                                            challenge_type=data.challenge_type, target_bpm=data.target_bpm))
    return await analysis_out(record, blobs)


@get("/api/ai/analysis-status/{submission_id:str}")
@inject
async def analysis_status(submission_id: str, caller: FromDishka[Caller], use_case: FromDishka[GetAnalysis],
                          blobs: FromDishka[BlobStore]) -> AnalysisOut:
    return await analysis_out(await use_case(submission_id, caller.user), blobs)


class ScoreBody(msgspec.Struct):
    submission_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class ScoreOut(msgspec.Struct):
    submission_id: str
    status: str
    score_breakdown: Breakdown
    total_score: float
    feedback: str
    confidence: float
    rhythm_basis: str


@post("/api/ai/score-submission", status_code=200, opt=AI)
@inject
async def score_submission(data: ScoreBody, caller: FromDishka[Caller],
                           use_case: FromDishka[RescoreSubmission]) -> ScoreOut:
    report = await use_case(data.submission_id, caller.user)
    b = report.breakdown()
    return ScoreOut(submission_id=data.submission_id, status="scored",
                    score_breakdown=Breakdown(balance=b["balance"], rhythm=b["rhythm"], smoothness=b["smoothness"],
                                              creativity=b["creativity"]),
                    total_score=round(report.total, 1), feedback=report.feedback,
                    confidence=round(report.confidence, 3), rhythm_basis=report.rhythm_basis)


class PoseJobOut(msgspec.Struct):
    job_id: str
    status: str
    estimated_duration: int
    submission_id: str


@post("/api/background/jobs/pose-analysis", status_code=200, opt=AI)
@inject
async def queue_pose_analysis(data: PoseJobBody, caller: FromDishka[Caller], use_case: FromDishka[RequestAnalysis],
                              get_job: FromDishka[GetJob]) -> PoseJobOut:
    record = await use_case(AnalysisRequest(submission_id=data.submission_id, user=caller.user,
                                            video_url=data.video_url, file_key=data.file_key,
                                            target_bpm=data.target_bpm))
    assert record.job_id is not None
    job = await get_job(record.job_id, caller.user)
    return PoseJobOut(job_id=job.id, status=job.status.value, estimated_duration=ESTIMATED_SECONDS,
                      submission_id=record.submission_id or record.id)


@get("/ai/health", opt=EXEMPT)
@inject
async def ai_health(use_case: FromDishka[GetAnalysisHealth]) -> Response[dict[str, Any]]:
    """Measured: the model is loaded or not yet, each dependency answers or not, the running count is known or
    null. 503 when the database (without which no analysis can be requested) is unreachable."""
    h: AnalysisHealth = await use_case()
    body = {
        "status": h.status,
        "service": "ai_pose_analysis",
        "active_analyses": h.active_analyses,
        "running_in_this_process": h.engine.running,
        "version": "1.0.0",
        "backend": h.engine.backend,
        "model_loaded": h.engine.model_loaded,
        "analysis_fps": h.engine.analysis_fps,
        "dependencies": h.dependencies,
        "features": {
            "mediapipe_integration": h.engine.backend == "mediapipe",
            "onnx_integration": h.engine.backend == "onnx",
            "real_video_analysis": h.status != "unhealthy",
            "pose_detection": h.engine.model_loaded,
            "scoring_algorithms": True,  # pure code in this process: present whenever this answers
            "music_beat_tracking": h.status != "unhealthy",
        },
    }
    return Response(body, status_code=503 if h.status == "unhealthy" else 200)


router = Router(path="/", route_handlers=[analyze_pose, analysis_status, score_submission, queue_pose_analysis,
                                          ai_health], tags=["iDance: AI & scoring"])
