"""Register, login, profile and wrong passwords on each client contract, and one user across them."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from tests.e2e.conftest import idance_user, unique_email


@pytest.fixture
def client(stack_client):
    return stack_client  # on the embedded defaults and on the scale-out stack


async def test_idance_register_login_profile_and_wrong_password(client):
    email = unique_email()
    r = await client.post("/auth/register", json={"email": email, "password": "pw-123456", "displayName": "Maya"})
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"access_token", "token_type", "user_id"} and body["token_type"] == "bearer"
    r = await client.post("/auth/login", json={"email": email.upper(), "password": "pw-123456"})
    assert r.status_code == 200 and r.json()["user_id"] == body["user_id"]
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    profile = (await client.get("/api/users/profile", headers=headers)).json()
    assert set(profile) == {"id", "email", "displayName", "avatarUrl", "level", "totalSessions", "totalDuration",
                            "createdAt"}
    assert profile["displayName"] == "Maya" and profile["totalSessions"] == 0 and profile["email"] == email
    r = await client.put("/api/users/profile", headers=headers,
                         json={"displayName": "Maya R", "avatarUrl": "https://example.com/a.png"})
    assert r.status_code == 200
    assert r.json() == {"message": "Profile updated successfully",
                        "user": {"id": body["user_id"], "displayName": "Maya R",
                                 "avatarUrl": "https://example.com/a.png"}}
    assert (await client.get("/api/users/profile", headers=headers)).json()["displayName"] == "Maya R"
    stats = (await client.get("/api/users/stats", headers=headers)).json()
    assert stats == {"totalSessions": 0, "totalDuration": 0, "averageSessionDuration": 0,
                     "favoriteDanceStyle": None, "weeklyProgress": {"sessions": 0, "duration": 0}}
    r = await client.post("/auth/login", json={"email": email, "password": "wrong-password"})
    assert r.status_code == 401 and r.json() == {"detail": "Invalid credentials"}


async def test_duplicate_email_is_rejected(client):
    user = await idance_user(client)
    r = await client.post("/auth/register", json={"email": user["email"], "password": "another-pw"})
    assert r.status_code == 400 and "already exists" in r.json()["detail"]


async def test_bachata_register_login_refresh_profile_preferences(client):
    r = await client.post("/api/auth/register/", json={"username": "salsero", "email": unique_email(),
                                                       "password": "bachata-pw"})
    assert r.status_code == 201
    assert set(r.json()) == {"user", "access", "refresh"} and r.json()["user"]["username"] == "salsero"
    r = await client.post("/api/auth/login/", json={"username": "salsero", "password": "bachata-pw"})
    # Issue 17: login answers the user too, as the original did and its web client needs.
    assert r.status_code == 200 and set(r.json()) == {"user", "access", "refresh"}
    tokens = r.json()
    headers = {"Authorization": f"Bearer {tokens['access']}"}
    r = await client.put("/api/auth/profile/", headers=headers, json={"display_name": "El Salsero", "bio": "hi"})
    assert r.status_code == 200 and r.json()["display_name"] == "El Salsero" and r.json()["bio"] == "hi"
    assert (await client.get("/api/auth/profile/", headers=headers)).json()["display_name"] == "El Salsero"
    prefs = (await client.get("/api/auth/preferences/", headers=headers)).json()
    assert prefs == {"difficulty": "beginner", "energy_level": "medium", "style": "modern",
                     "notifications_enabled": True,
                     # issue 17: the original's three, with its defaults, beside ours
                     "auto_save_choreographies": True, "default_difficulty": "intermediate",
                     "email_notifications": False}
    r = await client.put("/api/auth/preferences/", headers=headers, json={"difficulty": "advanced",
                                                                          "style": "sensual"})
    assert r.json()["difficulty"] == "advanced" and r.json()["style"] == "sensual"
    r = await client.put("/api/auth/preferences/", headers=headers, json={"difficulty": "expert"})
    assert r.status_code == 400 and "difficulty" in r.json()
    r = await client.post("/api/auth/token/refresh/", json={"refresh": tokens["refresh"]})
    assert r.status_code == 200 and r.json()["access"] != tokens["access"]
    again = await client.post("/api/auth/token/refresh/", json={"refresh": tokens["refresh"]})
    # Issue 17: a refresh token now works until it expires or its login is logged out (no rotation).
    assert again.status_code == 200
    r = await client.post("/api/auth/login/", json={"username": "salsero", "password": "nope-nope"})
    assert r.status_code == 401
    r = await client.post("/api/auth/login/", json={"password": "x"})
    assert r.status_code == 400 and r.json() == {"username": ["This field is required."]}
    r = await client.get("/api/auth/profile/")
    assert r.status_code == 401 and r.json() == {"detail": "Authentication credentials were not provided."}


async def test_swing_register_login_me_logout(client):
    email = unique_email()
    r = await client.post("/api/v1/auth/register", json={"email": email, "password": "swing-pw-1",
                                                         "full_name": "Tiger"})
    assert r.status_code == 201 and r.json()["user"]["email"] == email
    r = await client.post("/api/v1/auth/login", json={"email": email, "password": "swing-pw-1"})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 86400
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    me = (await client.get("/api/v1/auth/me", headers=headers)).json()
    assert me["full_name"] == "Tiger" and me["auth_providers"] == ["password"]
    assert (await client.post("/api/v1/auth/logout", headers=headers)).status_code == 200
    r = await client.get("/api/v1/auth/me", headers=headers)
    assert r.status_code == 401 and r.json()["detail"] == "Token has been revoked."
    r = await client.post("/api/v1/auth/login", json={"email": email, "password": "wrong-pw-1"})
    assert r.status_code == 401


async def test_one_user_across_all_three_contracts(client):
    email = unique_email("cross")
    r = await client.post("/api/v1/auth/register", json={"email": email, "password": "shared-pw-1"})
    swing_token = r.json()["access_token"]
    user_id = r.json()["user"]["id"]
    # The same email and password log in through the other two contracts, as the same user.
    idance = (await client.post("/auth/login", json={"email": email, "password": "shared-pw-1"})).json()
    assert idance["user_id"] == user_id
    bachata = (await client.post("/api/auth/login/", json={"username": email, "password": "shared-pw-1"})).json()
    # A token from each contract works on every other contract's endpoints.
    for token in (swing_token, idance["access_token"], bachata["access"]):
        headers = {"Authorization": f"Bearer {token}"}
        assert (await client.get("/api/users/profile", headers=headers)).json()["id"] == user_id
        assert (await client.get("/api/auth/profile/", headers=headers)).json()["id"] == user_id
        assert (await client.get("/api/v1/auth/me", headers=headers)).json()["id"] == user_id


async def test_expired_tampered_and_unknown_tokens(client, clock):
    user = await idance_user(client)
    assert (await client.get("/api/users/profile", headers=user["headers"])).status_code == 200
    header, payload, signature = user["token"].split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}AAAA"
    r = await client.get("/api/users/profile", headers={"Authorization": f"Bearer {tampered}"})
    assert r.status_code == 401 and r.json() == {"detail": "Could not validate credentials."}
    forged = jwt.encode({"sub": user["id"], "type": "access", "jti": "x", "exp": 9999999999, "iss": "dance-backend"},
                        "not-the-secret-not-the-secret-not-the-secret", algorithm="HS256")
    assert (await client.get("/api/users/profile", headers={"Authorization": f"Bearer {forged}"})).status_code == 401
    assert (await client.get("/api/users/profile")).json() == {"detail": "Not authenticated"}
    r = await client.post("/auth/login", json={"email": "nobody@example.com", "password": "whatever-1"})
    assert r.status_code == 401 and r.json() == {"detail": "Invalid credentials"}
    clock.advance(timedelta(hours=24, seconds=1))  # tokens expire after 24 h
    r = await client.get("/api/users/profile", headers=user["headers"])
    assert r.status_code == 401 and r.json() == {"detail": "Token has expired."}


async def test_bad_input_gets_seed_shaped_errors_and_writes_nothing(client):
    r = await client.post("/auth/register", content=b'{"email": "x@example.com", "password": ',
                          headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "json_invalid"
    r = await client.post("/auth/register", json={"password": "long-enough-pw"})
    assert r.status_code == 422
    assert r.json() == {"detail": [{"type": "missing", "loc": ["body", "email"], "msg": "Field required",
                                    "input": None}]}
    r = await client.post("/auth/register", json={"email": "y@example.com", "password": 12345678})
    assert r.status_code == 422
    entry = r.json()["detail"][0]
    assert entry["loc"] == ["body", "password"] and entry["type"] == "str_type" and entry["input"] == 12345678
    r = await client.post("/auth/register", json={"email": "not-an-email", "password": "long-enough-pw"})
    assert r.status_code == 400
    r = await client.post("/auth/register", json={"email": "short@example.com", "password": "short"})
    assert r.status_code == 400 and "at least 8" in r.json()["detail"]
    # None of the rejected registrations created a user.
    for email in ("x@example.com", "y@example.com", "short@example.com"):
        r = await client.post("/auth/register", json={"email": email, "password": "long-enough-pw"})
        assert r.status_code == 201


async def test_admin_from_admin_emails(client):
    r = await client.post("/api/v1/auth/register", json={"email": "boss@example.com", "password": "boss-pw-12"})
    assert r.json()["user"]["role"] == "admin"
