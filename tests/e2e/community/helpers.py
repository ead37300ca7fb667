from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from tests.e2e.conftest import idance_user
from tests.support.app import put_upload


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def window(hours_from_now: float = -1, length_hours: float = 24, now: datetime | None = None) -> dict[str, str]:
    start = (now or datetime.now(UTC)) + timedelta(hours=hours_from_now)
    end = start + timedelta(hours=length_hours)
    return {"startTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "endTime": end.strftime("%Y-%m-%dT%H:%M:%SZ")}


async def admin(client: Any) -> dict[str, Any]:
    """The admin account (ADMIN_EMAILS): registered by the first test on a database, signed in by the next ones
    (the scale-out stack's database is shared by a module's tests)."""
    email, password = "boss@example.com", "correct-horse"
    r = await client.post("/auth/login", json={"email": email, "password": password})
    if r.status_code != 200:
        return await idance_user(client, email=email, password=password)
    body = r.json()
    return {"email": email, "password": password, "token": body["access_token"], "id": body["user_id"],
            "headers": {"Authorization": f"Bearer {body['access_token']}"}}


async def create_challenge(client: Any, boss: dict[str, Any], **fields: Any) -> str:
    body = {"title": "Freestyle Friday", "description": "Show your best freestyle moves!", "type": "freestyle",
            "difficulty": "intermediate", "points": 100, "badgeName": "Freestyle Master",
            "badgeIconURL": "https://example.com/badge.png", "category": "dance",
            "tags": ["freestyle", "dance", "challenge"], **window(), **fields}
    r = await client.post("/api/challenges", headers=boss["headers"], json=body)
    assert r.status_code == 200, r.text
    return str(r.json()["challengeId"])


async def upload_challenge_video(client: Any, user: dict[str, Any], challenge_id: str, data: bytes) -> str:
    r = await client.post("/api/s3/upload/challenge-video", headers=user["headers"],
                          json={"challenge_id": challenge_id, "file_extension": "mp4", "content_type": "video/mp4",
                                "file_size_mb": len(data) / (1024 * 1024)})
    assert r.status_code == 200, r.text
    body = r.json()
    put = await put_upload(client, body["upload_url"], data, "video/mp4")
    assert put.status_code == 200, put.text
    return str(body["file_key"])

