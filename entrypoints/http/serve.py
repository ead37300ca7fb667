"""Serve the app on the environment's settings with the product's HTTP protocol (a deadline on request headers):
``python -m entrypoints.http.serve --host 127.0.0.1 --port 8000 [--workers N]``. No migration, no seeding
(``python -m entrypoints.manage serve`` does both and then this)."""

from __future__ import annotations

import argparse

import uvicorn

from entrypoints.http.header_deadline import protocol_with
from entrypoints.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args()
    settings = Settings.from_env()
    proxies = list(settings.trusted_proxy_list)
    uvicorn.run("entrypoints.http.asgi:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level, proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies or None, http=protocol_with(settings.header_read_timeout_s))


if __name__ == "__main__":
    main()
