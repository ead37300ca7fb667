"""Probe every dependency (database, queue, storage) with a deadline and report each one's state."""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from dataclasses import dataclass
from typing import Protocol


class DependencyProbe(Protocol):
    name: str
    required: bool  # the API cannot serve without it (the database); others degrade one feature

    @abstractmethod
    async def check(self) -> None:
        """Return when the dependency answers; raise when it does not."""


@dataclass(frozen=True, slots=True)
class HealthReport:
    states: dict[str, str]  # name -> "ok" | "unreachable: <kind>"
    serving: bool  # every required dependency answers

    @property
    def healthy(self) -> bool:
        return all(state == "ok" for state in self.states.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckHealth:
    probes: list[DependencyProbe]
    timeout: float = 2.0

    async def _state(self, probe: DependencyProbe) -> str:
        try:
            await asyncio.wait_for(probe.check(), self.timeout)
        except Exception as exc:  # the probe reports the outage instead of raising it
            return f"unreachable: {type(exc).__name__}"
        return "ok"

    async def __call__(self) -> HealthReport:
        states = await asyncio.gather(*(self._state(p) for p in self.probes))
        named = {p.name: s for p, s in zip(self.probes, states, strict=True)}
        serving = all(s == "ok" for p, s in zip(self.probes, states, strict=True) if p.required)
        return HealthReport(states=named, serving=serving)
