"""Ingest a folder of labelled move clips into the move library: capture each clip, measure the move, index it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from application.analysis.capture import CaptureOptions, VideoCapture
from application.choreography.ports import CapturedClip, FloatArray, MoveIndex, MoveLibraryStore, TrackCache
from application.ports.analysis import MediaError
from domain.choreography.moves import (
    ClipLabels,
    MoveError,
    MoveRecord,
    build_move,
    cut_starts,
    with_cut_readings,
)
from domain.errors import InvalidInput

IngestProgress = Callable[[int, int, str], None]
"""(clips done, clips in all, clip id) after each clip."""

ANNOTATIONS = "annotations.json"
# Move clips are short (8-20 s); capture every one of them at 15 fps.
CLIP_OPTIONS = CaptureOptions(sample_fps=15.0, max_side=640, min_duration_s=2.0, max_duration_s=120.0)


def read_annotations(folder: Path) -> list[ClipLabels]:
    """The clips named in ``annotations.json`` that exist in ``folder``.

    A clip is found at its annotated ``video_path`` or as ``<move_label>__<clip_id>.mp4`` (the flat layout).
    """
    path = folder / ANNOTATIONS
    if not path.is_file():
        raise InvalidInput(f"{folder} has no {ANNOTATIONS} (each clip needs its move_label, energy and difficulty)")
    try:
        raw = json.loads(path.read_text())
        clips = raw["clips"] if isinstance(raw, dict) else raw
        out: list[ClipLabels] = []
        for c in clips:
            flat = f"{c['move_label']}__{c['clip_id']}.mp4"
            rel = c.get("video_path", flat)
            if not (folder / rel).is_file():
                rel = flat
            tempo = c.get("estimated_tempo")
            out.append(ClipLabels(clip_id=str(c["clip_id"]), video_path=rel, move_label=str(c["move_label"]),
                                  energy_level=str(c.get("energy_level", "medium")),
                                  difficulty=str(c.get("difficulty", "medium")),
                                  estimated_tempo=float(tempo) if tempo else None))
        return out
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"{ANNOTATIONS} is malformed: {exc}") from exc


def _same_starts(have: tuple[float, ...], want: tuple[float, ...]) -> bool:
    return len(have) == len(want) and all(abs(a - b) < 1e-6 for a, b in zip(have, want, strict=True))


@dataclass(frozen=True, slots=True)
class IngestReport:
    records: list[MoveRecord]
    skipped: dict[str, str] = field(default_factory=dict)  # clip id -> reason
    captured: int = 0  # clips captured now (the rest came from the track cache)


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestMoves:
    capture: VideoCapture
    store: MoveLibraryStore
    index: MoveIndex
    cache: TrackCache | None = None
    options: CaptureOptions = CLIP_OPTIONS

    async def __call__(self, folder: Path, progress: IngestProgress | None = None) -> IngestReport:
        labels = read_annotations(folder)
        records: list[MoveRecord] = []
        skipped: dict[str, str] = {}
        captured = 0
        for n, clip in enumerate(labels, start=1):
            path = folder / clip.video_path
            try:
                if not path.is_file():
                    raise MediaError(f"{clip.video_path} is missing")
                cached = self.cache.get(clip.video_path) if self.cache is not None else None
                fresh = cached is None
                if cached is None:
                    cached = await asyncio.to_thread(self._capture, path)
                    captured += 1
                record = build_move(clip, cached.times, cached.landmarks, cached.width, cached.duration,
                                    cached.beat_times, cached.tempo_bpm, cached.height)
                starts = cut_starts(record)
                if not _same_starts(cached.restart_starts, starts):  # new, or the count grid has changed
                    restarts = await asyncio.to_thread(self._restarts, path, starts, record.end)
                    cached, fresh = replace(cached, restart_starts=starts, restarts=restarts), True
                if fresh and self.cache is not None:
                    self.cache.put(clip.video_path, cached)
                records.append(with_cut_readings(record, cached.times, cached.landmarks, cached.restarts))
            except (MediaError, MoveError) as exc:
                skipped[clip.clip_id] = str(exc)
            if progress is not None:
                progress(n, len(labels), clip.clip_id)
        self.store.save(records)
        if records:  # a folder whose every clip was skipped leaves an empty library, reported as such
            self.index.rebuild(records)
        return IngestReport(records=records, skipped=skipped, captured=captured)

    def _restarts(self, path: Path, starts: tuple[float, ...], end: float
                  ) -> tuple[tuple[FloatArray, FloatArray], ...]:
        """The clip tracked afresh from each start: how a move played from there alone is seen after a cut."""
        out = []
        for start in starts:
            track = self.capture.pose_from(path, self.options, start, end)
            out.append((track.timestamps, track.landmarks))
        return tuple(out)

    def _capture(self, path: Path) -> CapturedClip:
        c = self.capture(path, self.options)
        beats = c.beats.beat_times if c.beats is not None else None
        return CapturedClip(times=c.track.timestamps, landmarks=c.track.landmarks, width=c.track.width,
                            height=c.track.height, duration=c.video.duration,
                            beat_times=None if beats is None else np.asarray(beats, dtype=np.float64),
                            tempo_bpm=c.beats.tempo_bpm if c.beats is not None else None)
