"""Issue 8 item 1 through the app: analysis video URLs go through the SSRF-safe fetcher, which refuses loopback
and private addresses unless FETCH_ALLOW_PRIVATE is set."""

from __future__ import annotations

from adapters.net.safe_fetch import GENERIC_ERROR
from tests.e2e.conftest import idance_user
from tests.integration.breakdown.servers import send, serve
from tests.support.app import wait_for


async def test_analyze_pose_refuses_a_loopback_url_with_the_generic_reason(client):
    user = await idance_user(client)  # the default settings: FETCH_ALLOW_PRIVATE is off
    with serve(lambda h: send(h, 200, b"\x00\x00\x00\x18ftypmp42" + b"x" * 4096, {"Content-Type": "video/mp4"})
               ) as (base, recorder):
        r = await client.post("/api/ai/analyze-pose", headers=user["headers"],
                              json={"submission_id": "ssrf-1", "video_url": f"{base}/internal/v.mp4"})
        assert r.status_code == 200 and r.json()["status"] == "processing"

        async def ended():
            body = (await client.get("/api/ai/analysis-status/ssrf-1", headers=user["headers"])).json()
            return body if body["status"] != "processing" else None

        analysis = await wait_for(ended, timeout=60)
        assert recorder.requests == []  # refused before any connection
    assert analysis["status"] == "failed" and analysis["error_message"] == GENERIC_ERROR
    assert analysis["total_score"] is None and analysis["score_breakdown"] is None
    job = (await client.get(f"/api/background/jobs/{analysis['job_id']}", headers=user["headers"])).json()
    assert job["status"] == "failed" and job["error"] == GENERIC_ERROR
