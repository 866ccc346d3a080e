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
from typing import Any

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


def proc_wait(proc: subprocess.Popen[Any], seconds: float) -> None:
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


@contextlib.contextmanager
def _cluster(where: Path, workers: int = 2) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A scheduler and ``workers`` single-threaded workers without nannies (a killed worker
    stays dead), each its own process group, on 127.0.0.1: (address, [scheduler, *workers])."""
    from distributed import Client

    info = where / "scheduler.json"
    with open(where / "log.txt", "wb") as logs:
        common = dict(stdout=logs, stderr=subprocess.STDOUT, cwd=where, start_new_session=True)
        procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(info)], **common)]  # type: ignore[call-overload]
        try:
            address = _scheduler_address(info, procs[0])
            for _ in range(workers):
                procs.append(subprocess.Popen([DASK, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                               "--no-dashboard", "--no-nanny", "--local-directory", str(where)],
                                              **common))  # type: ignore[call-overload]
            with Client(address, timeout=60) as client:
                client.wait_for_workers(workers, timeout=180)
            yield address, procs
        finally:
            _stop(procs)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The module's cluster: a scheduler and two workers."""
    with _cluster(tmp_path_factory.mktemp("dask")) as (address, _):
        yield address


@pytest.fixture(scope="module")
def local_nquads(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The sorted N-Quads of a local build of the corpus, to compare cluster builds with."""
    from kg.pipeline import build

    local = kg.open_store(tmp_path_factory.mktemp("local") / "store")
    assert build(local, [CORPUS], workers=1).built == 12
    return _sorted_nquads(local)


def _sorted_nquads(store: kg.GraphStore) -> list[str]:
    return sorted(str(q) for q in store.quads())


@pytest.mark.slow
def test_dask_cluster_builds_the_same_graph_as_a_local_build(cluster: str, tmp_path: Path,
                                                             local_nquads: list[str]) -> None:
    from kg.pipeline import build

    remote = kg.open_store(tmp_path / "dask")
    summary = build(remote, [CORPUS], scheduler=cluster)
    assert (summary.built, summary.skipped) == (12, [])
    assert _sorted_nquads(remote) == local_nquads
    again = build(remote, [CORPUS], scheduler=cluster)  # resumes: nothing left to do
    assert (again.built, again.unchanged) == (0, 12)


@pytest.mark.slow
def test_dask_lost_worker_mid_build_still_gives_the_local_graph(tmp_path: Path, local_nquads: list[str]) -> None:
    """A worker killed (SIGKILL, no nanny to bring it back) after the third article is written:
    Dask reruns the chunks it held on the other worker and the graph is the local build's."""
    from kg.pipeline import build

    (tmp_path / "c").mkdir()
    with _cluster(tmp_path / "c") as (address, procs):
        victim, written = procs[1], []

        def progress(article: object) -> None:
            written.append(article)
            if len(written) == 3:
                os.killpg(victim.pid, signal.SIGKILL)

        store = kg.open_store(tmp_path / "store")
        summary = build(store, [CORPUS], scheduler=address, progress=progress)
        assert victim.wait(timeout=60) == -signal.SIGKILL  # it really died while the build went on
        assert (summary.built, summary.skipped) == (12, [])
        assert _sorted_nquads(store) == local_nquads


@pytest.mark.slow
def test_dask_ctrl_c_leaves_whole_articles_and_the_next_build_resumes(cluster: str, tmp_path: Path,
                                                                      local_nquads: list[str]) -> None:
    store_dir = tmp_path / "s"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(CORPUS), "--store", str(store_dir), "--scheduler", cluster]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120  # interrupt once the store is open: kg handles Ctrl-C from then on
    while time.monotonic() < deadline and not any(store_dir.glob("*")) and proc.poll() is None:
        proc_wait(proc, 0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 130), err  # 0: the build finished before the signal came
    assert "Traceback" not in err
    if proc.returncode:
        assert err.strip().splitlines()[-1].startswith("kg: interrupted")
    from kg.pipeline import build

    store = kg.open_store(store_dir)
    key = "https://w3id.org/newskg/ontology#buildKey"
    for graph in (g for g in store.graphs() if "/id/article/" in g):  # each article fully in, or not at all
        assert any(q.predicate.value == key for q in store.quads(graph)), f"{graph} is incomplete"
    again = build(store, [CORPUS], scheduler=cluster)
    assert again.built + again.unchanged == 12 and again.skipped == []
    assert _sorted_nquads(store) == local_nquads


@pytest.mark.slow
def test_dask_cluster_writes_into_a_remote_store_as_a_local_build(cluster: str, tmp_path: Path,
                                                                  local_nquads: list[str]) -> None:
    """The one writer can be a real Oxigraph server: the same quads reach it."""
    from kg.pipeline import build
    from tests.stores import oxigraph_server

    with oxigraph_server(tmp_path / "db") as url:
        remote = kg.open_store(url)
        summary = build(remote, [CORPUS], scheduler=cluster)
        assert (summary.built, summary.skipped) == (12, [])
        assert _sorted_nquads(remote) == local_nquads


def test_dask_unreachable_scheduler_is_one_clear_line(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    import socket

    from kg.cli import app

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    res = runner.invoke(app, ["build", str(CORPUS), "--store", str(tmp_path / "s"), "-q"],
                        env={"KG_SCHEDULER": f"tcp://127.0.0.1:{port}"})
    assert res.exit_code == 1 and "cannot reach the Dask scheduler" in res.output and "Traceback" not in res.output
