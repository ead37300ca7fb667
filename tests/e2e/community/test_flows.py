"""The community contracts through the real app, on the embedded defaults (SQLite, local store, in-process jobs) and
on the scale-out stack (PostgreSQL, S3 server, Redis queue and a worker process)."""

from __future__ import annotations

import asyncio
import base64
import re
from datetime import timedelta

import pytest

from tests.e2e.community.helpers import admin, create_challenge, upload_challenge_video, window
from tests.e2e.conftest import idance_user
from tests.support.app import put_upload, wait_for


@pytest.fixture
def client(stack_client):
    return stack_client

NOT_A_VIDEO = b"these are dance notes, not a video\n" * 40


async def test_sessions_start_complete_list_and_privacy(client):
    user = await idance_user(client)
    other = await idance_user(client)
    r = await client.post("/api/sessions/start", headers=user["headers"],
                          json={"title": "Morning Dance Session", "description": "Great morning workout",
                                "danceStyle": "hip-hop", "location": "Mumbai", "duration": 180,
                                "tags": ["morning", "workout", "hip-hop"]})
    assert r.status_code == 200, r.text
    started = r.json()
    assert set(started) == {"sessionId", "message", "session"}
    assert set(started["session"]) == {"id", "title", "status", "startTime", "danceStyle"}
    assert started["session"]["status"] == "active"
    sid = started["sessionId"]
    # Keys must belong to the caller.
    r = await client.put(f"/api/sessions/{sid}/complete", headers=user["headers"],
                         json={"videoFileKey": f"sessions/{other['id']}/x/video.mp4"})
    assert r.status_code == 403
    # Another user cannot complete or read it.
    r = await client.put(f"/api/sessions/{sid}/complete", headers=other["headers"], json={})
    assert r.status_code == 404
    assert (await client.get(f"/api/sessions/{sid}", headers=other["headers"])).status_code == 404
    # Files before rows: a key with no stored file (its upload failed) is refused.
    r = await client.put(f"/api/sessions/{sid}/complete", headers=user["headers"],
                         json={"videoFileKey": f"sessions/{user['id']}/{sid}/video.mp4"})
    assert r.status_code == 400 and "no stored file" in r.json()["detail"], r.text
    for name, ctype in (("video.mp4", "video/mp4"), ("thumb.jpg", "image/jpeg")):
        r = await client.post("/api/s3/presigned-url", headers=user["headers"],
                              json={"fileKey": f"sessions/{user['id']}/{sid}/{name}", "contentType": ctype,
                                    "fileSize": 4})
        assert r.status_code == 200, r.text
        put = await put_upload(client, r.json()["uploadUrl"], b"data", ctype)
        assert put.status_code == 200, put.text
    r = await client.put(f"/api/sessions/{sid}/complete", headers=user["headers"],
                         json={"videoFileKey": f"sessions/{user['id']}/{sid}/video.mp4",
                               "thumbnailFileKey": f"sessions/{user['id']}/{sid}/thumb.jpg", "duration": 180,
                               "notes": "Great session today!"})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["message"] == "Session completed successfully"
    assert set(done["session"]) == {"id", "status", "videoUrl", "thumbnailUrl", "duration"}
    stored_at = (f"{client.scaleout['S3_ENDPOINT_URL']}/{client.scaleout['S3_BUCKET']}/sessions/"
                 if hasattr(client, "scaleout") else "http://127.0.0.1:8000/api/blobs/sessions/")
    assert done["session"]["status"] == "completed" and done["session"]["videoUrl"].startswith(stored_at)
    r = await client.put(f"/api/sessions/{sid}/complete", headers=user["headers"], json={})
    assert r.status_code == 400
    r = await client.get(f"/api/sessions/{sid}", headers=user["headers"])
    detail = r.json()
    assert {"id", "title", "description", "status", "danceStyle", "duration", "videoUrl", "thumbnailUrl", "notes",
            "tags", "createdAt", "completedAt"} <= set(detail)
    assert detail["tags"] == ["morning", "workout", "hip-hop"] and detail["notes"] == "Great session today!"
    await client.post("/api/sessions/start", headers=user["headers"], json={"title": "Second"})
    for path in ("/api/sessions", "/api/sessions/me"):
        r = await client.get(path, headers=user["headers"], params={"page": 1, "limit": 1})
        body = r.json()
        assert body["pagination"] == {"page": 1, "totalPages": 2, "totalCount": 2}
        assert {"id", "title", "status", "danceStyle", "duration", "videoUrl", "thumbnailUrl", "createdAt"} <= set(
            body["sessions"][0])
    r = await client.get("/api/sessions", headers=user["headers"], params={"status": "completed"})
    assert [s["id"] for s in r.json()["sessions"]] == [sid]
    assert (await client.get("/api/sessions", headers=other["headers"])).json()["pagination"]["totalCount"] == 0
    stats = (await client.get("/api/users/stats", headers=user["headers"])).json()
    assert stats["totalSessions"] == 2


async def test_challenge_admin_crud_queries_and_stats(client, clock):
    boss = await admin(client)
    user = await idance_user(client)
    body = {"title": "Nope", **window()}
    assert (await client.post("/api/challenges", headers=user["headers"], json=body)).status_code == 403
    cid = await create_challenge(client, boss, scoringCriteria={"balance": 25, "rhythm": 30, "smoothness": 25,
                                                                "creativity": 20})
    bad = await client.post("/api/challenges", headers=boss["headers"],
                            json={"title": "Bad", **window(), "scoringCriteria": {"balance": 50, "rhythm": 30,
                                                                                  "smoothness": 25, "creativity": 20}})
    assert bad.status_code == 400 and "sum to 100" in bad.json()["detail"]
    w = window()
    inverted = {"title": "Inverted", "startTime": w["endTime"], "endTime": w["startTime"]}
    assert (await client.post("/api/challenges", headers=boss["headers"], json=inverted)).status_code == 400
    later = await create_challenge(client, boss, title="Spin Master Challenge", type="spin", category="fitness",
                                   tags=["spin"], **window(hours_from_now=30))
    r = await client.get("/api/challenges/today", headers=user["headers"])
    today = r.json()
    assert today["id"] == cid and re.fullmatch(r"\d\d:\d\d:\d\d", today["timeRemaining"])
    for key in ("id", "title", "type", "timeRemaining", "demoVideoURL", "points", "participantCount", "description",
                "difficulty", "badgeName", "badgeIconURL", "category", "tags", "startTime", "endTime",
                "thumbnailURL", "scoringCriteria", "totalSubmissions", "averageScore", "topScore"):
        assert key in today, key
    r = await client.get(f"/api/challenges/{cid}", headers=user["headers"])
    assert r.json()["scoringCriteria"] == {"balance": 25, "rhythm": 30, "smoothness": 25, "creativity": 20}
    assert r.json()["isActive"] is True
    up = (await client.get("/api/challenges/upcoming", headers=user["headers"], params={"days": 2})).json()
    assert [c["id"] for c in up] == [later]
    assert {"id", "title", "description", "type", "difficulty", "startTime", "endTime", "demoVideoURL", "points",
            "badgeName"} <= set(up[0])
    assert (await client.get("/api/challenges/categories", headers=user["headers"])).json() == ["dance", "fitness"]
    assert "spin" in (await client.get("/api/challenges/tags", headers=user["headers"])).json()
    r = await client.get("/api/challenges", headers=user["headers"])
    listed = r.json()
    assert [c["id"] for c in listed["challenges"]] == [cid] and listed["pagination"]["totalCount"] == 1
    assert {"id", "title", "type", "difficulty", "startTime", "endTime", "points", "isActive",
            "totalSubmissions"} <= set(listed["challenges"][0])
    r = await client.get("/api/challenges", headers=user["headers"], params={"active_only": "false"})
    assert r.json()["pagination"]["totalCount"] == 2
    r = await client.post("/api/challenges/search", headers=user["headers"],
                          json={"query": "spin", "active_only": False, "tags": ["spin"], "page": 1, "limit": 20})
    found = r.json()
    assert found["total"] == 1 and found["challenges"][0]["id"] == later
    assert {"challenges", "total", "page", "limit"} <= set(found)
    r = await client.get("/api/challenges/category/fitness", headers=user["headers"], params={"active_only": False})
    assert [c["id"] for c in r.json()["challenges"]] == [later]
    r = await client.put(f"/api/challenges/{cid}", headers=user["headers"], json={"title": "X", **window()})
    assert r.status_code == 403
    r = await client.put(f"/api/challenges/{cid}", headers=boss["headers"],
                         json={"title": "Freestyle Saturday", **window()})
    assert r.json() == {"message": "Challenge updated successfully", "challengeId": cid, "challenge_id": cid}
    stats = (await client.get(f"/api/challenges/{cid}/stats", headers=user["headers"])).json()
    assert stats["scoreDistribution"] == {"0-20": 0, "21-40": 0, "41-60": 0, "61-80": 0, "81-100": 0}
    assert stats["totalSubmissions"] == 0 and stats["completionRate"] == 0.0
    assert (await client.delete(f"/api/challenges/{later}", headers=user["headers"])).status_code == 403
    r = await client.delete(f"/api/challenges/{later}", headers=boss["headers"])
    assert r.status_code == 200 and r.json()["challengeId"] == later
    assert (await client.get(f"/api/challenges/{later}", headers=user["headers"])).status_code == 404
    # The window closes: no challenge today.
    clock.advance(timedelta(hours=23, minutes=30))
    assert (await client.get("/api/challenges/today", headers=user["headers"])).status_code == 404


async def test_submission_failed_analysis_never_scores(client):
    boss = await admin(client)
    user = await idance_user(client)
    cid = await create_challenge(client, boss)
    key = await upload_challenge_video(client, user, cid, NOT_A_VIDEO)
    assert key.startswith(f"challenges/{user['id']}/{cid}/") and re.search(r"/\d{8}_\d{6}_[0-9a-f]{8}\.mp4$", key)
    r = await client.post(f"/api/challenges/{cid}/submit-unified", headers=user["headers"],
                          json={"video_file": key, "metadata": {"caption": "My attempt", "isPublic": True}})
    assert r.status_code == 200, r.text
    sub = r.json()
    for name in ("id", "challengeId", "userId", "video", "analysis", "metadata", "userProfile", "timestamps",
                 "likes", "comments", "shares"):
        assert name in sub, name
    assert set(sub["video"]) >= {"url", "file_key", "duration", "size_mb"}
    assert set(sub["analysis"]) >= {"status", "score", "breakdown", "feedback", "pose_data_url", "confidence"}
    assert set(sub["timestamps"]) == {"submittedAt", "processedAt", "analyzedAt"}
    assert sub["analysis"]["status"] == "pending" and sub["analysis"]["score"] is None

    async def failed():
        body = (await client.get(f"/api/submissions/{sub['id']}", headers=user["headers"])).json()
        return body if body["status"] == "failed" else None

    body = await wait_for(failed, timeout=30)
    assert body["totalScore"] is None and body["analysisComplete"] is False and body["badgeAwarded"] is None
    assert body["analysis"]["error"]
    status = (await client.get(f"/api/ai/analysis-status/{sub['id']}", headers=user["headers"])).json()
    assert status["status"] == "failed" and status["total_score"] is None and status["error_message"]
    board = (await client.get(f"/api/challenges/{cid}/leaderboard", headers=user["headers"])).json()
    assert board["entries"] == [] and board["userRank"] is None
    # A second submission by the same user: 400, even with bytes.
    r = await client.post(f"/api/challenges/{cid}/submit-unified", headers=user["headers"],
                          json={"video_file": base64.b64encode(NOT_A_VIDEO).decode()})
    assert r.status_code == 400 and "already submitted" in r.json()["detail"]
    # Unknown challenge: 404; a challenge outside its window: 400.
    r = await client.post("/api/challenges/ffffffffffffffffffffffff/submit-unified", headers=user["headers"],
                          json={"video_file": key})
    assert r.status_code == 404
    future = await create_challenge(client, boss, title="Later", **window(hours_from_now=5))
    r = await client.post(f"/api/challenges/{future}/submit-unified", headers=user["headers"],
                          json={"video_file": base64.b64encode(NOT_A_VIDEO).decode()})
    assert r.status_code == 400 and "not active" in r.json()["detail"]


async def test_base64_submission_privacy_social_and_ownership(client):
    boss = await admin(client)
    alice = await idance_user(client)
    bob = await idance_user(client)
    cid = await create_challenge(client, boss)
    r = await client.post(f"/api/challenges/{cid}/submit-unified", headers=alice["headers"],
                          json={"video_file": base64.b64encode(NOT_A_VIDEO).decode(),
                                "metadata": {"caption": "secret", "isPublic": False, "sharedToFeed": True}})
    assert r.status_code == 200, r.text
    private = r.json()
    assert private["video"]["file_key"].startswith(f"challenges/{alice['id']}/{cid}/")
    # Bob's key cannot be submitted by Alice.
    bob_key = await upload_challenge_video(client, bob, cid, NOT_A_VIDEO)
    other = await create_challenge(client, boss, title="Other")
    r = await client.post(f"/api/challenges/{other}/submit-unified", headers=alice["headers"],
                          json={"video_file": bob_key})
    assert r.status_code == 403
    r = await client.post(f"/api/challenges/{cid}/submit-unified", headers=bob["headers"],
                          json={"video_file": bob_key, "metadata": {"caption": "public one"}})
    public = r.json()
    # Private never shows to others.
    assert (await client.get(f"/api/submissions/{private['id']}", headers=bob["headers"])).status_code == 404
    for path in (f"/api/challenges/{cid}/submissions", f"/api/challenges/{cid}/public-submissions",
                 f"/api/users/{alice['id']}/submissions"):
        ids = [s["id"] for s in (await client.get(path, headers=bob["headers"])).json()["submissions"]]
        assert private["id"] not in ids, path
    feed = (await client.get("/api/feed", headers=bob["headers"])).json()
    assert private["id"] not in [i["id"] for i in feed["feed"]]
    assert public["id"] in [i["id"] for i in feed["feed"]]
    mine = (await client.get(f"/api/users/{alice['id']}/submissions", headers=alice["headers"])).json()
    assert [s["id"] for s in mine["submissions"]] == [private["id"]]
    assert mine["pagination"] == {"page": 1, "totalPages": 1, "totalCount": 1}
    # Only the owner changes metadata.
    r = await client.put(f"/api/submissions/{public['id']}/metadata", headers=alice["headers"],
                         json={"caption": "hijack"})
    assert r.status_code == 403
    r = await client.put(f"/api/submissions/{private['id']}/metadata", headers=bob["headers"], json={"caption": "x"})
    assert r.status_code == 404
    r = await client.put(f"/api/submissions/{public['id']}/metadata", headers=bob["headers"],
                         json={"caption": "Updated caption!", "tags": ["updated"], "sharedToFeed": False})
    assert r.status_code == 200
    assert set(r.json()) == {"submissionId", "message", "status"}
    feed = (await client.get("/api/feed", headers=alice["headers"])).json()
    assert public["id"] not in [i["id"] for i in feed["feed"]]
    # Social.
    r = await client.post(f"/api/submissions/{public['id']}/like", headers=alice["headers"])
    assert r.json() == {"submissionId": public["id"], "liked": True, "likes": 1, "message": "Submission liked"}
    r = await client.post(f"/api/submissions/{public['id']}/like", headers=alice["headers"])
    assert r.json()["likes"] == 1
    r = await client.post(f"/api/submissions/{public['id']}/comments", headers=alice["headers"],
                          json={"text": "Amazing moves!"})
    comment = r.json()["comment"]
    assert {"id", "userId", "userProfile", "content", "text", "createdAt", "timestamp"} <= set(comment)
    r = await client.post(f"/api/submissions/{public['id']}/share", headers=alice["headers"])
    assert r.json()["shares"] == 1
    assert (await client.post(f"/api/submissions/{private['id']}/like", headers=bob["headers"])).status_code == 404
    detail = (await client.get(f"/api/submissions/{public['id']}", headers=alice["headers"])).json()
    assert detail["likes"] == [alice["id"]] and detail["comments"][0]["text"] == "Amazing moves!"
    assert detail["shares"] == 1
    r = await client.delete(f"/api/submissions/{public['id']}/like", headers=alice["headers"])
    assert r.json()["likes"] == 0
    acts = (await client.get("/api/activities/me", headers=alice["headers"])).json()
    assert acts["counts"] == {"sessions": 0, "challenges": 1, "breakdowns": 0, "total": 1}
    assert acts["activities"][0]["activityType"] == "challenge"


async def test_activities_calories_and_feed_shapes(client):
    user = await idance_user(client)
    sid = (await client.post("/api/sessions/start", headers=user["headers"],
                             json={"title": "Hip Hop Session", "danceStyle": "hip hop"})).json()["sessionId"]
    await client.put(f"/api/sessions/{sid}/complete", headers=user["headers"], json={"duration": 900})
    acts = (await client.get("/api/activities/me", headers=user["headers"])).json()
    a = acts["activities"][0]
    # hip hop: 7.8 MET x 70 kg x 0.25 h = 136.5 -> 136 (round half to even) kcal
    assert a["durationMinutes"] == 15 and a["caloriesBurned"] == round(7.8 * 70 * 0.25)
    assert a["description"] == f"15 minutes • {a['caloriesBurned']} calories"
    assert {"_id", "activityType", "activityDate", "title", "description", "startTime", "endTime", "style",
            "sessionType", "durationMinutes", "caloriesBurned", "isPublic", "videoThumbnailUrl", "likesCount",
            "commentsCount", "status"} <= set(a)
    assert acts["hasMore"] is False and acts["total"] == 1
    assert (await client.get("/api/activities/me", headers=user["headers"],
                             params={"activity_type": "breakdowns"})).json()["activities"] == []
    feed = (await client.get("/api/feed", headers=user["headers"], params={"type": "session"})).json()
    item = feed["feed"][0]
    assert {"type", "id", "userId", "userProfile", "title", "danceStyle", "duration", "videoUrl", "thumbnailUrl",
            "likes", "comments", "createdAt", "user", "content", "created_at"} <= set(item)
    assert set(feed["pagination"]) >= {"page", "totalPages", "totalCount", "limit", "total", "pages"}
    assert feed["items"] == feed["feed"]
    assert (await client.get("/api/feed", headers=user["headers"], params={"type": "nope"})).status_code == 400


async def test_admin_jobs_are_admin_only_and_rotate(client, clock):
    boss = await admin(client)
    user = await idance_user(client)
    for method, path in (("post", "/api/admin/jobs/rotate-challenges"), ("post", "/api/admin/jobs/cleanup-data"),
                         ("get", "/api/admin/jobs/status")):
        assert (await getattr(client, method)(path, headers=user["headers"])).status_code == 403
    cid = await create_challenge(client, boss, **window(hours_from_now=-1, length_hours=2))
    clock.advance(timedelta(hours=3))
    r = await client.post("/api/admin/jobs/rotate-challenges", headers=boss["headers"])
    assert r.status_code == 200
    d = r.json()["details"]
    assert d["success"] is True and d["expired_deactivated"] == 1 and d["new_activated"] == 0
    assert {"statistics_updated", "timestamp"} <= set(d)
    r = await client.post("/api/admin/jobs/cleanup-data", headers=boss["headers"])
    assert r.json()["details"]["inactive_challenges_deleted"] == 0
    old = await create_challenge(client, boss, title="Long gone", **window(hours_from_now=-24 * 91, length_hours=2))
    r = await client.post("/api/admin/jobs/cleanup-data", headers=boss["headers"])
    assert r.status_code == 200, r.text
    assert r.json()["details"]["inactive_challenges_deleted"] == 1
    assert (await client.get(f"/api/challenges/{old}", headers=boss["headers"])).status_code == 404
    assert (await client.get(f"/api/challenges/{cid}", headers=boss["headers"])).status_code == 200
    status = (await client.get("/api/admin/jobs/status", headers=boss["headers"])).json()
    assert set(status) == {"last_challenge_rotation", "last_data_cleanup", "active_analyses", "system_health"}
    assert status["last_challenge_rotation"] and status["last_data_cleanup"] and status["system_health"] == "healthy"


async def test_two_concurrent_submissions_leave_one_row_sqlite(client):
    boss = await admin(client)
    user = await idance_user(client)
    cid = await create_challenge(client, boss)
    key = await upload_challenge_video(client, user, cid, NOT_A_VIDEO)
    results = await asyncio.gather(*(client.post(f"/api/challenges/{cid}/submit-unified", headers=user["headers"],
                                                 json={"video_file": key}) for _ in range(2)))
    assert sorted(r.status_code for r in results) == [200, 400]
    subs = (await client.get(f"/api/challenges/{cid}/submissions", headers=user["headers"])).json()
    assert subs["total"] == 1


async def test_absurd_pages_and_sizes_are_refused_not_crashed(client):
    from tests.e2e.conftest import idance_user

    user = await idance_user(client)
    for path in ("/api/challenges?page=17221617037724068641505280", "/api/activities/me?page=675218633715005952",
                 "/api/feed?page=9999999999", "/api/sessions?page=1000001"):
        r = await client.get(path, headers=user["headers"])
        assert r.status_code == 400 and "page" in r.json()["detail"], (path, r.text)
    r = await client.post("/api/s3/upload/challenge-video", headers=user["headers"],
                          json={"challenge_id": "f" * 24, "file_extension": "mp4", "content_type": "video/mp4",
                                "file_size_mb": 1.2e308})
    assert r.status_code in (400, 404), r.text
