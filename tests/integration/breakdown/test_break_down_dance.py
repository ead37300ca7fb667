"""The job handler end to end: a URL served locally, an uploaded file key, the media it stores, and its failures."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import av
import cv2
import pytest

from adapters.media.opencv_outline import OpenCvOutlineRenderer
from adapters.net.safe_fetch import GENERIC_ERROR, SafeVideoFetcher
from adapters.storage.local import LocalBlobStore
from application.breakdown.break_down import BreakDownDance, BreakdownRequest
from application.breakdown.views import MediaUrls, StoredBreakdown, UserProfile, detail_view, list_item, video_item
from domain.breakdown.errors import BreakdownFailed
from domain.jobs.job import Job
from domain.storage.keys import BlobKey
from tests.integration.breakdown.servers import send, serve

pytestmark = [pytest.mark.media, pytest.mark.slow]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> LocalBlobStore:
    return LocalBlobStore(tmp_path_factory.mktemp("blobs"), secret="s", public_base_url="http://127.0.0.1:8000")


@pytest.fixture(scope="module")
def use_case(shared_captures, store) -> BreakDownDance:
    return BreakDownDance(capture=shared_captures, renderer=OpenCvOutlineRenderer(), blobs=store,
                          fetcher=SafeVideoFetcher(allow_private=True))


async def test_a_url_is_broken_down_into_the_spec_shapes(use_case, store, media_dir):
    clip = (media_dir / "video" / "01_dance_solo_musepose.mp4").read_bytes()
    with serve(lambda h: send(h, 200, clip, {"Content-Type": "video/mp4"})) as (base, _rec):
        job = Job(id="j1", kind="dance-breakdown", user_id="u1",
                  payload={"breakdown_id": "b1", "video_url": f"{base}/dance.mp4", "mode": "auto",
                           "target_difficulty": "beginner"}, created_at=datetime.now(UTC),
                  updated_at=datetime.now(UTC))
        seen: list[float] = []

        async def progress(f: float) -> None:
            seen.append(f)

        result = await use_case(job, progress)
    answer = result["answer"]
    assert seen[-1] == 1.0 and seen == sorted(seen)
    assert set(answer) == {"success", "video_url", "playable_video_url", "title", "duration", "bpm",
                           "difficulty_level", "total_steps", "routine_analysis", "steps", "outline_url", "mode",
                           "error_message"}
    assert answer["success"] is True and answer["total_steps"] == len(answer["steps"]) == 4
    assert answer["bpm"] == pytest.approx(117.42, abs=0.05)
    step = answer["steps"][0]
    assert step["start_timestamp"] == "00:01.440"
    assert set(step["description"]) == {"head", "hands", "shoulders", "torso", "legs", "bodyAngle"}
    assert set(step["technical_notes"]) == {"alignment", "timing", "energy", "precision"}
    assert set(step["quality_metrics"]) == {"smoothness", "stability", "precision", "energy", "balance"}
    assert "Count it out loud" in step["global_description"]  # beginner wording
    assert set(answer["routine_analysis"]["style_indicators"]) == {"rhythm_consistency", "flow_smoothness",
                                                                   "symmetry"}
    json.dumps(answer)

    media = {k: BlobKey.parse(v) for k, v in result["media"].items()}
    outline = store.path_for(media["outline"])
    with av.open(str(outline)) as c:
        assert c.streams.video[0].codec_context.name == "h264"
        assert c.streams.audio and c.streams.audio[0].codec_context.name == "aac"
        assert float(c.duration) / 1e6 == pytest.approx(12.0, abs=0.2)
    thumb = cv2.imread(str(store.path_for(media["thumbnail"])))
    assert thumb is not None and thumb.shape[2] == 3
    assert store.path_for(media["playable"]).read_bytes() == clip

    now = datetime(2025, 1, 25, 14, 30, 22, tzinfo=UTC)
    stored = StoredBreakdown(id="b1", user_id="u1", answer=answer | {"playable_video_url": "http://p"},
                             target_difficulty="beginner", thumbnail_url="http://t", created_at=now, updated_at=now)
    detail = detail_view(stored)
    assert detail["_id"] == "b1" and detail["userId"] == "u1" and detail["totalSteps"] == 4
    assert detail["createdAt"] == "2025-01-25T14:30:22Z" and "routineAnalysis" in detail
    assert list_item(stored)["targetDifficulty"] == "beginner"
    item = video_item(stored, UserProfile("Maya", None, 3))
    assert item["durationFormatted"] == "0:12" and item["userProfile"]["displayName"] == "Maya"
    assert MediaUrls(None, None, None).outline_url is None


async def test_an_uploaded_file_key_in_manual_mode(use_case, store, media_dir):
    key = BlobKey.parse("uploads/u2/spin.mp4")
    await store.put(key, (media_dir / "moves" / "spin__spin.mp4").read_bytes(), "video/mp4")
    out = await use_case.run(BreakdownRequest(user_id="u2", breakdown_id="b2", file_key=key.value, mode="manual"))
    assert out.breakdown.mode == "manual" and len(out.breakdown.steps) >= 2
    assert all(s.end_beat - s.start_beat <= 8 for s in out.breakdown.steps)


async def test_failures_carry_reasons_and_store_nothing(use_case, store, tmp_path, media_dir):
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("hello")
    with pytest.raises(BreakdownFailed):
        await use_case.run(BreakdownRequest(user_id="u3", breakdown_id="b3", video_path=not_video))
    with pytest.raises(BreakdownFailed, match="not found"):
        await use_case.run(BreakdownRequest(user_id="u3", breakdown_id="b3", file_key="uploads/u3/none.mp4"))
    with pytest.raises(BreakdownFailed, match="permission"):
        await use_case.run(BreakdownRequest(user_id="u3", breakdown_id="b3", file_key="uploads/u2/spin.mp4"))
    with pytest.raises(BreakdownFailed, match=GENERIC_ERROR):
        await use_case.run(BreakdownRequest(user_id="u3", breakdown_id="b3", video_url="http://127.0.0.1:9/x.mp4"))
    short = tmp_path / "short.mp4"
    with av.open(str(media_dir / "moves" / "spin__spin.mp4")) as src, av.open(str(short), "w") as dst:
        s = dst.add_stream("libx264", rate=15)
        s.width, s.height, s.pix_fmt = 640, 360, "yuv420p"
        for i, frame in enumerate(src.decode(video=0)):
            if i >= 30:
                break
            out = frame.reformat(width=640, height=360, format="yuv420p")
            out.pts = i
            for p in s.encode(out):
                dst.mux(p)
        for p in s.encode():
            dst.mux(p)
    with pytest.raises(BreakdownFailed, match="at least 3 s"):
        await use_case.run(BreakdownRequest(user_id="u3", breakdown_id="b3", video_path=short))
    assert not (store.root / "breakdowns" / "u3").exists()
