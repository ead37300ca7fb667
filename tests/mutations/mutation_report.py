"""Kill rates from the last mutation run (``mutants/``, written by mutmut), one line per package.

    python tests/mutations/mutation_report.py domain/storage domain/community   # those packages
    python tests/mutations/mutation_report.py --survivors domain/storage        # and the names of the survivors

A mutant counts as killed when a test failed on it or it ran past its time limit; a survivor passed every test that
runs its code; "no tests" means no unit test runs that code at all (a survivor too, as far as the rate goes). Mutants
not run yet are left out and counted separately. Exit status 1 when a package named with ``--min`` falls below it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants"

KILLED = {1, 3, 36, 24, -24, 152, 255}  # a failing test, pytest's internal error, or a timeout (SIGXCPU)
SURVIVED = {0}
NO_TESTS = {5, 33}


def verdict(exit_code: int | None) -> str:
    if exit_code is None:
        return "not run"
    if exit_code in KILLED:
        return "killed"
    if exit_code in SURVIVED:
        return "survived"
    if exit_code in NO_TESTS:
        return "no tests"
    return "other"


def results(package: str) -> dict[str, str]:
    package = package.strip("/").removesuffix(".py")
    prefix = package.replace("/", ".")
    out: dict[str, str] = {}
    folder = MUTANTS / package
    metas = sorted(folder.rglob("*.py.meta")) if folder.is_dir() else [MUTANTS / (package + ".py.meta")]
    for meta in metas:
        if not meta.is_file():
            continue
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if name == prefix or name.startswith(prefix + "."):
                out[name] = verdict(code)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("packages", nargs="+", help="folders such as domain/storage")
    ap.add_argument("--survivors", action="store_true", help="list the survivors and the code no test runs")
    ap.add_argument("--min", type=float, default=None, help="fail when a package's kill rate is below this %%")
    args = ap.parse_args()
    if not MUTANTS.is_dir():
        print("no mutants/ folder: run `nox -s mutate` first", file=sys.stderr)
        return 2
    failing = []
    print(f"{'package':36} {'killed':>7} {'total':>6} {'rate':>7}  survived  no tests  not run")
    for package in args.packages:
        verdicts = results(package)
        counts = Counter(verdicts.values())
        total = sum(v for k, v in counts.items() if k != "not run")
        rate = 100.0 * counts["killed"] / total if total else float("nan")
        print(f"{package:36} {counts['killed']:>7} {total:>6} {rate:>6.1f}%  {counts['survived']:>8}  "
              f"{counts['no tests']:>8}  {counts['not run']:>7}")
        if args.min is not None and not rate >= args.min:
            failing.append(package)
        if args.survivors:
            for name, v in sorted(verdicts.items()):
                if v in ("survived", "no tests", "other"):
                    print(f"    {v:9} {name}")
    if failing:
        print(f"below {args.min}%: {', '.join(failing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
