"""Pose data as gzip-compressed JSON in the blob store (``pose-data/...``), at the precision it was scored at."""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

from application.ports.pose_data import PoseDataStore, StoredPoseData
from application.ports.storage import BlobStore
from domain.analysis import posedata
from domain.analysis.pose import PoseTrack
from domain.storage.keys import BlobKey

_GZIP = "application/gzip"


def analysis_key(analysis_id: str) -> BlobKey:
    return BlobKey.parse(f"pose-data/{analysis_id}/pose_data.json.gz")


def reference_key(source_key: str) -> BlobKey:
    digest = hashlib.sha256(source_key.encode()).hexdigest()[:24]
    return BlobKey.parse(f"pose-data/reference-{digest}/track.json.gz")


class BlobPoseDataStore(PoseDataStore):
    def __init__(self, blobs: BlobStore) -> None:
        self._blobs = blobs

    async def _put(self, key: BlobKey, doc: dict[str, Any]) -> None:
        await self._blobs.put(key, gzip.compress(json.dumps(doc).encode(), 6), _GZIP)

    async def _doc(self, key: BlobKey) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(gzip.decompress(await self._blobs.get(key)))
        return doc

    async def save_analysis(self, analysis_id: str, data: StoredPoseData, video: dict[str, Any]) -> str:
        key = analysis_key(analysis_id)
        await self._put(key, posedata.encode(data.track, data.beats, data.target_bpm, video))
        return key.value

    async def load(self, key: str) -> StoredPoseData:
        track, beats, target_bpm = posedata.decode(await self._doc(BlobKey.parse(key)))
        return StoredPoseData(track=track, beats=beats, target_bpm=target_bpm)

    async def save_reference(self, source_key: str, track: PoseTrack) -> None:
        await self._put(reference_key(source_key), posedata.encode(track, None, None))

    async def reference(self, source_key: str) -> PoseTrack | None:
        key = reference_key(source_key)
        if await self._blobs.info(key) is None:
            return None
        track, _, _ = posedata.decode(await self._doc(key))
        return track
