from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.identity.throttle import AttemptRecord, BackOff
from domain.identity.user import Preferences, check_username, login_key, normalise_email, password_problems


def test_emails_are_nfkc_normalised_and_invisible_characters_refused():
    assert normalise_email("  \uff21lice@X.test ") == "alice@x.test"
    for bad in ("alice@x.test\u200b", "a\x00lice@x.test", "al\u2066ice@x.test", "alice@x"):
        with pytest.raises(InvalidInput):
            normalise_email(bad)
    assert login_key(" \uff21LICE@x.test") == "alice@x.test"


def test_usernames_refuse_at_signs_and_invisible_characters():
    assert check_username(" \uff53alsero ") == "salsero"
    for bad in ("maya@dance.local", "ab", "x" * 151, "zero\u200bwidth", "tab\tname"):
        with pytest.raises(InvalidInput):
            check_username(bad)


def test_password_rules():
    assert password_problems("correct-horse") == []
    assert password_problems("x" * 128) == []
    assert password_problems("short") == ["Password must be at least 8 characters."]
    assert password_problems("x" * 129) == ["Password must be at most 128 characters."]
    assert password_problems("         ") == ["Password cannot be only spaces."]
    assert password_problems(" QWERTYUIOP ") == ["This password is too common."]
    assert password_problems("abc\x00defgh") == ["Password cannot contain a NUL character."]


def test_original_preferences_defaults_and_choices():
    p = Preferences()
    assert (p.auto_save_choreographies, p.default_difficulty, p.email_notifications) == (True, "intermediate", False)
    with pytest.raises(InvalidInput) as exc:
        Preferences(default_difficulty="expert")
    assert exc.value.field == "default_difficulty" and exc.value.message == '"expert" is not a valid choice.'


RULE = BackOff(free=5, base_seconds=1, max_seconds=900, forget_after=3600)


def test_back_off_figures():
    assert [RULE.delay(n) for n in (0, 4, 5, 6, 7, 14, 15, 40)] == [0, 0, 1, 2, 4, 512, 900, 900]
    assert RULE.wait(None, 100.0) == 0
    assert RULE.wait(AttemptRecord(count=4, last_at=100.0), 100.0) == 0
    assert RULE.wait(AttemptRecord(count=7, last_at=100.0), 100.5) == 4  # 4 s owed, 0.5 s gone: ceiling 4
    assert RULE.wait(AttemptRecord(count=7, last_at=100.0), 104.0) == 0
    assert RULE.wait(AttemptRecord(count=40, last_at=100.0), 100.0 + 3600) == 0  # forgotten


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_back_off_never_shrinks_with_more_failures_and_is_capped(a, b):
    lo, hi = sorted((a, b))
    assert 0 <= RULE.delay(lo) <= RULE.delay(hi) <= RULE.max_seconds


@given(st.integers(0, 200), st.floats(0, 5000))
def test_wait_is_within_the_delay(count, elapsed):
    wait = RULE.wait(AttemptRecord(count=count, last_at=1000.0), 1000.0 + elapsed)
    assert 0 <= wait <= RULE.delay(count) + 1
