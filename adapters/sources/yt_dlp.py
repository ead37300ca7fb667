"""Video pages (YouTube, Instagram) to a local file with yt-dlp.

Only the page hosts in ``PAGE_HOSTS`` are routed here; every other URL goes to the safe fetcher as direct media. A
page yt-dlp cannot read fails with yt-dlp's own reason (stripped of its colour codes and "ERROR:" prefix).
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any, Final

import yt_dlp
from yt_dlp.utils import DownloadError, YoutubeDLError

from application.breakdown.ports import SourcedVideo, VideoSource
from application.ports.analysis import MediaError

PAGE_HOSTS: Final = frozenset({
    "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtu.be",
    "instagram.com", "www.instagram.com",
})
_ANSI: Final = re.compile(r"\x1b\[[0-9;]*m")


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").lower()


class YtDlpVideoSource(VideoSource):
    def __init__(self, hosts: frozenset[str] = PAGE_HOSTS) -> None:
        self._hosts = hosts

    def handles(self, url: str) -> bool:
        return _host(url) in self._hosts

    async def download(self, url: str, folder: Path, *, max_bytes: int, timeout: float) -> SourcedVideo:
        try:
            return await asyncio.wait_for(asyncio.to_thread(self._download, url, folder, max_bytes, timeout),
                                          timeout=timeout)
        except TimeoutError as exc:
            raise MediaError(f"reading the video page took longer than {timeout:.0f} s") from exc

    def _download(self, url: str, folder: Path, max_bytes: int, timeout: float) -> SourcedVideo:
        options: dict[str, Any] = {
            "outtmpl": str(folder / "page-video.%(ext)s"),
            "format": "best[ext=mp4]/best",  # one file with sound and picture: no merging step needed
            "noplaylist": True,
            "max_filesize": max_bytes,
            "socket_timeout": min(timeout, 30.0),
            "quiet": True,
            "no_warnings": True,
            "noprogress": True,
            "logger": _SilentLogger(),
            "cachedir": False,
        }
        try:
            with yt_dlp.YoutubeDL(options) as ydl:
                info = ydl.extract_info(url, download=True)
                if info is None:
                    raise MediaError("the page holds no video")
                if info.get("_type") == "playlist":
                    entries = [e for e in info.get("entries") or [] if e]
                    if not entries:
                        raise MediaError("the page holds no video")
                    info = entries[0]
                path = Path(ydl.prepare_filename(info))
        except (DownloadError, YoutubeDLError) as exc:
            raise MediaError(f"the video page could not be read: {_reason(exc)}") from exc
        if not path.is_file():
            found = sorted(folder.glob("page-video.*"))
            if not found:
                raise MediaError("the video page could not be read: no file was downloaded (over the size limit?)")
            path = found[0]
        title = info.get("title")
        return SourcedVideo(path=path, title=str(title) if title else None)


def _reason(exc: Exception) -> str:
    text = _ANSI.sub("", str(exc)).strip()
    return re.sub(r"^ERROR:\s*", "", text) or type(exc).__name__


class _SilentLogger:
    def debug(self, msg: str) -> None: ...

    def info(self, msg: str) -> None: ...

    def warning(self, msg: str) -> None: ...

    def error(self, msg: str) -> None: ...
