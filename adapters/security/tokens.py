from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import jwt

from application.ports.system import Clock, TokenClaims, TokenPair, TokenService
from domain.errors import Unauthenticated

ISSUER = "dance-backend"


class JwtTokenService(TokenService):
    """HS256 JWTs. One format serves every client contract, so any client's token works everywhere."""

    def __init__(
        self,
        secret: str,
        clock: Clock,
        *,
        access_ttl: timedelta = timedelta(hours=24),
        refresh_ttl: timedelta = timedelta(days=14),
    ) -> None:
        self._secret = secret
        self._clock = clock
        self._access_ttl = access_ttl
        self._refresh_ttl = refresh_ttl

    def _encode(self, user_id: str, role: str, kind: str, ttl: timedelta) -> str:
        now = self._clock.now()
        claims = {
            "sub": user_id,
            "role": role,
            "type": kind,
            "jti": secrets.token_hex(16),
            "iat": int(now.timestamp()),
            "exp": int((now + ttl).timestamp()),
            "iss": ISSUER,
        }
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def issue(self, user_id: str, role: str) -> TokenPair:
        return TokenPair(
            access=self._encode(user_id, role, "access", self._access_ttl),
            refresh=self._encode(user_id, role, "refresh", self._refresh_ttl),
            access_expires_in=int(self._access_ttl.total_seconds()),
        )

    def decode(self, token: str, kind: str = "access") -> TokenClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=["HS256"],
                issuer=ISSUER,
                options={"require": ["sub", "exp", "jti", "type"], "verify_exp": False},
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated("Could not validate credentials.") from exc
        expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
        # Expiry is checked against our clock (a port), so tests can move time instead of sleeping.
        if expires <= self._clock.now():
            raise Unauthenticated("Token has expired.")
        if claims.get("type") != kind:
            raise Unauthenticated(f"Expected a {kind} token.")
        return TokenClaims(user_id=str(claims["sub"]), token_id=str(claims["jti"]), kind=kind, expires_at=expires)
