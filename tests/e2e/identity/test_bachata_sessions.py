"""Issue 17 (Bachata Buddy's web client, today's endpoints) and issue 8 item 7 (logout ends the login)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tests.e2e.conftest import unique_email


@pytest.fixture
def client(stack_client):
    return stack_client  # on the embedded defaults and on the scale-out stack


USER_KEYS = {"id", "username", "email", "display_name", "is_instructor", "preferences"}
PREFERENCE_DEFAULTS = {"auto_save_choreographies": True, "default_difficulty": "intermediate",
                       "email_notifications": False}


async def bachata_user(client, username: str, password: str = "bachata-pw-1") -> dict:
    email = unique_email(username)
    r = await client.post("/api/auth/register/", json={"username": username, "email": email,
                                                       "password": password, "password2": password})
    assert r.status_code == 201, r.text
    return r.json() | {"email": email, "password": password}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def check_user(user: dict, username: str, email: str) -> None:
    assert set(user) >= USER_KEYS
    assert isinstance(user["id"], str) and user["id"]
    assert user["username"] == username and user["email"] == email
    assert isinstance(user["display_name"], str) and user["is_instructor"] is True  # every user may keep class plans
    assert PREFERENCE_DEFAULTS.items() <= user["preferences"].items()


async def test_login_and_register_answer_the_user_with_tokens(client):
    reg = await bachata_user(client, "bachatero")
    assert {"user", "access", "refresh"} <= set(reg)
    check_user(reg["user"], "bachatero", reg["email"])
    r = await client.post("/api/auth/login/", json={"username": "bachatero", "password": reg["password"]})
    assert r.status_code == 200
    body = r.json()
    assert isinstance(body["access"], str) and isinstance(body["refresh"], str)
    check_user(body["user"], "bachatero", reg["email"])
    assert body["user"]["id"] == reg["user"]["id"]


async def test_register_logout_login_again_is_signed_in(client):
    reg = await bachata_user(client, "returner")
    assert (await client.get("/api/auth/me/", headers=bearer(reg["access"]))).status_code == 200
    r = await client.post("/api/auth/logout/", headers=bearer(reg["access"]), json={"refresh": reg["refresh"]})
    assert r.status_code == 200
    assert (await client.get("/api/auth/me/", headers=bearer(reg["access"]))).status_code == 401
    assert (await client.post("/api/auth/refresh/", json={"refresh": reg["refresh"]})).status_code == 401
    r = await client.post("/api/auth/login/", json={"username": "returner", "password": reg["password"]})
    assert r.status_code == 200
    me = await client.get("/api/auth/me/", headers=bearer(r.json()["access"]))
    assert me.status_code == 200 and me.json()["username"] == "returner"
    refreshed = await client.post("/api/auth/refresh/", json={"refresh": r.json()["refresh"]})
    assert refreshed.status_code == 200


async def test_reloads_reuse_the_first_refresh_token_in_a_row_and_at_once(client):
    reg = await bachata_user(client, "reloader")
    for _ in range(2):  # two page loads in a row
        r = await client.post("/api/auth/refresh/", json={"refresh": reg["refresh"]})
        assert r.status_code == 200, r.text
        assert (await client.get("/api/auth/me/", headers=bearer(r.json()["access"]))).status_code == 200
    # A page load and a 401 retry racing with the same token.
    both = await asyncio.gather(*(client.post("/api/auth/refresh/", json={"refresh": reg["refresh"]})
                                  for _ in range(2)))
    assert [r.status_code for r in both] == [200, 200]
    for r in both:
        assert (await client.get("/api/auth/me/", headers=bearer(r.json()["access"]))).status_code == 200
    # Spec 003's path too.
    assert (await client.post("/api/auth/token/refresh/", json={"refresh": reg["refresh"]})).status_code == 200


@pytest.mark.parametrize("logout", ["/api/v1/auth/logout", "/auth/logout", "/api/auth/logout/"])
async def test_every_contracts_logout_makes_that_logins_refresh_token_unusable(client, logout):
    name = "leaver_" + logout.strip("/").replace("/", "_")  # one account per case: the scale-out database is shared
    reg = await bachata_user(client, name)
    refreshed = (await client.post("/api/auth/refresh/", json={"refresh": reg["refresh"]})).json()["access"]
    other = (await client.post("/api/auth/login/", json={"username": name, "password": reg["password"]})).json()
    assert (await client.post(logout, headers=bearer(reg["access"]))).status_code == 200
    r = await client.post("/api/auth/refresh/", json={"refresh": reg["refresh"]})
    assert r.status_code == 401 and r.json() == {"detail": "Token has been revoked."}
    # Every access token of that login ends with it (also one issued from its refresh token) ...
    assert (await client.get("/api/auth/me/", headers=bearer(refreshed))).status_code == 401
    # ... and another login of the same user goes on.
    assert (await client.get("/api/auth/me/", headers=bearer(other["access"]))).status_code == 200
    assert (await client.post("/api/auth/refresh/", json={"refresh": other["refresh"]})).status_code == 200


async def test_refresh_token_expires_and_access_never_outlives_it(client, clock):
    reg = await bachata_user(client, "expirer")
    clock.advance(timedelta(days=13, hours=23))
    r = await client.post("/api/auth/refresh/", json={"refresh": reg["refresh"]})
    assert r.status_code == 200
    clock.advance(timedelta(hours=2))  # past the refresh token's 14 days: its access tokens end too
    assert (await client.get("/api/auth/me/", headers=bearer(r.json()["access"]))).status_code == 401
    r = await client.post("/api/auth/refresh/", json={"refresh": reg["refresh"]})
    assert r.status_code == 401 and r.json() == {"detail": "Token has expired."}


async def test_me_reads_and_updates_the_documented_fields(client):
    reg = await bachata_user(client, "meuser")
    headers = bearer(reg["access"])
    me = (await client.get("/api/auth/me/", headers=headers)).json()
    check_user(me, "meuser", reg["email"])
    assert me == (await client.get("/api/auth/profile/", headers=headers)).json()
    new_email = unique_email("moved")
    r = await client.put("/api/auth/me/", headers=headers, json={
        "display_name": "Me User", "email": new_email.upper(), "username": "ignored", "is_instructor": False,
        "preferences": {"default_difficulty": "advanced", "auto_save_choreographies": False}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["display_name"] == "Me User" and body["email"] == new_email
    assert body["username"] == "meuser" and body["is_instructor"] is True  # read-only, as in the original
    assert body["preferences"]["default_difficulty"] == "advanced"
    assert body["preferences"]["auto_save_choreographies"] is False
    assert (await client.get("/api/auth/me/", headers=headers)).json() == body
    r = await client.put("/api/auth/me/", headers=headers, json={"preferences": {"default_difficulty": "expert"}})
    assert r.status_code == 400 and r.json() == {"default_difficulty": ['"expert" is not a valid choice.']}
    other = await bachata_user(client, "someoneelse")
    r = await client.put("/api/auth/me/", headers=headers, json={"email": other["email"]})
    assert r.status_code == 400 and list(r.json()) == ["email"]
    assert (await client.get("/api/auth/me/", headers=headers)).json() == body  # nothing half-applied
    assert (await client.get("/api/auth/me/")).status_code == 401


async def test_original_preferences_are_stored_and_bad_values_refused(client):
    reg = await bachata_user(client, "prefs")
    headers = bearer(reg["access"])
    prefs = (await client.get("/api/auth/preferences/", headers=headers)).json()
    assert PREFERENCE_DEFAULTS.items() <= prefs.items()
    change = {"auto_save_choreographies": False, "default_difficulty": "beginner", "email_notifications": True}
    r = await client.put("/api/auth/preferences/", headers=headers, json=change)
    assert r.status_code == 200 and change.items() <= r.json().items()
    again = (await client.get("/api/auth/preferences/", headers=headers)).json()
    assert change.items() <= again.items() and again["difficulty"] == "beginner"  # ours untouched
    for bad, field in (({"default_difficulty": "expert"}, "default_difficulty"),
                       ({"email_notifications": "sometimes"}, "email_notifications"),
                       ({"auto_save_choreographies": 3}, "auto_save_choreographies"),
                       ({"style": "robotic"}, "style")):
        r = await client.put("/api/auth/preferences/", headers=headers, json=bad)
        assert r.status_code == 400, (bad, r.text)
        assert list(r.json()) == [field] and isinstance(r.json()[field], list) and r.json()[field]
    assert (await client.get("/api/auth/preferences/", headers=headers)).json() == again


async def test_register_errors_per_field_in_the_drf_shape(client):
    first = await bachata_user(client, "taken")
    r = await client.post("/api/auth/register/", json={"username": "taken", "email": unique_email(),
                                                       "password": "fine-password-1"})
    assert r.status_code == 400 and r.json() == {"username": ["A user with that username already exists."]}
    r = await client.post("/api/auth/register/", json={"username": "fresh1", "email": first["email"],
                                                       "password": "fine-password-1"})
    assert r.status_code == 400 and r.json() == {"email": ["A user with this email already exists."]}
    r = await client.post("/api/auth/register/", json={"username": "fresh2", "email": unique_email(),
                                                       "password": "fine-password-1", "password2": "other-one-1"})
    assert r.status_code == 400 and r.json() == {"password": ["Password fields didn't match."]}
    r = await client.post("/api/auth/register/", json={"username": "fresh3", "email": unique_email(),
                                                       "password": "short"})
    assert r.status_code == 400 and r.json() == {"password": ["Password must be at least 8 characters."]}
    r = await client.post("/api/auth/register/", json={"username": "a@b", "email": "not-an-email",
                                                       "password": "password"})
    assert r.status_code == 400 and set(r.json()) == {"username", "email", "password"}
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in r.json().values())
    r = await client.post("/api/auth/register/", json={"email": unique_email(), "password": "fine-password-1"})
    assert r.status_code == 400 and r.json() == {"username": ["This field is required."]}
    # password2 is optional: spec 003's form leaves it out.
    r = await client.post("/api/auth/register/", json={"username": "nopw2", "email": unique_email(),
                                                       "password": "fine-password-1"})
    assert r.status_code == 201
