"""Security headers on every answer; a content security policy on the HTML pages (the interactive docs).

The docs' scripts and styles are served by the app itself (from the ``swagger-ui-bundle-v2`` package), so the
page works offline and under ``script-src 'self'``; the inline start-up script Litestar writes needs
'unsafe-inline'. Added in a ``before_send`` hook, so 404s of unknown paths and error answers carry them too.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

ALWAYS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
HTML_POLICY = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; "
               "base-uri 'none'; form-action 'self'")


async def security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in ALWAYS.items():
        if name not in headers:
            headers[name] = value
    if "text/html" in headers.get("content-type", "") and "content-security-policy" not in headers:
        headers["content-security-policy"] = HTML_POLICY
