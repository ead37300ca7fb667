"""The move library from the 58 real couple clips: real ingestion (one clip end to end), retrieval quality, index."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from adapters.search.faiss_moves import FaissMoveIndex
from adapters.search.move_library_files import FileMoveLibrary
from application.choreography.ingest import IngestMoves, read_annotations
from domain.choreography.moves import MoveRecord
from entrypoints.pipeline_factory import make_capture

pytestmark = pytest.mark.media


async def test_ingest_a_real_clip_reproduces_the_committed_record(
    moves_dir: Path, onnx_model_path: Path, shared_records: list[MoveRecord], tmp_path: Path
) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "spin__spin.mp4").symlink_to(moves_dir / "spin__spin.mp4")
    ann = [c for c in json.loads((moves_dir / "annotations.json").read_text())["clips"] if c["clip_id"] == "spin"]
    (clips / "annotations.json").write_text(json.dumps({"clips": ann}))
    store = FileMoveLibrary(tmp_path / "lib")
    index = FaissMoveIndex()
    # captured as the library is (raw crop points, entrypoints/manage_moves.py)
    report = await IngestMoves(capture=make_capture("onnx", onnx_model=onnx_model_path, smooth_crop=False),
                               store=store, index=index, cache=store)(clips)
    assert report.captured == 1 and not report.skipped
    got = report.records[0]
    want = next(r for r in shared_records if r.clip_id == "spin")
    assert (got.counts, got.tempo_source) == (want.counts, want.tempo_source) == (16, "audio")
    assert got.tempo_bpm == pytest.approx(want.tempo_bpm, abs=0.1)  # 129.2 BPM measured, 129 annotated
    assert got.speed == pytest.approx(want.speed, rel=0.02)
    assert got.features == pytest.approx(want.features, abs=0.02)
    # the cut readings, from the clip tracked whole and afresh from each half phrase
    assert np.allclose(got.cut_entries, want.cut_entries, atol=0.02)
    assert all(np.allclose(g, w, atol=0.02) for g, w in zip(got.cut_exits, want.cut_exits, strict=True))
    assert store.load()[0].clip_id == "spin" and len(index) == 1
    # the stored pose track rebuilds the record without capturing again
    again = await IngestMoves(capture=make_capture("onnx", onnx_model=onnx_model_path, smooth_crop=False),
                              store=store, index=index, cache=store)(clips)
    assert again.captured == 0 and again.records[0].features == got.features


def test_library_covers_all_clips_with_steady_tracking(moves_dir: Path, shared_records: list[MoveRecord]) -> None:
    assert len(read_annotations(moves_dir)) == 58
    assert len(shared_records) == 58 and len({r.move_label for r in shared_records}) == 16
    # the single-person estimator follows whoever it finds first: the left dancer in 31 clips, the right in 27
    assert sum(r.tracking.followed_side == "left" for r in shared_records) == 31
    assert sum(r.tracking.jumps for r in shared_records) == 8  # jumps over 0.75 torso lengths in 58 clips
    assert sum(r.tracking.jumps == 0 for r in shared_records) == 50
    assert min(r.tracking.coverage for r in shared_records) > 0.95
    assert sorted({r.counts for r in shared_records}) == [8, 16, 24, 32]
    assert all(r.tempo_source == "audio" for r in shared_records)
    # counted on the dancers' steps: 0.35 of the counts carry a step on average (Beat Align Score on the counts)
    assert all(r.count_source == "steps" for r in shared_records)
    assert np.mean([r.step_alignment for r in shared_records]) == pytest.approx(0.347, abs=1e-3)


def test_leave_one_out_retrieval_beats_chance_threefold(shared_records: list[MoveRecord]) -> None:
    labels = [r.move_label for r in shared_records]
    top1 = top5 = 0
    for r in shared_records:
        index = FaissMoveIndex()
        index.rebuild([x for x in shared_records if x.clip_id != r.clip_id])  # scaler refit without the clip
        assert index.scaler is not None
        hits = index.search(index.scaler.vector(r.features), 5)
        near = [index.record(h.clip_id).move_label for h in hits]
        top1 += near[0] == r.move_label
        top5 += r.move_label in near
    n = len(shared_records)
    chance = sum((labels.count(lb) - 1) / (n - 1) for lb in labels) / n
    assert round(chance, 4) == 0.0484
    assert (top1, top5) == (10, 29)  # top-1 17.2 %, top-5 50.0 %
    assert top1 / n >= 3 * chance  # 3.6x chance


def test_index_persists_and_rebuilds(shared_records: list[MoveRecord], tmp_path: Path) -> None:
    index = FaissMoveIndex()
    index.rebuild(shared_records)
    index.save(tmp_path)
    opened = FaissMoveIndex.open(tmp_path, shared_records)
    q = index.query(0.8, 0.85, 129.0)
    assert [h.clip_id for h in opened.search(q, 5)] == [h.clip_id for h in index.search(q, 5)]
    rebuilt = FaissMoveIndex.open(tmp_path, shared_records[:10])  # stale files: rebuilt from the records
    assert len(rebuilt) == 10
    assert all(h.clip_id != "spin" for h in index.search(index.vector_of("spin"), 5, exclude=frozenset({"spin"})))
