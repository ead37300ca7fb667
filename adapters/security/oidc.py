"""OpenID Connect ID token verification against each provider's published keys (JWKS)."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from application.ports.system import ExternalIdentity, IdentityProviderVerifier
from domain.errors import InvalidInput, Unauthenticated


@dataclass(frozen=True, slots=True)
class OidcProvider:
    name: str
    jwks_url: str
    issuer_pattern: str  # a regular expression: Microsoft's issuer carries the tenant id
    client_ids: tuple[str, ...]  # accepted audiences; empty accepts none


DEFAULT_PROVIDERS = {
    "google": ("https://www.googleapis.com/oauth2/v3/certs", r"^(https://)?accounts\.google\.com$"),
    "microsoft": (
        "https://login.microsoftonline.com/common/discovery/v2.0/keys",
        r"^https://login\.microsoftonline\.com/[0-9a-f-]{36}/v2\.0$",
    ),
    "linkedin": ("https://www.linkedin.com/oauth/openid/jwks", r"^https://www\.linkedin\.com(/oauth)?$"),
}


class JwksIdentityVerifier(IdentityProviderVerifier):
    def __init__(self, providers: dict[str, OidcProvider], *, cache_seconds: float = 3600.0,
                 timeout: float = 5.0) -> None:
        self._providers = providers
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}
        self._cache_seconds = cache_seconds
        self._timeout = timeout

    async def _keys(self, provider: OidcProvider, refresh: bool = False) -> dict[str, Any]:
        cached = self._cache.get(provider.name)
        if cached and not refresh and time.monotonic() - cached[0] < self._cache_seconds:
            return cached[1]
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.get(provider.jwks_url)
                response.raise_for_status()
                jwks = response.json()
        except (httpx.HTTPError, json.JSONDecodeError) as exc:
            raise Unauthenticated(f"Could not fetch {provider.name} signing keys.") from exc
        self._cache[provider.name] = (time.monotonic(), jwks)
        return dict(jwks)

    async def _key_for(self, provider: OidcProvider, kid: str | None) -> Any:
        for refresh in (False, True):  # a new kid means the provider rotated its keys
            jwks = await self._keys(provider, refresh=refresh)
            for entry in jwks.get("keys", []):
                if kid is None or entry.get("kid") == kid:
                    return jwt.PyJWK(entry).key
        raise Unauthenticated("ID token was signed with an unknown key.")

    async def verify(self, provider: str, id_token: str) -> ExternalIdentity:
        spec = self._providers.get(provider.lower())
        if spec is None:
            raise InvalidInput(
                f"Unknown provider {provider!r}; use one of: {', '.join(sorted(self._providers))}.",
                field="provider",
            )
        if not spec.client_ids:
            raise Unauthenticated(f"Sign-in with {spec.name} is not configured on this server.")
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as exc:
            raise Unauthenticated("ID token is malformed.") from exc
        if header.get("alg") not in ("RS256", "RS384", "RS512", "ES256", "ES384", "PS256"):
            raise Unauthenticated("ID token uses an unsupported algorithm.")
        key = await self._key_for(spec, header.get("kid"))
        try:
            claims = jwt.decode(
                id_token, key, algorithms=[header["alg"]], audience=list(spec.client_ids),
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"ID token rejected: {exc}.") from exc
        if not re.match(spec.issuer_pattern, str(claims["iss"])):
            raise Unauthenticated("ID token has an unexpected issuer.")
        verified = claims.get("email_verified", False)
        return ExternalIdentity(
            provider=spec.name,
            subject=str(claims["sub"]),
            email=claims.get("email"),
            email_verified=verified is True or verified == "true",
            name=claims.get("name"),
        )
