"""A small in-process LRU of encoded speech by (text, voice, speed, format): the app asks for the same phrases."""

from __future__ import annotations

import threading
from collections import OrderedDict


class SpeechCache:
    def __init__(self, max_items: int = 256) -> None:
        self._items: OrderedDict[tuple[str, str, float, str], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_items

    def get(self, key: tuple[str, str, float, str]) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: tuple[str, str, float, str], data: bytes) -> None:
        with self._lock:
            self._items[key] = data
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)
