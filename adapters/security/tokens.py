from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from application.ports.system import Clock, TokenClaims, TokenPair, TokenService
from domain.errors import Unauthenticated

ISSUER = "dance-backend"
VERIFIED_TOKENS_KEPT = 50_000


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
        self._verified: dict[str, dict[str, Any]] = {}
        self._refresh_ttl = refresh_ttl

    def _encode(self, user_id: str, role: str, kind: str, expires: int, sid: str, sexp: int) -> str:
        claims = {
            "sub": user_id,
            "role": role,
            "type": kind,
            "jti": secrets.token_hex(16),
            "sid": sid,
            "sexp": sexp,
            "iat": int(self._clock.now().timestamp()),
            "exp": expires,
            "iss": ISSUER,
        }
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def issue(self, user_id: str, role: str, session: TokenClaims | None = None) -> TokenPair:
        """One login = one session id, carried by its refresh token and by every access token issued from it."""
        now = int(self._clock.now().timestamp())
        if session is None:
            sid, sexp = secrets.token_hex(16), now + int(self._refresh_ttl.total_seconds())
        else:
            sid, sexp = session.session_id, int(session.session_expires_at.timestamp())
        access_exp = min(now + int(self._access_ttl.total_seconds()), sexp)
        return TokenPair(
            access=self._encode(user_id, role, "access", access_exp, sid, sexp),
            refresh=self._encode(user_id, role, "refresh", sexp, sid, sexp),
            access_expires_in=access_exp - now,
        )

    def decode(self, token: str, kind: str = "access") -> TokenClaims:
        claims = self._verified.get(token)
        if claims is None:
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
            # The signature is a property of the exact string: a string verified once need not be verified
            # again (a tenth of a cached read's time). Expiry, type and revocation are still checked every time.
            if len(self._verified) >= VERIFIED_TOKENS_KEPT:
                self._verified.clear()
            self._verified[token] = claims
        expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
        # Expiry is checked against our clock (a port), so tests can move time instead of sleeping.
        if expires <= self._clock.now():
            raise Unauthenticated("Token has expired.")
        if claims.get("type") != kind:
            raise Unauthenticated(f"Expected a {kind} token.")
        # Tokens from before sessions existed are a session of their own.
        token_id = str(claims["jti"])
        session_expires = datetime.fromtimestamp(int(claims.get("sexp", claims["exp"])), UTC)
        return TokenClaims(user_id=str(claims["sub"]), token_id=token_id, kind=kind, expires_at=expires,
                           session_id=str(claims.get("sid") or token_id),
                           session_expires_at=max(session_expires, expires))
