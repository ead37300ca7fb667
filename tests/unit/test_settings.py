from __future__ import annotations

import pytest

from entrypoints.settings import Settings, SettingsError


def test_defaults_are_embedded(tmp_path):
    s = Settings.from_env({"VAR_DIR": str(tmp_path)})
    assert s.database_url.startswith("sqlite+aiosqlite:///") and s.storage == "local" and s.queue == "memory"
    assert len(s.jwt_secret) > 40
    assert Settings.from_env({"VAR_DIR": str(tmp_path)}).jwt_secret == s.jwt_secret  # kept in var/ once made


@pytest.mark.parametrize(("env", "word"), [
    ({"QUEUE": "kafka"}, "QUEUE"),
    ({"PORT": "eighty"}, "PORT"),
    ({"STORAGE": "ftp"}, "STORAGE"),
    ({"ENV": "production"}, "JWT_SECRET"),
    ({"JWT_SECRET": "short"}, "JWT_SECRET"),
])
def test_bad_values_stop_with_a_message_naming_the_setting(tmp_path, env, word):
    with pytest.raises(SettingsError, match=word):
        Settings.from_env({"VAR_DIR": str(tmp_path), **env})


def test_admin_emails_are_normalised(tmp_path):
    s = Settings.from_env({"VAR_DIR": str(tmp_path), "ADMIN_EMAILS": " Boss@Example.com, ,ops@example.com"})
    assert s.admin_email_set == {"boss@example.com", "ops@example.com"}
