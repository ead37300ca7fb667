"""How the login and sign-up use cases consult the throttle: keys per address and per account."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from application.identity.ports import LoginThrottle
from domain.identity.throttle import BackOff, ThrottleRules, TooManyAttempts


def _key(kind: str, value: str) -> str:
    # Hashed, so the store (Redis) holds no email addresses.
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Guard:
    throttle: LoginThrottle
    rules: ThrottleRules

    async def _check(self, pairs: list[tuple[str, BackOff]], now: float) -> None:
        records = await self.throttle.records([k for k, _ in pairs])
        wait = max((rule.wait(record, now) for (_, rule), record in zip(pairs, records, strict=True)), default=0)
        if wait > 0:
            raise TooManyAttempts(wait)

    def _login_pairs(self, login: str, client: str | None) -> list[tuple[str, BackOff]]:
        pairs = [(_key("login-account", login), self.rules.account)]
        if client:
            pairs.append((_key("login-address", client), self.rules.address))
        return pairs

    async def before_login(self, login: str, client: str | None, now: float) -> None:
        await self._check(self._login_pairs(login, client), now)

    async def login_failed(self, login: str, client: str | None, now: float) -> None:
        pairs = self._login_pairs(login, client)
        for key, rule in pairs:
            await self.throttle.count([key], now, rule.forget_after)

    async def login_succeeded(self, login: str) -> None:
        # The account's count only: a success from one address must not wipe another address's failures.
        await self.throttle.clear([_key("login-account", login)])

    async def before_register(self, client: str | None, now: float) -> None:
        if client:
            key = _key("register-address", client)
            await self._check([(key, self.rules.register)], now)
            await self.throttle.count([key], now, self.rules.register.forget_after)
