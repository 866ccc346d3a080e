"""Query workers for ``kg serve``: processes that answer from read-only snapshots of the store.

Why processes: pyoxigraph cannot cancel a running query, and a thread that is abandoned at
the timeout keeps a core busy until its query ends (a three-way cross join over the seed
store runs for hours). A worker process whose query passes the timeout is killed by its pid
and replaced (a fresh worker is ready in about 40 ms). A round trip to a worker costs about
0.04 ms, and workers run queries on both cores, beside the HTTP threads.

Why snapshots: whoever writes the store folder (``kg build``) holds RocksDB's lock, so the
server never opens it for writing. A worker opens it read-only, which recovers a
point-in-time view: the files the manifest lists plus the write-ahead log up to its last
whole record. Oxigraph commits each update (one article's ``DROP GRAPH`` + ``INSERT DATA``)
as one write batch, one log record, so a snapshot holds every article fully old or fully
new. Measured while a writer replaced graphs, flushed and compacted as fast as it could:
118 snapshots, 0 torn graphs; 22 opens failed because the writer deleted a file mid-open
(RocksDB reports "Corruption"/"No such file"), so an open is retried. Once open, a
snapshot keeps its table files open and is unaffected by later deletions. The store folder
is watched (names, sizes and times of CURRENT, MANIFEST and log files) every ``refresh``
seconds; a changed folder is re-opened in the background and swapped in, and queries keep
using the old snapshot meanwhile. Re-opening replays the log, which grows during a build
(about 10 ms after a build, seconds for hundreds of MB of log), so the watcher waits at
least five times the last load's duration between loads.

Why in memory: a store folder of at most ``memory_limit`` bytes (64 MiB by default; the
seed store is 5 MiB) is copied into an in-memory store, which answered the slowest saved
query in 8 ms instead of 60 ms from the files, and lets go of the files at once. Copying
costs about 1 s per 100,000 quads and as much memory as the data in each worker; larger
stores are queried from the files.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.query import is_update
from kg.server_formats import CONTENT_TYPES, encode_boolean, encode_solutions, encode_triples, negotiate
from kg.store import PREFIXES, Store, load_snapshot, open_snapshot, store_signature  # noqa: F401  (open_snapshot: kg.server)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    """One query, as the protocol layer read it."""

    sparql: str
    accept: str = ""
    fmt: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000


@dataclass
class Reply:
    """What goes back to the client."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text_reply(status: int, message: str, **headers: str) -> Reply:
    """A plain-text reply: errors are one readable line, never a traceback."""
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"), dict(headers))


class Snapshot:
    """The newest read-only view of a store folder, re-loaded in the background when it changes."""

    def __init__(self, path: Path, *, refresh: float = 1.0, memory_limit: int = 64 << 20) -> None:
        self.path = path
        self.refresh = refresh
        self.memory_limit = memory_limit
        self._sig = store_signature(path)
        self._store = load_snapshot(path, memory_limit=memory_limit)
        self.opened = time.time()
        threading.Thread(target=self._watch, name="kg-snapshot", daemon=True).start()

    def current(self) -> Store:
        """The snapshot to answer the next query from (hold on to it for the whole query)."""
        return self._store

    def _watch(self) -> None:
        pause = self.refresh
        while True:
            time.sleep(pause)
            sig = store_signature(self.path)
            if sig == self._sig:
                continue
            started = time.perf_counter()
            try:
                fresh = load_snapshot(self.path, memory_limit=self.memory_limit)
            except StoreError as err:
                log.warning("keeping the previous snapshot: %s", err)
                continue
            self._store, self._sig, self.opened = fresh, sig, time.time()
            pause = max(self.refresh, 5 * (time.perf_counter() - started))


def execute(store: Store, req: Request) -> Reply:
    """Run one read-only query on a snapshot and encode the answer for the client."""
    try:
        result = store.query(req.sparql, prefixes=PREFIXES, default_graphs=req.default_graphs,
                             named_graphs=req.named_graphs)
    except QueryError as err:
        if is_update(req.sparql):
            return text_reply(403, "this endpoint is read-only: SPARQL Update is not accepted")
        return text_reply(400, f"SPARQL syntax error: {err}")
    except StoreError as err:
        return text_reply(500, str(err))
    kind = "graph" if isinstance(result, ox.QueryTriples) else "solutions"
    fmt = negotiate(req.accept, kind, req.fmt)
    if fmt is None:
        offered = "JSON, XML, CSV, TSV" if kind == "solutions" else "Turtle, N-Triples, JSON-LD, RDF/XML"
        return text_reply(406, f"cannot answer in {req.fmt or req.accept!r}: this {kind} result comes as {offered}")
    if isinstance(result, ox.QueryBoolean):
        return Reply(200, CONTENT_TYPES[fmt], encode_boolean(bool(result), fmt))
    rows: list[Any] = []
    try:
        for item in result:
            if len(rows) == req.max_rows:
                return _encoded(result, rows, fmt, truncated=True)
            rows.append(item)
    except (OSError, RuntimeError, ValueError) as err:
        return text_reply(500, f"the query failed: {err}")
    return _encoded(result, rows, fmt, truncated=False)


def _encoded(result: ox.QuerySolutions | ox.QueryTriples, rows: list[Any], fmt: str, *, truncated: bool) -> Reply:
    headers = {"X-KG-Truncated": f"true; first {len(rows)} rows"} if truncated else {}
    if isinstance(result, ox.QueryTriples):
        return Reply(200, CONTENT_TYPES[fmt], encode_triples(rows, fmt), headers)
    names = [v.value for v in result.variables]
    body = encode_solutions(names, [[sol[n] for n in names] for sol in rows], fmt)
    return Reply(200, CONTENT_TYPES[fmt], body, headers)


def worker_main(conn: Connection, path: str, refresh: float, memory_limit: int) -> None:
    """A worker process: answer requests from the connection until it closes."""
    try:
        snapshot = Snapshot(Path(path), refresh=refresh, memory_limit=memory_limit)
    except StoreError as err:
        conn.send(("error", str(err)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):  # the server went away
            return
        conn.send(execute(snapshot.current(), req))


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process from a context
    conn: Connection


class QueryPool:
    """Worker processes on one store folder; a query past its timeout has its worker killed."""

    def __init__(self, path: Path, *, workers: int = 0, refresh: float = 1.0, memory_limit: int = 64 << 20) -> None:
        self.path = path
        self.refresh = refresh
        self.memory_limit = memory_limit
        self.size = workers or min(4, os.cpu_count() or 2)
        self._ctx: Any = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: dict[int, _Worker] = {}
        self._lock = threading.Lock()
        self._closed = False
        try:
            for _ in range(self.size):
                self._idle.put(self._spawn())
        except StoreError:
            self.close()
            raise

    def run(self, req: Request, *, timeout: float) -> Reply:
        """Answer ``req`` within ``timeout`` seconds (504 past it, 503 when every worker stays busy)."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return text_reply(503, f"all {self.size} query workers stayed busy for {timeout:g} s; try again",
                              **{"Retry-After": "1"})
        try:
            worker.conn.send(req)
            if worker.conn.poll(timeout):
                reply: Reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError) as err:
            self._replace(worker)
            return text_reply(500, f"the query worker failed ({err or type(err).__name__}); it has been restarted")
        self._replace(worker)
        return text_reply(504, f"the query ran past the {timeout:g} s timeout and was stopped; add a LIMIT or "
                               "narrow its patterns (kg serve --timeout sets the limit)")

    def pids(self) -> list[int]:
        """The live workers' process ids."""
        with self._lock:
            return sorted(self._all)

    def close(self) -> None:
        """Stop every worker (by pid)."""
        self._closed = True
        with self._lock:
            workers = list(self._all.values())
            self._all.clear()
        for w in workers:
            _stop(w)

    def _spawn(self) -> _Worker:
        ours, theirs = self._ctx.Pipe()
        proc = self._ctx.Process(target=worker_main, args=(theirs, str(self.path), self.refresh, self.memory_limit),
                                 name="kg-query-worker", daemon=True)
        proc.start()
        theirs.close()
        worker = _Worker(proc, ours)
        if not ours.poll(60):
            _stop(worker)
            raise StoreError(f"a query worker for {self.path} did not start within 60 s")
        status, detail = ours.recv()
        if status != "ready":
            _stop(worker)
            raise StoreError(str(detail))
        with self._lock:
            self._all[proc.pid] = worker
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker by pid; start its successor in the background."""
        with self._lock:
            self._all.pop(worker.process.pid, None)
        _stop(worker)

        def respawn() -> None:
            if self._closed:
                return
            try:
                self._idle.put(self._spawn())
            except StoreError as err:
                log.error("could not restart a query worker: %s", err)

        threading.Thread(target=respawn, name="kg-respawn", daemon=True).start()


def _stop(worker: _Worker) -> None:
    worker.conn.close()
    if worker.process.is_alive():
        worker.process.kill()  # SIGKILL to this worker's pid: a running query cannot be interrupted otherwise
    worker.process.join(5)
