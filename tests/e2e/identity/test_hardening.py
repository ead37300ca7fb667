"""Issue 8 item 6 (brute force: throttle per address and per account, never by token; timing) and item 10
(identity hygiene), through the real app."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dishka import Provider, Scope, provide

from adapters.security.passwords import Argon2PasswordHasher
from application.ports.system import PasswordHasher
from tests.e2e.conftest import idance_user, unique_email
from tests.support.app import ClockProvider, MovableClock, make_settings, running_app


async def test_wrong_passwords_then_the_right_one_is_throttled_until_the_back_off_ends(client, clock):
    victim = await idance_user(client)
    intruder = await idance_user(client)  # a valid bearer token must not move the attempts elsewhere
    codes = []
    for i in range(30):
        r = await client.post("/auth/login", headers=intruder["headers"] if i % 2 else {},
                              json={"email": victim["email"], "password": f"guess-{i}-wrong"})
        codes.append(r.status_code)
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    r = await client.post("/auth/login", json={"email": victim["email"], "password": victim["password"]})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and "Too many attempts" in r.json()["detail"]
    # The same account through another contract and its username is the same account.
    r = await client.post("/api/v1/auth/login", json={"email": victim["email"].upper(), "password": "x-wrong-1"})
    assert r.status_code == 429
    clock.advance(timedelta(seconds=int(r.headers["retry-after"])))
    r = await client.post("/auth/login", json={"email": victim["email"], "password": victim["password"]})
    assert r.status_code == 200
    # A success clears the account's count: the owner is not punished for the intruder's guesses.
    r = await client.post("/auth/login", json={"email": victim["email"], "password": "one-typo-wrong"})
    assert r.status_code == 401


async def test_one_address_guessing_many_accounts_is_throttled(tmp_path):
    settings = make_settings(tmp_path, login_free_failures_per_address=4)
    async with running_app(settings, ClockProvider(MovableClock())) as client:
        codes = []
        for i in range(6):
            r = await client.post("/auth/login", headers={"X-Forwarded-For": f"203.0.113.{i}"},
                                  json={"email": unique_email("nobody"), "password": "whatever-guess"})
            codes.append(r.status_code)
        # X-Forwarded-For is not believed from a peer outside TRUSTED_PROXIES (empty by default).
        assert codes == [401, 401, 401, 401, 429, 429]


async def test_sign_ups_are_limited_per_address_whatever_the_token_or_forwarded_header(tmp_path):
    settings = make_settings(tmp_path, register_per_address=3)
    async with running_app(settings, ClockProvider(MovableClock())) as client:
        first = await idance_user(client)
        codes = []
        for i in range(3):
            headers = first["headers"] | {"X-Forwarded-For": f"10.0.0.{i}"}
            r = await client.post("/api/v1/auth/register", headers=headers,
                                  json={"email": unique_email(), "password": "sign-up-pw-1"})
            codes.append(r.status_code)
        assert codes == [201, 201, 429]
        r = await client.post("/api/auth/register/", json={"username": "late", "email": unique_email(),
                                                           "password": "sign-up-pw-1"})
        assert r.status_code == 429 and r.json()["detail"].startswith("Too many attempts")


class CountingHasher(Argon2PasswordHasher):
    def __init__(self) -> None:
        super().__init__()
        self.verified: list[str] = []

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verified.append(password)
        return await super().verify(password_hash, password)


class HasherProvider(Provider):
    def __init__(self, hasher: PasswordHasher) -> None:
        super().__init__()
        self._hasher = hasher

    @provide(scope=Scope.APP)
    def hasher(self) -> PasswordHasher:
        return self._hasher


async def test_an_unknown_email_costs_the_same_password_hash_as_a_known_one(tmp_path):
    hasher = CountingHasher()
    async with running_app(make_settings(tmp_path), ClockProvider(MovableClock()), HasherProvider(hasher)) as client:
        user = await idance_user(client)
        r = await client.post("/auth/login", json={"email": user["email"], "password": "not-the-one"})
        assert r.status_code == 401 and hasher.verified == ["not-the-one"]
        r = await client.post("/auth/login", json={"email": "ghost@example.com", "password": "ghost-guess"})
        assert r.status_code == 401 and r.json() == {"detail": "Invalid credentials"}
        assert hasher.verified == ["not-the-one", "ghost-guess"]  # a real Argon2 check against a decoy hash


@pytest.mark.parametrize("email", ["alice@x.test\u200b", "ali\u200bce@x.test", "alice\x00@x.test",
                                   "al\u202eice@x.test"])
async def test_emails_with_invisible_characters_are_refused(client, email):
    r = await client.post("/auth/register", json={"email": email, "password": "hygiene-pw-1"})
    assert r.status_code == 400 and r.json() == {"detail": "Enter a valid email address."}


async def test_look_alikes_of_an_existing_email_do_not_register(client):
    await idance_user(client, email="alice@x.test")
    for twin in ("\uff41\uff4c\uff49\uff43\uff45@x.test",  # full-width: NFKC makes it the same address
                 "ALICE@X.TEST"):
        r = await client.post("/auth/register", json={"email": twin, "password": "hygiene-pw-1"})
        assert r.status_code == 400 and r.json() == {"detail": "A user with this email already exists."}
    for twin in ("\u0430lice@x.test",  # Cyrillic a
                 "alic\u0435@x.test",  # Cyrillic e
                 "\u03b1lice@x.test"):  # Greek alpha
        r = await client.post("/auth/register", json={"email": twin, "password": "hygiene-pw-1"})
        assert r.status_code == 400, twin
        assert r.json() == {"detail": "This email looks the same as an existing account's."}
        r = await client.post("/api/auth/register/", json={"username": "twin", "email": twin,
                                                           "password": "hygiene-pw-1"})
        assert r.status_code == 400 and list(r.json()) == ["email"]
    # A full-width spelling logs in to the real account; a different plain address is a different person.
    r = await client.post("/auth/login", json={"email": "\uff41lice@x.test", "password": "correct-horse"})
    assert r.status_code == 200
    assert (await client.post("/auth/register", json={"email": "a1ice@x.test", "password": "hygiene-pw-1"})
            ).status_code == 201


async def test_usernames_cannot_be_emails_or_hold_invisible_characters(client):
    victim = await idance_user(client)
    for name in (victim["email"], "bad\u200bname", "nul\x00name"):
        r = await client.post("/api/auth/register/", json={"username": name, "email": unique_email(),
                                                           "password": "hygiene-pw-1"})
        assert r.status_code == 400 and list(r.json()) == ["username"], name
    r = await client.post("/api/auth/register/", json={"username": "\uff4d\uff41\uff59\uff41", "email": unique_email(),
                                                       "password": "hygiene-pw-1"})
    assert r.status_code == 201 and r.json()["user"]["username"] == "maya"  # NFKC


@pytest.mark.parametrize(("password", "message"), [
    ("        ", "Password cannot be only spaces."),
    ("password", "This password is too common."),
    ("Password123", "This password is too common."),
    ("x" * 129, "Password must be at most 128 characters."),
    ("x" * 9_000_000, "Password must be at most 128 characters."),
])
async def test_password_policy(client, password, message):
    r = await client.post("/auth/register", json={"email": unique_email(), "password": password})
    assert r.status_code == 400 and r.json() == {"detail": message}
    r = await client.post("/api/auth/register/", json={"username": "policy", "email": unique_email(),
                                                       "password": password})
    assert r.status_code == 400 and r.json() == {"password": [message]}
    assert (await client.post("/auth/register", json={"email": unique_email(), "password": "x" * 128})
            ).status_code == 201
