"""Query workers for ``kg serve``: processes that answer from read-only snapshots of the store.

Why processes: pyoxigraph cannot cancel a running query, and a thread that is abandoned at
the timeout keeps a core busy until its query ends (a three-way cross join over the seed
store runs for hours). A worker process whose query passes the timeout is killed by its pid
and replaced (:mod:`kg.serve.pool`). The graph page is drawn in a worker too, under the
same kind of timeout, so no request makes the HTTP process itself work without bound.

Why snapshots: whoever writes the store folder (``kg build``) holds RocksDB's lock, so a
worker opens it read-only (:func:`kg.store.open_snapshot`), a point-in-time view holding
every article fully old or fully new. The folder is watched every ``refresh`` seconds; a
changed folder is re-opened in the background and swapped in. Queries run on the files, as
``kg query`` does, so both give the same rows in the same order (GROUP_CONCAT included);
``memory_limit`` copies small stores into memory instead (faster, but unordered results may
then come in another order than ``kg query``'s).

No outgoing requests: each worker moves into a network namespace of its own (Linux, when
allowed), where no address but its own unconfigured loopback exists, so even a SERVICE call
that got past :func:`kg.prepare.prepare` would fail to connect.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import formats
from kg.errors import KGError, QueryError, StoreError
from kg.prepare import prepare
from kg.query import is_update
from kg.serve.formats import encode_boolean, encode_solutions, encode_triples, negotiate
from kg.serve.page import render
from kg.serve.protocol import PageRequest, Reply, Request, text_reply
from kg.store import PREFIXES, Store, load_snapshot, store_signature

log = logging.getLogger(__name__)
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


class Snapshot:
    """The newest read-only view of a store folder, re-loaded in the background when it changes."""

    def __init__(self, path: Path, *, refresh: float = 1.0, memory_limit: int = 0) -> None:
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
            pause = max(self.refresh, 5 * (time.perf_counter() - started))  # re-opening replays the log


def execute(store: Store, req: Request) -> Reply:
    """Run one read-only query on a snapshot and encode the answer for the client."""
    try:
        prepared = prepare(req.sparql, prefixes=PREFIXES, default_graphs=req.default_graphs,
                           named_graphs=req.named_graphs)
    except QueryError as err:
        status = 403 if "SERVICE" in str(err) else 400
        return text_reply(status, str(err).removeprefix("query: "))
    try:
        result = store.query(prepared.text, union=prepared.union, default_graphs=prepared.default_graphs,
                             named_graphs=prepared.named_graphs, prefixes=prepared.prefixes)
    except QueryError as err:
        if is_update(req.sparql):
            return text_reply(403, "this endpoint is read-only: SPARQL Update is not accepted")
        return text_reply(400, f"SPARQL syntax error: {prepared.position(str(err))}")
    except StoreError as err:
        return text_reply(500, f"the query failed: {err}")
    kind = formats.GRAPH if isinstance(result, ox.QueryTriples) else formats.RESULTS
    fmt = negotiate(req.accept, kind, req.fmt)
    if fmt is None:
        offered = ", ".join(f.label for f in formats.of_kind(kind))
        return text_reply(406, f"cannot answer in {req.fmt or req.accept!r}: this {kind} answer comes as {offered}")
    if isinstance(result, ox.QueryBoolean):
        return Reply(200, fmt.content_type, encode_boolean(bool(result), fmt.name), {"Vary": "Accept"})
    return _rows(result, fmt, req.max_rows)


def _rows(result: ox.QuerySolutions | ox.QueryTriples, fmt: formats.Format, max_rows: int) -> Reply:
    """Read at most ``max_rows`` rows (or triples) and encode them."""
    rows: list[Any] = []
    truncated = False
    try:
        for item in result:
            if len(rows) == max_rows:
                truncated = True
                break
            rows.append(item)
    except (OSError, RuntimeError, ValueError) as err:
        return text_reply(500, f"the query failed: {err}")
    headers = {"Vary": "Accept"}
    if truncated:
        headers["X-KG-Truncated"] = f"true; first {len(rows)} rows"
    if isinstance(result, ox.QueryTriples):
        return Reply(200, fmt.content_type, encode_triples(rows, fmt, PREFIXES), headers)
    names = [v.value for v in result.variables]
    body = encode_solutions(names, [[sol[n] for n in names] for sol in rows], fmt.name)
    return Reply(200, fmt.content_type, body, headers)


def isolate_network() -> bool:
    """Move this process into a network namespace of its own (no route anywhere); True if done.

    Root (or CAP_SYS_ADMIN) can unshare the network alone; other users need a user namespace
    too, mapping their own uid and gid so the store's files stay readable.
    """
    if not hasattr(os, "getuid") or not os.path.exists("/proc/self/ns/net"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    if libc.unshare(CLONE_NEWNET) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    try:
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    except OSError:
        pass  # still without a network; files owned by others stay readable by their mode bits
    return True


def answer(snapshot: Snapshot, job: Request | PageRequest) -> Reply:
    """One job: a query or the graph page."""
    if isinstance(job, PageRequest):
        try:
            return render(snapshot.current(), job)
        except KGError as err:
            return text_reply(500, f"the graph page could not be drawn: {err}")
    return execute(snapshot.current(), job)


def worker_main(conn: Connection, path: str, refresh: float, memory_limit: int) -> None:
    """A worker process: answer jobs from the connection until it closes."""
    isolated = isolate_network()  # first, while the process has one thread (a user namespace needs that)
    try:
        snapshot = Snapshot(Path(path), refresh=refresh, memory_limit=memory_limit)
    except StoreError as err:
        conn.send(("error", str(err)))
        return
    conn.send(("ready", isolated))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the server went away
            return
        conn.send(answer(snapshot, job))
