"""Live swing detection for one WebSocket session: decoded frames in, the app's message dicts out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from application.ports.analysis import MediaError
from domain.coaching.live import SwingDetector

FrameDecoder = Callable[[str], npt.NDArray[np.uint8]]


@dataclass
class LiveSwingSession:
    """``handle`` takes the app's ``{timestamp, image_base64}`` and returns the reply (``status`` always set)."""

    decode: FrameDecoder
    detector: SwingDetector = field(default_factory=SwingDetector)

    def handle(self, message: dict[str, Any]) -> dict[str, Any]:
        try:
            timestamp = float(message["timestamp"])
            grey = self.decode(str(message["image_base64"]))
        except (KeyError, TypeError, ValueError) as exc:
            return {"status": "error", "error": f"a frame needs timestamp and image_base64 ({exc})"}
        except MediaError as exc:
            return {"status": "error", "error": str(exc)}
        reply = asdict(self.detector.feed(grey, timestamp))
        reply["confidence"] = float(reply["confidence"])
        reply["total_swings"] = int(reply["total_swings"])
        return reply
