"""``kg build --scheduler``: a real Dask scheduler and two worker processes on loopback build
the same graph as a local build."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "corpus12"
DASK = str(Path(sys.executable).with_name("dask"))


def _scheduler_address(info: Path, proc: subprocess.Popen[bytes]) -> str:
    """The address the scheduler wrote to its scheduler file (it picked a free port)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            return str(json.loads(info.read_text(encoding="utf-8"))["address"])
        except (OSError, ValueError, KeyError):
            proc_wait(proc, 0.2)  # not written yet (poll, not a fixed sleep: returns when it exits)
    raise AssertionError(f"the Dask scheduler did not start (exit {proc.poll()})")


def proc_wait(proc: subprocess.Popen[bytes], seconds: float) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=seconds)


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in reversed(procs):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scheduler and two single-threaded workers, each its own process group, on 127.0.0.1."""
    from distributed import Client

    where = tmp_path_factory.mktemp("dask")
    info = where / "scheduler.json"
    with open(where / "log.txt", "wb") as logs:
        common = dict(stdout=logs, stderr=subprocess.STDOUT, cwd=where, start_new_session=True)
        procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(info)], **common)]  # type: ignore[call-overload]
        try:
            address = _scheduler_address(info, procs[0])
            for _ in range(2):
                procs.append(subprocess.Popen([DASK, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                               "--no-dashboard", "--no-nanny", "--local-directory", str(where)],
                                              **common))  # type: ignore[call-overload]
            with Client(address, timeout=60) as client:
                client.wait_for_workers(2, timeout=180)
            yield address
        finally:
            _stop(procs)


def _sorted_nquads(store: kg.GraphStore) -> list[str]:
    return sorted(str(q) for q in store.quads())


@pytest.mark.slow
def test_dask_cluster_builds_the_same_graph_as_a_local_build(cluster: str, tmp_path: Path) -> None:
    local = kg.open_store(tmp_path / "local")
    from kg.pipeline import build

    assert build(local, [CORPUS], workers=1).built == 12
    remote = kg.open_store(tmp_path / "dask")
    summary = build(remote, [CORPUS], scheduler=cluster)
    assert (summary.built, summary.skipped) == (12, [])
    assert _sorted_nquads(remote) == _sorted_nquads(local)
    again = build(remote, [CORPUS], scheduler=cluster)  # resumes: nothing left to do
    assert (again.built, again.unchanged) == (0, 12)


def test_dask_unreachable_scheduler_is_one_clear_line(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    import socket

    from kg.cli import app

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    res = runner.invoke(app, ["build", str(CORPUS), "--store", str(tmp_path / "s"), "-q"],
                        env={"KG_SCHEDULER": f"tcp://127.0.0.1:{port}"})
    assert res.exit_code == 1 and "cannot reach the Dask scheduler" in res.output and "Traceback" not in res.output
