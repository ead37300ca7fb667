"""Pose data as a JSON document: what is stored after analysis so scoring can run again without video."""

from __future__ import annotations

from typing import Any

import numpy as np

from domain.analysis.pose import BeatGrid, PoseTrack

FORMAT_VERSION = 1


def _rounded(array: np.ndarray[Any, Any], digits: int) -> list[Any]:
    # NaN is not JSON; missing values travel as null.
    values = np.round(array.astype(np.float64), digits).astype(object)
    values[~np.isfinite(array)] = None
    result: list[Any] = values.tolist()
    return result


def _array(values: Any, shape_tail: tuple[int, ...]) -> np.ndarray[Any, np.dtype[np.float64]]:
    array = np.array(values, dtype=object)
    array[array == None] = np.nan  # noqa: E711 - elementwise comparison with None
    out = array.astype(np.float64)
    if out.size == 0:
        out = out.reshape((0, *shape_tail))
    return out


TIME_DIGITS, PIXEL_DIGITS, WORLD_DIGITS, PRESENCE_DIGITS = 4, 2, 4, 3


def quantize(track: PoseTrack) -> PoseTrack:
    """The track at storage precision. Scoring runs on this, so scoring again from stored data is exact."""
    return PoseTrack(
        timestamps=np.round(track.timestamps, TIME_DIGITS),
        landmarks=np.round(track.landmarks, PIXEL_DIGITS),
        world=np.round(track.world, WORLD_DIGITS),
        presence=np.round(track.presence, PRESENCE_DIGITS),
        width=track.width,
        height=track.height,
        people_seen=track.people_seen,
    )


def encode(track: PoseTrack, beats: BeatGrid | None, target_bpm: float | None,
           video: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "width": track.width,
        "height": track.height,
        "people_seen": track.people_seen,
        "timestamps": _rounded(track.timestamps, TIME_DIGITS),
        "landmarks": _rounded(track.landmarks, PIXEL_DIGITS),  # pixels to 0.01 px, visibility to 0.01
        "world": _rounded(track.world, WORLD_DIGITS),
        "presence": _rounded(track.presence, PRESENCE_DIGITS),
        "beats": None if beats is None else {
            "tempo_bpm": beats.tempo_bpm, "beat_times": _rounded(beats.beat_times, TIME_DIGITS), "source": beats.source,
        },
        "target_bpm": target_bpm,
        "video": video or {},
    }


def decode(doc: dict[str, Any]) -> tuple[PoseTrack, BeatGrid | None, float | None]:
    if doc.get("version") != FORMAT_VERSION:
        raise ValueError(f"unsupported pose data version {doc.get('version')!r}")
    track = PoseTrack(
        timestamps=_array(doc["timestamps"], ()),
        landmarks=_array(doc["landmarks"], (33, 4)),
        world=_array(doc["world"], (33, 3)),
        presence=_array(doc["presence"], ()),
        width=int(doc["width"]),
        height=int(doc["height"]),
        people_seen=int(doc.get("people_seen", 1)),  # absent in data stored before people were counted
    )
    raw = doc.get("beats")
    beats = None if raw is None else BeatGrid(
        tempo_bpm=float(raw["tempo_bpm"]), beat_times=_array(raw["beat_times"], ()), source=str(raw["source"]))
    target = doc.get("target_bpm")
    return track, beats, None if target is None else float(target)
