"""X-Forwarded-For is believed only from listed proxies (issue 8 item 6)."""

from __future__ import annotations

from litestar.testing import RequestFactory

from entrypoints.http.client_address import TrustedProxies, client_address


def address(peer: str, forwarded: list[str], trusted: tuple[str, ...]) -> str | None:
    request = RequestFactory(server=peer).get("/", headers={"X-Forwarded-For": ", ".join(forwarded)}
                                               if forwarded else None)
    return client_address(request, TrustedProxies.parse(trusted)).value


def test_forwarded_header_ignored_without_trusted_proxies():
    assert address("127.0.0.1", ["6.6.6.6"], ()) == "127.0.0.1"
    assert address("198.51.100.7", ["6.6.6.6"], ("10.0.0.0/8",)) == "198.51.100.7"


def test_right_most_address_outside_our_proxies_is_the_client():
    trusted = ("10.0.0.0/8", "127.0.0.1")
    # A spoofed first hop is ignored: our proxy appended the address it saw.
    assert address("10.0.0.2", ["6.6.6.6", "203.0.113.9"], trusted) == "203.0.113.9"
    assert address("127.0.0.1", ["203.0.113.9", "10.1.1.1"], trusted) == "203.0.113.9"
    assert address("10.0.0.2", [], trusted) == "10.0.0.2"
    assert address("::ffff:10.0.0.2", ["203.0.113.9"], trusted) == "203.0.113.9"


def test_a_bad_trusted_proxy_stops_start_up():
    import pytest

    from entrypoints.settings import Settings, SettingsError

    with pytest.raises(SettingsError, match="TRUSTED_PROXIES"):
        Settings.from_env({"TRUSTED_PROXIES": "10.0.0.0/8,not-an-ip", "JWT_SECRET": "s" * 40})
    assert Settings.from_env({"JWT_SECRET": "s" * 40}).trusted_proxy_list == ()
