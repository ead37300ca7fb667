"""The app's live swing detection: WebSocket /api/v1/ws/detect-golf-swing. One ``LiveSwingSession`` per
connection; every reply carries ``status`` (the app drops a message without it)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect

from adapters.vision.opencv_frames import decode_grey_jpeg
from application.coaching.live import LiveSwingSession


@websocket("/api/v1/ws/detect-golf-swing")
async def detect_golf_swing(socket: WebSocket[Any, Any, Any]) -> None:
    await socket.accept()
    session = LiveSwingSession(decode=decode_grey_jpeg)
    try:
        while True:
            raw = await socket.receive_data(mode="text")
            try:
                message = msgspec.json.decode(raw if isinstance(raw, str | bytes) else str(raw))
            except msgspec.DecodeError:
                reply: dict[str, Any] = {"status": "error", "error": "a frame must be JSON {timestamp, image_base64}"}
            else:
                reply = session.handle(message) if isinstance(message, dict) else {
                    "status": "error", "error": "a frame must be a JSON object"}
            await socket.send_data(msgspec.json.encode(reply).decode(), mode="text")
    except WebSocketDisconnect:
        return
