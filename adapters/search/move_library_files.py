"""MoveLibraryStore in a folder: ``moves.json`` (the records) and ``tracks/<clip>.npz`` (the captured pose tracks).

Keeping the tracks lets the records be rebuilt after a change to the move measures without capturing again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from application.choreography.ports import CapturedClip, MoveLibraryStore, TrackCache
from domain.choreography.moves import MoveRecord

_VERSION = 1


class FileMoveLibrary(MoveLibraryStore, TrackCache):
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def records_path(self) -> Path:
        return self.folder / "moves.json"

    def save(self, records: Sequence[MoveRecord]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.records_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"version": _VERSION, "moves": [r.to_dict() for r in records]}, indent=1))
        os.replace(tmp, self.records_path)  # atomic: a reader never sees half a library

    def load(self) -> list[MoveRecord]:
        if not self.records_path.is_file():
            return []
        data = json.loads(self.records_path.read_text())
        return [MoveRecord.from_dict(m) for m in data["moves"]]

    def _track_path(self, clip_file: str) -> Path:
        return self.folder / "tracks" / (Path(clip_file).stem + ".npz")

    def get(self, clip_file: str) -> CapturedClip | None:
        path = self._track_path(clip_file)
        if not path.is_file():
            return None
        d = np.load(path)
        beats = d["beat_times"]
        starts = tuple(float(v) for v in d["restart_starts"]) if "restart_starts" in d else ()
        restarts = tuple((d[f"restart_times_{i}"], d[f"restart_landmarks_{i}"]) for i in range(len(starts)))
        return CapturedClip(times=d["timestamps"], landmarks=d["landmarks"], width=int(d["size"][0]),
                            height=int(d["size"][1]), duration=float(d["video"][1]),
                            beat_times=beats if beats.size else None, tempo_bpm=float(d["tempo"][0]) or None,
                            restart_starts=starts, restarts=restarts)

    def put(self, clip_file: str, clip: CapturedClip) -> None:
        path = self._track_path(clip_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path, timestamps=clip.times, landmarks=clip.landmarks, size=np.array([clip.width, clip.height]),
            video=np.array([0.0, clip.duration, clip.times.size]), tempo=np.array([clip.tempo_bpm or 0.0]),
            beat_times=clip.beat_times if clip.beat_times is not None else np.zeros(0),
            restart_starts=np.array(clip.restart_starts, dtype=np.float64),
            **{f"restart_times_{i}": t for i, (t, _) in enumerate(clip.restarts)},
            **{f"restart_landmarks_{i}": lm for i, (_, lm) in enumerate(clip.restarts)})
