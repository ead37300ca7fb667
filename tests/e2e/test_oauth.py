"""OpenID Connect sign-in against a JWKS that the test serves itself on loopback."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.e2e.conftest import idance_user
from tests.support.app import ClockProvider, MovableClock, make_settings, running_app

CLIENT_ID = "dance-web-client"


@pytest.fixture(scope="module")
def keypair():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url(keypair):
    jwk = json.loads(RSAAlgorithm.to_jwk(keypair.public_key()))
    body = json.dumps({"keys": [jwk | {"kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/jwks"
    server.shutdown()


@pytest.fixture
async def oidc_client(tmp_path, jwks_url):
    settings = make_settings(tmp_path, oidc_google_client_ids=CLIENT_ID, oidc_google_jwks_url=jwks_url)
    async with running_app(settings, ClockProvider(MovableClock())) as c:
        yield c


def id_token(keypair, *, sub="g-123", email="oidc@example.com", aud=CLIENT_ID,
             iss="https://accounts.google.com", verified=True, kid="k1"):
    now = int(time.time())
    claims = {"iss": iss, "sub": sub, "aud": aud, "iat": now, "exp": now + 600, "email": email,
              "email_verified": verified, "name": "Oidc Person"}
    return jwt.encode(claims, keypair, algorithm="RS256", headers={"kid": kid})


async def test_oauth_creates_then_links_and_logs_in(oidc_client, keypair):
    r = await oidc_client.post("/api/v1/auth/oauth", json={"provider": "google", "id_token": id_token(keypair)})
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["user"]["email"] == "oidc@example.com" and first["user"]["auth_providers"] == ["google"]
    again = await oidc_client.post("/api/v1/auth/oauth", json={"provider": "google", "id_token": id_token(keypair)})
    assert again.json()["user"]["id"] == first["user"]["id"]
    headers = {"Authorization": f"Bearer {first['access_token']}"}
    assert (await oidc_client.get("/api/users/profile", headers=headers)).json()["email"] == "oidc@example.com"


async def test_oauth_links_existing_password_user_by_email(oidc_client, keypair):
    user = await idance_user(oidc_client, email="linked@example.com")
    token = id_token(keypair, sub="g-999", email="linked@example.com")
    r = await oidc_client.post("/api/v1/auth/oauth", json={"provider": "google", "id_token": token})
    assert r.status_code == 200
    assert r.json()["user"]["id"] == user["id"]
    assert r.json()["user"]["auth_providers"] == ["password", "google"]


@pytest.mark.parametrize(
    "overrides",
    [{"aud": "someone-else"}, {"iss": "https://evil.example.com"}, {"verified": False, "sub": "g-new",
                                                                      "email": "unverified@example.com"}],
)
async def test_oauth_rejects_bad_tokens(oidc_client, keypair, overrides):
    r = await oidc_client.post("/api/v1/auth/oauth", json={"provider": "google",
                                                           "id_token": id_token(keypair, **overrides)})
    assert r.status_code == 401


async def test_oauth_rejects_foreign_signature_and_unconfigured_provider(oidc_client):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    r = await oidc_client.post("/api/v1/auth/oauth", json={"provider": "google", "id_token": id_token(stranger)})
    assert r.status_code == 401
    r = await oidc_client.post("/api/v1/auth/oauth", json={"provider": "microsoft", "id_token": id_token(stranger)})
    assert r.status_code == 401 and "not configured" in r.json()["detail"]
    r = await oidc_client.post("/api/v1/auth/oauth", json={"provider": "myspace", "id_token": "x"})
    assert r.status_code == 422


async def test_oauth_does_not_create_a_look_alike_of_an_existing_email(oidc_client, keypair):
    await idance_user(oidc_client, email="real@example.com")
    token = id_token(keypair, sub="g-twin", email="r\u0435al@example.com")  # Cyrillic e
    r = await oidc_client.post("/api/v1/auth/oauth", json={"provider": "google", "id_token": token})
    assert r.status_code == 400 and r.json() == {"detail": "This email looks the same as an existing account's."}
