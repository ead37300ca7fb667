"""What may be uploaded: types and sizes, per the clients' contracts."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidInput

MB = 1024 * 1024

VIDEO_TYPES = {
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/x-msvideo": "avi",
    "video/avi": "avi",
    "video/webm": "webm",
}
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
AUDIO_TYPES = {"audio/mpeg": "mp3", "audio/wav": "wav", "audio/x-wav": "wav", "audio/ogg": "ogg", "audio/flac": "flac"}


@dataclass(frozen=True, slots=True)
class UploadPolicy:
    max_video_bytes: int = 100 * MB  # "Maximum video file size: 100MB"
    max_challenge_video_bytes: int = 500 * MB  # analysis accepts up to 500 MB
    max_image_bytes: int = 5 * MB  # "Thumbnails: JPEG, PNG (max 5MB)"
    max_audio_bytes: int = 50 * MB

    def limit_for(self, content_type: str, *, challenge: bool = False) -> int:
        ctype = content_type.split(";", 1)[0].strip().lower()
        if ctype in VIDEO_TYPES:
            return self.max_challenge_video_bytes if challenge else self.max_video_bytes
        if ctype in IMAGE_TYPES:
            return self.max_image_bytes
        if ctype in AUDIO_TYPES:
            return self.max_audio_bytes
        allowed = ", ".join(sorted({**VIDEO_TYPES, **IMAGE_TYPES, **AUDIO_TYPES}))
        raise InvalidInput(f"Unsupported content type {content_type!r}; allowed: {allowed}.", field="content_type")

    def check(self, content_type: str, size: int, *, challenge: bool = False) -> None:
        limit = self.limit_for(content_type, challenge=challenge)
        if size <= 0:
            raise InvalidInput("File size must be positive.", field="file_size")
        if size > limit:
            raise InvalidInput(
                f"File is {size / MB:.1f} MB; the limit for {content_type} is {limit // MB} MB.", field="file_size"
            )


def extension_for(content_type: str) -> str:
    ctype = content_type.split(";", 1)[0].strip().lower()
    return {**VIDEO_TYPES, **IMAGE_TYPES, **AUDIO_TYPES}.get(ctype, "bin")


SERVED_TYPES = frozenset({*VIDEO_TYPES, *IMAGE_TYPES, *AUDIO_TYPES, "application/gzip", "application/json"})


def served_type(content_type: str) -> str:
    """The type a stored file is served with: a known media type as stored, anything else as bytes to download
    (never HTML or script on the API's origin)."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    return ctype if ctype in SERVED_TYPES else "application/octet-stream"
