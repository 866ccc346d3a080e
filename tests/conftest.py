"""Shared fixtures: the repository's folders, a store built from the seeds once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
QUERIES = ROOT / "queries"
SHARED = ROOT.parent / "shared"


def needs(binary: str) -> str:
    """The path of a binary the test needs; skips on a developer machine, fails in CI."""
    path = shutil.which(binary)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is not installed (.ci/run installs it)")
        pytest.skip(f"{binary} is not installed")
    return path


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from seeds/ with the library API (read-only for tests: copy to modify)."""
    from kg.pipeline import build
    from kg.store import Store

    path = tmp_path_factory.mktemp("seed") / "store"
    store = Store(path)
    build(store, [SEEDS])
    del store
    return path


@pytest.fixture()
def store_copy(seed_store: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the seed store."""
    target = tmp_path / "store"
    shutil.copytree(seed_store, target)
    return target


@pytest.fixture(scope="session")
def eval_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store of every article in eval/articles/, eval/events/dev/ (one event, several reports)
    and seeds/ (read-only for tests)."""
    from kg.pipeline import build
    from kg.store import Store

    path = tmp_path_factory.mktemp("eval") / "store"
    store = Store(path)
    build(store, [ROOT / "eval" / "articles", ROOT / "eval" / "events" / "dev", SEEDS])
    del store
    return path
