"""Fetching a video by URL: http(s) only, with a size limit and a timeout."""

from __future__ import annotations

from pathlib import Path

import httpx

from application.ports.analysis import MediaError
from application.ports.analysis_records import VideoFetcher
from domain.errors import InvalidInput


class HttpxVideoFetcher(VideoFetcher):
    async def fetch(self, url: str, target: Path, *, max_bytes: int, timeout: float) -> int:
        if httpx.URL(url).scheme not in ("http", "https"):
            raise InvalidInput("Only http(s) video URLs are accepted.", field="video_url")
        received = 0
        try:
            async with httpx.AsyncClient(timeout=httpx.Timeout(timeout), follow_redirects=True,
                                         max_redirects=5) as client, client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise MediaError(f"downloading the video failed: HTTP {response.status_code}")
                declared = response.headers.get("content-length")
                if declared is not None and int(declared) > max_bytes:
                    raise MediaError(f"the video is {int(declared) / 2**20:.0f} MB; at most "
                                     f"{max_bytes / 2**20:.0f} MB is accepted")
                with target.open("wb") as out:
                    async for chunk in response.aiter_bytes(1 << 20):
                        received += len(chunk)
                        if received > max_bytes:
                            raise MediaError(f"the video is over {max_bytes / 2**20:.0f} MB")
                        out.write(chunk)
        except httpx.TimeoutException as exc:
            raise MediaError(f"downloading the video timed out after {timeout:.0f} s") from exc
        except httpx.HTTPError as exc:
            raise MediaError(f"downloading the video failed: {type(exc).__name__}") from exc
        return received
