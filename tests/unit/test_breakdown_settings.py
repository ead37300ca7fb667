"""Breakdown and URL-fetching settings: defaults, validation, and the language model they choose."""

from __future__ import annotations

import pytest

from adapters.llm.openai_compatible import OpenAICompatibleLanguageModel
from application.ports.language import TemplateLanguageModel
from entrypoints.ioc.breakdown import language_model
from entrypoints.settings import Settings, SettingsError


def _env(tmp_path, **kw):
    return {"VAR_DIR": str(tmp_path), **{k.upper(): v for k, v in kw.items()}}


def test_defaults_refuse_private_addresses_wait_60_s_and_use_no_model(tmp_path):
    s = Settings.from_env(_env(tmp_path))
    assert s.fetch_allow_private is False and s.breakdown_wait_s == 60.0 and s.llm == "none"
    assert isinstance(language_model(s), TemplateLanguageModel)


def test_an_openai_compatible_model_needs_its_url_and_model(tmp_path):
    with pytest.raises(SettingsError, match="LLM_BASE_URL and LLM_MODEL"):
        Settings.from_env(_env(tmp_path, llm="openai", llm_model="m"))
    s = Settings.from_env(_env(tmp_path, llm="openai", llm_base_url="http://127.0.0.1:8080/v1", llm_model="m",
                               fetch_allow_private="true", breakdown_wait_s="0"))
    model = language_model(s)
    assert isinstance(model, OpenAICompatibleLanguageModel) and model.name == "openai-compatible:m"
    assert s.fetch_allow_private is True and s.breakdown_wait_s == 0.0


@pytest.mark.parametrize(("name", "value"), [("llm", "gpt"), ("breakdown_wait_s", "-1"),
                                             ("fetch_allow_private", "perhaps")])
def test_bad_values_stop_start_up(tmp_path, name, value):
    with pytest.raises(SettingsError):
        Settings.from_env(_env(tmp_path, **{name: value}))
