"""The app's live frames: plain base64 JPEG (3-channel grey-tinted) decoded to one grey channel with OpenCV."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import cv2
import numpy as np

from application.ports.analysis import MediaError

MAX_BYTES = 2 * 1024 * 1024


def decode_grey_jpeg(image_base64: str) -> np.ndarray[Any, Any]:
    """Raises MediaError with the reason for anything that is not a small image."""
    if image_base64.startswith("data:"):
        image_base64 = image_base64.split(",", 1)[-1]
    try:
        raw = base64.b64decode(image_base64, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise MediaError("image_base64 is not base64") from exc
    if not raw or len(raw) > MAX_BYTES:
        raise MediaError("image_base64 holds no image or one over 2 MB")
    img = cv2.imdecode(np.frombuffer(raw, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise MediaError("image_base64 is not a JPEG or PNG image")
    return np.asarray(img, dtype=np.uint8)
