"""The operations CLI: migrate, seed and create-admin on the embedded defaults."""

from __future__ import annotations

from entrypoints import manage
from tests.support.app import make_settings, running_app


async def test_create_admin_promotes_and_seed_is_idempotent(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ENV", "test")
    settings = make_settings(tmp_path, move_clips_dir=tmp_path / "no-clips")  # the move library has its own tests
    await manage.migrate(settings)
    await manage.seed(settings)
    await manage.seed(settings)  # a second run creates nothing twice
    assert capsys.readouterr().out.count("admin@dance.local") == 1
    async with running_app(settings) as client:
        r = await client.post("/auth/register", json={"email": "promote@example.com", "password": "promote-me-1"})
        assert r.status_code == 201
        created = await manage.ensure_user(settings, "promote@example.com", "P", manage.Role.ADMIN, "unused-pw")
        assert created is False
        login = await client.post("/api/v1/auth/login", json={"email": "promote@example.com",
                                                               "password": "promote-me-1"})
        assert login.json()["user"]["role"] == "admin"
        demo = await client.post("/api/v1/auth/login", json={"email": "maya@dance.local",
                                                              "password": manage.DEMO_PASSWORD})
        assert demo.status_code == 200 and demo.json()["user"]["role"] == "user"
