"""Fixtures of the domain's unit tests."""

from __future__ import annotations

import pytest

from domain.storage import keys


@pytest.fixture(autouse=True)
def checked_keys_forgotten():
    """Each test sees every file key checked afresh: the keys already checked are remembered process-wide (a
    speed-up), and a rule's test must run the rule, not read what an earlier test left."""
    keys._VALID.clear()
    yield
    keys._VALID.clear()
