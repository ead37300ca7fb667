"""Use cases: analyse a swing video (capture at the source's frame rate, then the coaching domain) and the job
that also speaks the script, composes the coached video and stores it."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from application.analysis.capture import CaptureOptions, SyncProgress, VideoCapture
from application.jobs.progress import Progress
from application.ports.storage import BlobStore
from domain.coaching.analysis import analyse_swing
from domain.jobs.job import Job
from domain.storage.keys import BlobKey

from .ports import SpeechSynthesizer, SpokenLine, SwingVideoCompositor
from .results import SwingAnalysisResult

SWING_CAPTURE = CaptureOptions(sample_fps=None, min_duration_s=2.0, max_duration_s=60.0, with_audio=False)
JOB_KIND = "swing_analysis"


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyseSwingVideo:
    """A video file -> SwingAnalysisResult. Raises MediaError (not a usable video) or NoSwingFound."""

    capture: VideoCapture
    options: CaptureOptions = SWING_CAPTURE

    def run(self, path: Path, playback_speed: float = 0.25,
            progress: SyncProgress | None = None) -> SwingAnalysisResult:
        """Synchronous and CPU-bound (for a worker thread, the CLI and the benchmark)."""
        captured = self.capture(path, self.options, progress)
        start = time.perf_counter()
        analysis = analyse_swing(captured.track, playback_speed)
        stages = {**captured.stage_seconds, "swing_analysis": time.perf_counter() - start}
        return SwingAnalysisResult(video=captured.video, analysis=analysis, track=captured.track,
                                   stage_seconds=stages)

    async def __call__(self, path: Path, playback_speed: float = 0.25) -> SwingAnalysisResult:
        return await asyncio.to_thread(self.run, path, playback_speed)


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyseSwing:
    """Job handler (kind ``swing_analysis``). Payload: ``video_key`` (the uploaded video), optional
    ``output_key`` (where the composited MP4 goes; default ``renders/swing-<job id>/composited.mp4``),
    ``playback_speed`` (default 0.25) and ``voice``. Returns ``SwingAnalysisResult.to_dict()`` with
    ``futuregolf`` (the app's ai_analysis) added."""

    capture: VideoCapture
    synthesizer: SpeechSynthesizer
    compositor: SwingVideoCompositor
    blobs: BlobStore
    options: CaptureOptions = SWING_CAPTURE
    speech_speed: float = 1.0

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        payload = job.payload
        source_key = BlobKey.parse(str(payload["video_key"]))
        out_key = BlobKey.parse(str(payload.get("output_key") or f"renders/swing-{job.id}/composited.mp4"))
        speed = float(payload.get("playback_speed", 0.25))
        voice = payload.get("voice")
        await progress(0.02)
        with tempfile.TemporaryDirectory(prefix="swing-") as tmp:
            src = Path(tmp) / "source"
            await self.blobs.download_to(source_key, src)
            loop = asyncio.get_running_loop()
            last = [0.0]

            def report(fraction: float) -> None:
                if fraction - last[0] >= 0.05 or fraction >= 1.0:
                    last[0] = fraction
                    loop.call_soon_threadsafe(_spawn, progress(0.05 + 0.6 * fraction))

            use_case = AnalyseSwingVideo(capture=self.capture, options=self.options)
            result = await asyncio.to_thread(use_case.run, src, speed, report)
            await progress(0.7)
            out = Path(tmp) / "composited.mp4"
            stages = await asyncio.to_thread(
                compose_coached_video, self.synthesizer, self.compositor, src, result, out,
                None if voice is None else str(voice), self.speech_speed)
            await progress(0.95)
            await self.blobs.put(out_key, out.read_bytes(), "video/mp4")
        final = SwingAnalysisResult(video=result.video, analysis=result.analysis, track=result.track,
                                    stage_seconds={**result.stage_seconds, **stages},
                                    composited_video_key=out_key.value)
        await progress(1.0)
        return {**final.to_dict(), "futuregolf": final.futuregolf_ai_analysis()}


_pending: set[asyncio.Future[None]] = set()


def _spawn(step: Awaitable[None]) -> None:
    """Runs a progress report on the loop, keeping a reference until it is done."""
    fut = asyncio.ensure_future(step)
    _pending.add(fut)
    fut.add_done_callback(_pending.discard)


def compose_coached_video(synthesizer: SpeechSynthesizer, compositor: SwingVideoCompositor, source: Path,
                          result: SwingAnalysisResult, out: Path, voice: str | None = None,
                          speed: float = 1.0) -> dict[str, float]:
    """Speak every script line and compose the video; returns the seconds each stage took."""
    start = time.perf_counter()
    spoken = [SpokenLine(ln, synthesizer.synthesize(ln.text, voice, speed)) for ln in result.analysis.script]
    tts = time.perf_counter() - start
    start = time.perf_counter()
    compositor.compose(source, result.track, result.analysis.phases, spoken, out, result.analysis.playback_speed)
    return {"tts": tts, "composite": time.perf_counter() - start}
