"""The seed flow end to end with a REAL analysis: admin creates a challenge, a dancer uploads through the
presigned URL, submits, the pose analysis runs (in process, and in a worker
process on the scale-out stack), and the leaderboard and feed show the real score."""

from __future__ import annotations

import pytest

from tests.e2e.community.helpers import admin, create_challenge, local, upload_challenge_video
from tests.e2e.conftest import idance_user
from tests.support.app import wait_for

SUBMISSION_KEYS = ("id", "userId", "challengeId", "sessionId", "totalScore", "scoreBreakdown", "badgeAwarded",
                   "poseDataURL", "analysisComplete", "likes", "comments", "shares", "submittedAt", "processedAt",
                   "userProfile")
ENTRY_KEYS = ("rank", "userId", "userProfile", "score", "scoreBreakdown", "submittedAt", "submissionId")


def badge(score: float) -> str | None:
    return "gold" if score >= 90 else "silver" if score >= 75 else "bronze" if score >= 60 else None


@pytest.mark.media
async def test_submit_a_real_video_and_see_the_real_score_everywhere(stack_client, media_dir):
    client = stack_client  # on the embedded defaults and on the scale-out stack (the analysis in a worker process)
    boss = await admin(client)
    dancer = await idance_user(client)
    viewer = await idance_user(client)
    cid = await create_challenge(client, boss, title="Walk This Way")
    video = (media_dir / "video" / "05_walk_sideview_sports2d.mp4").read_bytes()
    key = await upload_challenge_video(client, dancer, cid, video)
    r = await client.post(f"/api/challenges/{cid}/submit-unified", headers=dancer["headers"],
                          json={"video_file": key, "metadata": {"caption": "My challenge attempt!",
                                                                "tags": ["walk"], "location": "Lisbon",
                                                                "isPublic": True, "sharedToFeed": True,
                                                                "highlightText": "Check out my moves!"}})
    assert r.status_code == 200, r.text
    sub = r.json()
    assert sub["analysis"]["status"] == "pending" and sub["analysis"]["score"] is None
    assert sub["metadata"] == {"caption": "My challenge attempt!", "tags": ["walk"], "location": "Lisbon",
                               "isPublic": True, "sharedToFeed": True, "highlightText": "Check out my moves!"}
    assert sub["video"]["file_key"] == key and sub["video"]["size_mb"] > 0
    assert set(sub["userProfile"]) == {"displayName", "avatarUrl", "level"}

    async def analysed():
        body = (await client.get(f"/api/submissions/{sub['id']}", headers=dancer["headers"])).json()
        assert body["status"] != "failed", body["analysis"]["error"]
        return body if body["analysisComplete"] else None

    done = await wait_for(analysed, timeout=180, interval=0.5)
    for k in SUBMISSION_KEYS:
        assert k in done, k
    status = (await client.get(f"/api/ai/analysis-status/{sub['id']}", headers=dancer["headers"])).json()
    assert status["status"] == "completed"
    score = status["total_score"]
    assert done["totalScore"] == score and done["analysis"]["score"] == score
    assert done["scoreBreakdown"] == status["score_breakdown"]
    assert done["analysis"]["feedback"] == status["feedback"] and done["processedAt"]
    assert done["badgeAwarded"] == badge(score)
    assert done["poseDataURL"] and done["timestamps"]["analyzedAt"]
    if hasattr(client, "scaleout"):  # the worker process stored the pose data on the S3 server
        assert done["poseDataURL"].startswith(f"{client.scaleout['S3_ENDPOINT_URL']}/{client.scaleout['S3_BUCKET']}/")
    assert done["video"]["duration"] == pytest.approx(13.4, abs=0.2)  # measured by the analysis's decoder
    activities = (await client.get("/api/activities/me", headers=dancer["headers"])).json()
    mine = next(a for a in activities["activities"] if a["id"] == sub["id"])
    assert mine["durationMinutes"] is not None and mine["caloriesBurned"] > 0

    board = (await client.get(f"/api/challenges/{cid}/leaderboard", headers=dancer["headers"])).json()
    assert set(board) >= {"challengeId", "challengeTitle", "entries", "total", "userRank"}
    assert board["challengeTitle"] == "Walk This Way" and board["total"] == 1 and board["userRank"] == 1
    entry = board["entries"][0]
    for k in ENTRY_KEYS:
        assert k in entry, k
    assert entry["score"] == score and entry["submissionId"] == sub["id"] and entry["rank"] == 1
    assert entry["scoreBreakdown"] == status["score_breakdown"]
    other_view = (await client.get(f"/api/challenges/{cid}/leaderboard", headers=viewer["headers"])).json()
    assert other_view["userRank"] is None and other_view["entries"][0]["score"] == score

    feed = (await client.get("/api/feed", headers=viewer["headers"])).json()
    item = next(i for i in feed["feed"] if i["id"] == sub["id"])
    assert item["type"] == "challenge_submission" and item["totalScore"] == score
    for k in ("type", "id", "userId", "userProfile", "challengeTitle", "totalScore", "badgeAwarded", "videoUrl",
              "likes", "comments", "submittedAt"):
        assert k in item, k
    assert item["content"]["score"] == score and item["user"]["id"] == dancer["id"]

    public = (await client.get(f"/api/challenges/{cid}/public-submissions", headers=viewer["headers"])).json()
    assert {"challengeId", "challengeTitle", "submissions", "total", "page", "limit"} <= set(public)
    p = public["submissions"][0]
    assert p["analysis"]["score"] == score and p["analysis"]["status"] == "completed"
    assert 0 < p["analysis"]["confidence"] <= 1

    stats = (await client.get(f"/api/challenges/{cid}/stats", headers=viewer["headers"])).json()
    assert stats["totalSubmissions"] == 1 and stats["topScore"] == score and stats["completionRate"] == 1.0
    assert sum(stats["scoreDistribution"].values()) == 1

    again = await client.post(f"/api/challenges/{cid}/submit-unified", headers=dancer["headers"],
                              json={"video_file": key})
    assert again.status_code == 400


@pytest.mark.media
async def test_a_challenge_demo_is_compared_and_the_comparison_survives_rescoring(client, media_dir):
    boss = await admin(client)
    dancer = await idance_user(client)
    video = (media_dir / "video" / "05_walk_sideview_sports2d.mp4").read_bytes()
    demo_key = "demos/walk_demo.mp4"
    r = await client.post("/api/s3/presigned-url", headers=boss["headers"],
                          json={"fileKey": demo_key, "contentType": "video/mp4", "fileSize": len(video)})
    assert r.status_code == 200, r.text
    put = await client.put(local(r.json()["uploadUrl"]), content=video, headers={"content-type": "video/mp4"})
    assert put.status_code == 200
    cid = await create_challenge(client, boss, title="Copy The Demo", demoVideoFileKey=demo_key)
    key = await upload_challenge_video(client, dancer, cid, video)
    sub = (await client.post(f"/api/challenges/{cid}/submit-unified", headers=dancer["headers"],
                             json={"video_file": key})).json()

    async def analysed():
        body = (await client.get(f"/api/ai/analysis-status/{sub['id']}", headers=dancer["headers"])).json()
        return body if body["status"] != "processing" else None

    status = await wait_for(analysed, timeout=240, interval=0.5)
    assert status["status"] == "completed", status["error_message"]
    comparison = status["comparison"]
    # The dancer performed the demo itself: the comparison says so; the seed's fields keep their shape.
    assert comparison["similarity"] >= 99 and set(comparison["per_limb"]) >= {"left_arm", "right_leg"}
    assert set(status["score_breakdown"]) == {"balance", "rhythm", "smoothness", "creativity"}
    again = await client.post("/api/ai/score-submission", headers=dancer["headers"],
                              json={"submission_id": sub["id"]})
    assert again.status_code == 200 and again.json()["total_score"] == status["total_score"]
    after = (await client.get(f"/api/ai/analysis-status/{sub['id']}", headers=dancer["headers"])).json()
    assert after["comparison"]["similarity"] == comparison["similarity"]


@pytest.mark.media
async def test_a_demo_that_became_unreadable_leaves_the_dancer_scored_without_comparison(client, media_dir,
                                                                                       tmp_path):
    boss = await admin(client)
    dancer = await idance_user(client)
    video = (media_dir / "video" / "05_walk_sideview_sports2d.mp4").read_bytes()
    demo_key = "demos/lost_demo.mp4"
    r = await client.post("/api/s3/presigned-url", headers=boss["headers"],
                          json={"fileKey": demo_key, "contentType": "video/mp4", "fileSize": len(video)})
    put = await client.put(local(r.json()["uploadUrl"]), content=video, headers={"content-type": "video/mp4"})
    assert put.status_code == 200
    cid = await create_challenge(client, boss, title="Lost Demo", demoVideoFileKey=demo_key)
    stored = tmp_path / "blobs" / demo_key
    assert stored.is_file()
    stored.unlink()  # the storage lost it after the challenge was made
    key = await upload_challenge_video(client, dancer, cid, video)
    sub = (await client.post(f"/api/challenges/{cid}/submit-unified", headers=dancer["headers"],
                             json={"video_file": key})).json()

    async def analysed():
        body = (await client.get(f"/api/ai/analysis-status/{sub['id']}", headers=dancer["headers"])).json()
        return body if body["status"] != "processing" else None

    status = await wait_for(analysed, timeout=240, interval=0.5)
    assert status["status"] == "completed", status["error_message"]
    assert status["comparison"] is None and status["total_score"] is not None
    assert any("demo video could not be analysed" in w for w in status["warnings"])
