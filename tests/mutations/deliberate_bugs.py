"""Re-introduce, one at a time, the bugs that once slipped through the whole suite, run the tests that should
catch each, and report which were caught. Exit status 1 when one survives.

    python tests/mutations/deliberate_bugs.py            # all of them
    python tests/mutations/deliberate_bugs.py --only 3   # one

Each bug is a single textual change to one file; the file is restored afterwards, whatever happens.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Bug:
    rule: str
    path: str
    before: str
    after: str
    tests: tuple[str, ...]


BUGS = (
    Bug("rhythm: precision term", "domain/analysis/scoring/rhythm.py",
        "np.sqrt(self.recall * self.precision)", "self.recall",
        ("tests/integration/analysis/test_golden_scores.py", "tests/unit/domain/test_scoring_examples.py")),
    Bug("balance: centre of mass outside the feet", "domain/analysis/scoring/balance.py",
        " * np.exp(-mean_excess / EXCESS_REF)", "",
        ("tests/integration/analysis/test_golden_scores.py", "tests/unit/domain/test_scoring_examples.py")),
    Bug("system areas have no owner", "domain/storage/keys.py",
        "if self.area in USER_AREAS and len(parts) >= 3:", "if len(parts) >= 3:",
        ("tests/unit/domain/test_keys_and_jobs.py",)),
    Bug("cleanup keeps challenges with submissions (the query's count)", "adapters/sqla/community/repositories.py",
        "return [(to_challenge(r), int(r.submission_count)) for r in rows]",
        "return [(to_challenge(r), 0) for r in rows]",
        ("tests/integration/community/test_cleanup_both_databases.py",)),
    Bug("cleanup keeps challenges with submissions (the rule)", "application/community/jobs.py",
        "if self.policy.challenge_expired(c.end_time, submitted, now)]",
        "if self.policy.challenge_expired(c.end_time, 0, now)]",
        ("tests/unit/application/community/test_use_cases.py",)),
    Bug("gap bridging", "domain/analysis/scoring/prepare.py",
        "MAX_GAP_S: Final = 0.2", "MAX_GAP_S: Final = 1.0",
        ("tests/unit/domain/test_scoring_guards.py", "tests/unit/domain/test_scoring_examples.py")),
    Bug("comparison scale", "domain/analysis/scoring/comparison.py",
        "COST_SCALE: Final = 0.25", "COST_SCALE: Final = 0.5",
        ("tests/unit/domain/test_scoring_guards.py", "tests/unit/domain/test_scoring_comparison.py")),
    Bug("minimum coverage", "domain/analysis/scoring/prepare.py",
        "MIN_COVERAGE: Final = 0.5", "MIN_COVERAGE: Final = 0.3",
        ("tests/unit/domain/test_scoring_guards.py", "tests/unit/domain/test_scoring_examples.py")),
)


def run(bug: Bug) -> bool:
    """True when the tests caught the bug (they failed)."""
    path = ROOT / bug.path
    original = path.read_text()
    if original.count(bug.before) != 1:
        raise SystemExit(f"{bug.rule}: {bug.before!r} is not in {bug.path} exactly once; update this script")
    try:
        path.write_text(original.replace(bug.before, bug.after))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        result = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                                 *bug.tests], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
        return result.returncode != 0
    finally:
        path.write_text(original)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", type=int, default=None, help="1-based index of one bug")
    args = parser.parse_args()
    chosen = list(enumerate(BUGS, start=1))
    if args.only is not None:
        chosen = [chosen[args.only - 1]]
    survived = 0
    for index, bug in chosen:
        caught = run(bug)
        survived += not caught
        print(f"{index}. {bug.rule}: {'caught' if caught else 'SURVIVED'}", flush=True)
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
