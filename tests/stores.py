"""Real SPARQL servers for tests: Oxigraph server and Debian's Virtuoso, on free loopback ports.

Each is started as its own process, polled until it answers, and stopped by its pid.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import needs

VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str:
    """``oxigraph`` from the venv (the PyPI package installs it there), else from PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else needs("oxigraph")


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[str]:
    """``oxigraph serve`` on ``folder``; yields its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [oxigraph_binary(), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"]
    with _running(cmd, url + "/query?query=ASK%7B%7D", log=folder.parent / f"{folder.name}.log"):
        yield url


@contextmanager
def virtuoso_server(folder: Path, *, max_rows: int = 2000) -> Iterator[tuple[str, int]]:
    """``virtuoso-t`` with its own ini in ``folder`` and the anonymous SPARQL user allowed to
    update; yields ``(the /sparql URL, its SQL port)``. ``max_rows`` is ResultSetMaxRows, low
    so that reading past the cap is exercised on small stores."""
    binary, isql = needs("virtuoso-t"), needs("isql-vt")
    sql, web = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_ini(folder, sql, web, max_rows), encoding="utf-8")
    with _running([binary, "+configfile", str(ini), "+foreground"], f"http://127.0.0.1:{web}/sparql?query=ASK%7B%7D",
                  log=folder / "stderr.log", cwd=folder, timeout=120):
        subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                       check=True, capture_output=True, timeout=60)
        yield f"http://127.0.0.1:{web}/sparql", sql


def _ini(folder: Path, sql: int, web: int, max_rows: int) -> str:
    return f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{web}
ServerRoot = {VIRTUOSO_VSP}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
"""


@contextmanager
def _running(cmd: list[str], ready_url: str, *, log: Path, cwd: Path | None = None,
             timeout: float = 60) -> Iterator[None]:
    """The server's output goes to ``log`` (a pipe nobody reads would fill and stall it)."""
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(ready_url, proc, timeout, log)
            yield
        finally:
            stop_pid(proc)


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float, log: Path) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers, if not with 200
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop_pid(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM by pid, SIGKILL if it lingers."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(5)
