"""Breaking a dance video down into steps, as a job: source the video, capture, cut, describe, render, store.

Nothing is stored half-way: media go to the blob store only once every stage has succeeded, and a failed upload
removes what was already put. Every failure ends as ``BreakdownFailed`` with the reason.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, cast

from application.analysis.capture import CapturedVideo, CaptureOptions, VideoCapture
from application.breakdown.polish import polish
from application.breakdown.ports import CaptureRunner, OutlineRenderer, RenderedMedia, VideoSource
from application.breakdown.views import MediaUrls, post_answer
from application.jobs.progress import FractionDone
from application.ports.analysis import MediaError
from application.ports.analysis_records import VideoFetcher
from application.ports.language import LanguageModel, TemplateLanguageModel
from application.ports.storage import BlobStore
from domain.breakdown.errors import BreakdownFailed
from domain.breakdown.model import Breakdown, Mode, TargetDifficulty
from domain.breakdown.routine import break_down
from domain.errors import DomainError, NotFound
from domain.jobs.job import Job
from domain.storage.keys import BlobKey

DANCE_BREAKDOWN: Final = "dance-breakdown"
CAPTURE_OPTIONS: Final = CaptureOptions(sample_fps=15, min_duration_s=3.0)
_MB: Final = 1024 * 1024
Progress = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakdownRequest:
    user_id: str
    breakdown_id: str
    mode: Mode = "auto"
    target_difficulty: TargetDifficulty = "intermediate"
    video_path: Path | None = None  # a local file (CLI, tests)
    file_key: str | None = None  # an uploaded blob
    video_url: str | None = None  # a direct media URL or a page a VideoSource reads

    @staticmethod
    def of_payload(payload: dict[str, Any], user_id: str | None) -> BreakdownRequest:
        mode = payload.get("mode", "auto")
        target = payload.get("target_difficulty", "intermediate")
        if mode not in ("auto", "manual"):
            raise BreakdownFailed(f"mode must be auto or manual, not {mode!r}")
        if target not in ("beginner", "intermediate", "advanced"):
            raise BreakdownFailed(f"target_difficulty must be beginner, intermediate or advanced, not {target!r}")
        path = payload.get("video_path")
        return BreakdownRequest(user_id=str(payload.get("user_id") or user_id or ""),
                                breakdown_id=str(payload["breakdown_id"]), mode=cast(Mode, mode),
                                target_difficulty=cast(TargetDifficulty, target),
                                video_path=Path(path) if path else None, file_key=payload.get("file_key"),
                                video_url=payload.get("video_url"))


@dataclass(frozen=True, slots=True)
class BreakdownOutcome:
    breakdown: Breakdown
    title: str | None
    video_url: str | None
    media: dict[str, BlobKey]  # playable, outline, thumbnail
    polish_note: str | None  # why the language model's wording was not used, when it was asked and refused
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def answer(self, urls: MediaUrls | None = None) -> dict[str, Any]:
        return post_answer(self.breakdown, video_url=self.video_url, urls=urls or MediaUrls(None, None, None),
                           title=self.title)


@dataclass(frozen=True, slots=True)
class LockedCapture(CaptureRunner):
    """A capture on a thread under a lock, for a process without the analysis engine (the CLI, benchmarks)."""

    video_capture: VideoCapture
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one pose graph per process

    async def capture(self, path: Path, options: CaptureOptions, progress: FractionDone) -> CapturedVideo:
        async with self.lock:
            return await asyncio.to_thread(self.video_capture, path, options, progress)


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakDownDance:
    """The breakdown work for the job handler, the CLI and tests: source, capture, cut, describe, render, store.

    ``capture`` is the process's one pose graph: the app passes its ``AnalysisEngine``, so a breakdown and an
    iDance analysis never run pose at the same time."""

    capture: CaptureRunner
    renderer: OutlineRenderer
    blobs: BlobStore
    language: LanguageModel = field(default_factory=TemplateLanguageModel)
    fetcher: VideoFetcher | None = None
    source: VideoSource | None = None
    options: CaptureOptions = CAPTURE_OPTIONS
    max_download_bytes: int = 300 * _MB
    download_timeout: float = 120.0

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        outcome = await self.run(BreakdownRequest.of_payload(job.payload, job.user_id), progress)
        return {"answer": outcome.answer(), "media": {k: v.value for k, v in outcome.media.items()},
                "polish_note": outcome.polish_note}

    async def run(self, request: BreakdownRequest, progress: Progress | None = None) -> BreakdownOutcome:
        report = progress or _no_progress
        with tempfile.TemporaryDirectory(prefix="breakdown-") as tmp:
            folder = Path(tmp)
            clock = [time.perf_counter()]
            stages: dict[str, float] = {}

            def lap(name: str) -> None:
                now = time.perf_counter()
                stages[name] = now - clock[0]
                clock[0] = now

            path, title = await self._source(request, folder)
            lap("source")
            await report(0.05)
            captured = await self._capture(path, report)
            lap("capture")
            breakdown = break_down(
                captured.track, captured.video.duration,
                beat_times=captured.beats.beat_times if captured.beats is not None else None,
                onset_strength=captured.audio.onset_strength if captured.audio is not None else None,
                onset_rate=captured.audio.onset_rate if captured.audio is not None else 0.0,
                mode=request.mode, target=request.target_difficulty)
            lap("segment_describe")
            await report(0.82)
            polished = await polish(breakdown, self.language)
            lap("polish")
            await report(0.85)
            media = await self._render(path, captured, polished.breakdown, folder)
            lap("render")
            await report(0.95)
            keys = await self._store(request, media)
            lap("store")
            await report(1.0)
        return BreakdownOutcome(breakdown=polished.breakdown, title=title, video_url=request.video_url, media=keys,
                                polish_note=polished.rejected_because,
                                stage_seconds=stages | {f"capture_{k}": v for k, v in captured.stage_seconds.items()})

    async def _source(self, request: BreakdownRequest, folder: Path) -> tuple[Path, str | None]:
        if request.video_path is not None:
            if not request.video_path.is_file():
                raise BreakdownFailed(f"{request.video_path.name} does not exist")
            return request.video_path, None
        target = folder / "source"
        try:
            if request.file_key:
                key = BlobKey.parse(request.file_key)
                key.check_access(request.user_id, is_admin=False)
                await self.blobs.download_to(key, target)
                return target, None
            if request.video_url:
                if self.source is not None and self.source.handles(request.video_url):
                    got = await self.source.download(request.video_url, folder, max_bytes=self.max_download_bytes,
                                                     timeout=self.download_timeout)
                    return got.path, got.title
                if self.fetcher is None:
                    raise BreakdownFailed("fetching videos by URL is not configured")
                await self.fetcher.fetch(request.video_url, target, max_bytes=self.max_download_bytes,
                                         timeout=self.download_timeout)
                return target, None
        except NotFound as exc:
            raise BreakdownFailed("the uploaded file was not found") from exc
        except MediaError as exc:
            raise BreakdownFailed(str(exc)) from exc
        except DomainError as exc:
            if isinstance(exc, BreakdownFailed):
                raise
            raise BreakdownFailed(exc.message) from exc
        raise BreakdownFailed("give a video: a file_key or a video_url")

    async def _capture(self, path: Path, report: Progress) -> CapturedVideo:
        latest = [0.0]
        done = asyncio.Event()

        async def forward() -> None:
            while not done.is_set():
                await report(0.05 + 0.75 * latest[0])
                try:
                    await asyncio.wait_for(done.wait(), timeout=0.5)
                except TimeoutError:
                    continue

        def on_progress(fraction: float) -> None:
            latest[0] = fraction

        ticker = asyncio.create_task(forward())
        try:
            return await self.capture.capture(path, self.options, on_progress)
        except MediaError as exc:
            raise BreakdownFailed(str(exc)) from exc
        finally:
            done.set()
            await ticker

    async def _render(self, path: Path, captured: CapturedVideo, breakdown: Breakdown, folder: Path
                      ) -> RenderedMedia:
        try:
            return await asyncio.to_thread(self.renderer.render, path, captured.track, breakdown, folder)
        except MediaError as exc:
            raise BreakdownFailed(f"the outline video could not be made: {exc}") from exc

    async def _store(self, request: BreakdownRequest, media: RenderedMedia) -> dict[str, BlobKey]:
        base = ("breakdowns", request.user_id or "cli", request.breakdown_id)
        plan: dict[str, tuple[BlobKey, Path, str]] = {
            "playable": (BlobKey.parse("/".join((*base, "video.mp4"))), media.playable, "video/mp4"),
            "outline": (BlobKey.parse("/".join((*base, "outline.mp4"))), media.outline, "video/mp4"),
            "thumbnail": (BlobKey.parse("/".join((*base, "thumbnail.jpg"))), media.thumbnail, "image/jpeg"),
        }
        stored: dict[str, BlobKey] = {}
        try:
            for name, (key, file, content_type) in plan.items():
                await self.blobs.put(key, file.read_bytes(), content_type)
                stored[name] = key
        except BaseException:
            for key in stored.values():
                await self.blobs.delete(key)
            raise
        return stored


async def _no_progress(_fraction: float) -> None:
    return None


