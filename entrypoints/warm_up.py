"""Warming the analysis engine once per process, one process at a time on a machine.

librosa's kernels are compiled by numba and cached on disk beside the package; two processes compiling into an
empty cache at once were seen to leave a cache that crashed every later start. An exclusive lock on a file in the
machine's temporary folder makes the first process compile and write the cache while the others wait, then load
it."""

from __future__ import annotations

import fcntl
import tempfile
from pathlib import Path

from application.analysis.engine import AnalysisEngine

LOCK = Path(tempfile.gettempdir()) / "dance-backend-warm-up.lock"


def warm_up_serialised(engine: AnalysisEngine) -> None:
    with LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            engine.warm_up()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
