"""The swing coach's HTTP contracts: spec 004 and the FutureGolf iOS app, side by side under /api/v1."""

from __future__ import annotations

import logging
from typing import Any

from dishka import AsyncContainer, Provider

from entrypoints.settings import Settings


def routers(settings: Settings) -> list[Any]:
    from entrypoints.http.swing import futuregolf, live, speech, videos

    return [*videos.routers(settings), futuregolf.router, speech.router, live.detect_golf_swing]


def providers() -> list[Provider]:
    from entrypoints.http.swing.caller import SwingCallerProvider

    return [SwingCallerProvider()]


async def warm_up(container: AsyncContainer) -> None:
    """Load the coaching voice at start-up, so the app's first burst of phrases does not wait for it."""
    from application.coaching.speech import SpeechService

    try:
        await (await container.get(SpeechService)).warm_up()
    except Exception:  # a missing voice shows in /tts/health and in the first request's error, not at start-up
        logging.getLogger(__name__).exception("the coaching voice could not be loaded")
