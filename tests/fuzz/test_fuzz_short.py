"""A short, bounded fuzz pass of the whole API on every test run: no generated request may cause a server error
(``nox -s fuzz`` runs the long one)."""

from __future__ import annotations

import pytest

from tests.fuzz.run_fuzz import fuzz


@pytest.mark.slow
def test_a_short_fuzz_pass_finds_no_server_error():
    result = fuzz(max_examples=2, seed=20261201, workers=2, time_limit=600)
    tail = result.stdout[-6000:]
    assert result.returncode == 0, tail
    assert " passed" in tail and "failed" not in tail.split("Test cases:")[-1], tail
