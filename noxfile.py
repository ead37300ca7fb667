"""Developer commands. nox is the only prerequisite: `nox -s serve`, `nox -s tests`."""

from __future__ import annotations

import os

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests"]

PYTHON = "3.11"


def install(session: nox.Session, dev: bool = False) -> None:
    session.install("-e", ".[dev]" if dev else ".")


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Install, migrate, seed demo data and run the API with an in-process worker on :8000."""
    install(session)
    env = {"QUEUE": os.environ.get("QUEUE", "memory")}
    session.run("python", "-m", "entrypoints.manage", "serve", env=env)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole suite: unit, integration (Postgres, Redis, S3 protocol, real media) and e2e."""
    install(session, dev=True)
    args = session.posargs or ["-q", "-ra", "-p", "no:cacheprovider"]
    session.run("python", "-m", "pytest", *args)


MUTATE_DEFAULT = ("domain/analysis/scoring", "domain/storage", "domain/community")


@nox.session(python=PYTHON)
def mutate(session: nox.Session) -> None:
    """Mutation testing (mutmut) of the domain and the use cases against the unit tests, then the kill rate per
    package. Default: the scoring, storage and community domain; ``-- domain/storage`` (or any folders under
    domain/ and application/) for others. Mutants and results stay in mutants/ (README, "Mutation testing")."""
    install(session, dev=True)
    packages = [p.strip("/").removesuffix(".py") for p in session.posargs] or list(MUTATE_DEFAULT)
    for package in packages:
        if package.split("/")[0] not in ("domain", "application") or not (
                os.path.isdir(package) or os.path.isfile(package + ".py")):
            session.error(f"{package}: give a folder or module under domain/ or application/")
    names = [p.replace("/", ".") + ".*" for p in packages]
    # Which tests run which function is traced afresh on every run: mutmut keeps the old map for the tests it knows,
    # so a function added since (BlobKey._check) would be tried against the new tests only.
    if os.path.exists("mutants/mutmut-stats.json"):
        os.remove("mutants/mutmut-stats.json")
    # The same hypothesis examples on every run (tests/conftest.py), so a kill count does not depend on the draw.
    session.run("mutmut", "run", *names, env={"HYPOTHESIS_PROFILE": "mutation"})
    session.run("python", "tests/mutations/mutation_report.py", *packages)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff, mypy (strict on domain and application) and the import-linter layer contracts."""
    install(session, dev=True)
    session.run("ruff", "check", ".")
    session.run("mypy")
    session.run("lint-imports")


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """schemathesis against the running app's OpenAPI with a real token (``-- --max-examples 100`` for more)."""
    install(session, dev=True)
    session.run("python", "tests/fuzz/run_fuzz.py", *(session.posargs or ["--max-examples", "40"]))


@nox.session(python=PYTHON)
def worker(session: nox.Session) -> None:
    """A taskiq worker for redis mode (QUEUE=redis, REDIS_URL)."""
    install(session)
    env = {"QUEUE": os.environ.get("QUEUE", "redis")}
    session.run("taskiq", "worker", "entrypoints.worker:broker", "--workers", "1", *session.posargs, env=env)


@nox.session(python=PYTHON)
def scheduler(session: nox.Session) -> None:
    """The taskiq scheduler: challenge rotation hourly and data cleanup daily, queued as jobs."""
    install(session)
    session.run("taskiq", "scheduler", "entrypoints.scheduler:scheduler", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """The benchmarks (pose pipeline; HTTP reads under load)."""
    install(session, dev=True)
    for script in sorted(os.listdir("benchmarks")):
        if script.endswith(".py") and not script.startswith("_"):
            session.run("python", f"benchmarks/{script}", *session.posargs)


@nox.session(python=PYTHON)
def faults(session: nox.Session) -> None:
    """The fault suite: its own PostgreSQL, Redis, S3 server, API and 2 workers on loopback; one line per scenario
    (``-- redis-down s3-down`` for some; ``-- --keep`` keeps the logs). Needs PostgreSQL binaries and redis-server."""
    install(session, dev=True)
    session.run("python", "tests/faults/run_faults.py", *session.posargs)


@nox.session(python=PYTHON)
def soak(session: nox.Session) -> None:
    """30 minutes of mixed load on the loopback stack, RSS of the API and workers over time (not in CI)."""
    install(session, dev=True)
    session.run("python", "tests/faults/soak.py", *(session.posargs or ["--minutes", "30"]))
