"""MoveIndex on FAISS: exact inner-product search over unit vectors (cosine), persisted to a folder.

The index is derived data: ``rebuild`` makes it from the move records (standardising their features over the
library), ``save`` writes ``moves.faiss`` + ``scaler.json`` beside the records, ``open`` reads them back and
rebuilds when they are missing or stale. 58 moves (or a studio's few thousand) fit an exact ``IndexFlatIP``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

from application.choreography.ports import MoveHit, MoveIndex
from domain.choreography.moves import MoveRecord, Scaler


class FaissMoveIndex(MoveIndex):
    def __init__(self) -> None:
        self._records: list[MoveRecord] = []
        self._by_id: dict[str, MoveRecord] = {}
        self._index: Any = None  # faiss.Index
        self.scaler: Scaler | None = None

    def rebuild(self, records: Sequence[MoveRecord]) -> None:
        self._records = list(records)
        self._by_id = {r.clip_id: r for r in self._records}
        self.scaler = Scaler.fit(self._records)
        vectors = np.array([self.scaler.vector(r.features) for r in self._records], dtype=np.float32)
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        self._index = index

    def search(self, vector: Sequence[float], k: int, exclude: frozenset[str] = frozenset()) -> list[MoveHit]:
        if self._index is None or not self._records:
            return []
        q = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        want = min(len(self._records), k + len(exclude))
        scores, ids = self._index.search(q, want)
        hits = [MoveHit(self._records[i].clip_id, float(s)) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0]
        return [h for h in hits if h.clip_id not in exclude][:k]

    def vector_of(self, clip_id: str) -> npt.NDArray[Any]:  # type: ignore[override]
        assert self.scaler is not None
        return self.scaler.vector(self._by_id[clip_id].features)

    def query(self, energy: float, difficulty: float, tempo_bpm: float) -> npt.NDArray[Any]:  # type: ignore[override]
        if self.scaler is None:
            raise LookupError("the move index is empty")
        return self.scaler.query(energy, difficulty, tempo_bpm)

    def record(self, clip_id: str) -> MoveRecord:
        return self._by_id[clip_id]

    def records(self) -> list[MoveRecord]:
        return list(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def save(self, folder: Path) -> None:
        if self._index is None or self.scaler is None:
            raise LookupError("nothing to save: the index was never built")
        folder.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self._index, str(folder / "moves.faiss"))
        (folder / "scaler.json").write_text(json.dumps({
            "clip_ids": [r.clip_id for r in self._records], "mean": self.scaler.mean, "std": self.scaler.std,
            "weights": self.scaler.weights}))

    @staticmethod
    def open(folder: Path, records: Sequence[MoveRecord]) -> FaissMoveIndex:
        """The persisted index when it matches ``records`` (same clips, same order), else one rebuilt from them."""
        idx = FaissMoveIndex()
        meta_path, index_path = folder / "scaler.json", folder / "moves.faiss"
        if meta_path.is_file() and index_path.is_file():
            meta = json.loads(meta_path.read_text())
            if meta["clip_ids"] == [r.clip_id for r in records]:
                idx._records = list(records)
                idx._by_id = {r.clip_id: r for r in records}
                idx.scaler = Scaler(tuple(meta["mean"]), tuple(meta["std"]), tuple(meta["weights"]))
                idx._index = faiss.read_index(str(index_path))
                return idx
        idx.rebuild(records)
        if records:
            idx.save(folder)
        return idx
