"""The worker pool of ``kg serve``: fair queueing, timeouts, and room kept for light queries.

- **Timeout**: a job past its timeout has its worker killed by pid (pyoxigraph cannot cancel
  a query) and replaced in the background: 504.
- **Fair queue**: a request waits for a free worker at most its timeout (then 503 with
  ``Retry-After``). When a worker frees up, the waiting request of the client (its address)
  with the fewest jobs running goes first, then the client with the fewest long jobs in the
  last minute, then the oldest; one client runs at most ``size - 1`` jobs at once (one, with
  two workers), so a single client cannot take them all, and heavy users wait behind light ones.
- **Room for light queries**: a job still running after ``long_after`` seconds counts as
  long; at most ``size - 1`` long jobs run at once, and a further one is stopped there with
  503 and ``Retry-After``. So one worker always turns over within ``long_after`` seconds,
  and a light query waits at most about that long behind heavy ones.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.serve.protocol import PageRequest, Reply, Request, text_reply
from kg.serve.workers import worker_main

log = logging.getLogger(__name__)
LONG_MEMORY = 60.0  # seconds a client's long job counts against its place in the queue


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process from a context
    conn: Connection
    isolated: bool


@dataclass(frozen=True)
class _Ticket:
    seq: int
    client: str


class FairQueue:
    """Idle workers handed to waiting requests: fewest running per client first, then oldest."""

    def __init__(self, per_client: int, long_slots: int) -> None:
        self.per_client = per_client
        self.long_slots = long_slots
        self._long_running = 0
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._waiting: list[_Ticket] = []
        self._running: Counter[str] = Counter()
        self._long: dict[str, list[float]] = {}
        self._seq = itertools.count()

    def put(self, worker: _Worker) -> None:
        """A worker is free."""
        with self._cond:
            self._idle.append(worker)
            self._cond.notify_all()

    def get(self, client: str, timeout: float) -> _Worker | None:
        """A free worker for ``client`` within ``timeout`` seconds, or None."""
        ticket = _Ticket(next(self._seq), client)
        deadline = time.monotonic() + timeout
        with self._cond:
            self._waiting.append(ticket)
            try:
                while not (self._idle and self._next() == ticket):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return None
                    self._cond.wait(remaining)
                self._running[client] += 1
                return self._idle.pop()
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()

    def done(self, client: str) -> None:
        """``client``'s job ended (its worker is back or being replaced)."""
        with self._cond:
            self._running[client] -= 1
            if self._running[client] <= 0:
                del self._running[client]
            self._cond.notify_all()

    def take_long_slot(self) -> bool:
        """Claim one of the slots for long jobs; False when all are taken."""
        with self._cond:
            if self._long_running >= self.long_slots:
                return False
            self._long_running += 1
            return True

    def free_long_slot(self) -> None:
        """A long job ended."""
        with self._cond:
            self._long_running -= 1
            self._cond.notify_all()

    def mark_long(self, client: str) -> None:
        """``client`` ran a long job: its next requests yield to clients that did not."""
        with self._cond:
            now = time.monotonic()
            self._long[client] = [t for t in self._long.get(client, []) if now - t < LONG_MEMORY] + [now]

    def busy(self) -> int:
        """Jobs running now."""
        with self._cond:
            return sum(self._running.values())

    def _next(self) -> _Ticket | None:
        now = time.monotonic()

        def heavy(client: str) -> int:
            return sum(1 for t in self._long.get(client, ()) if now - t < LONG_MEMORY)

        # a client whose recent jobs ran long waits for a free long slot rather than take the worker
        # kept for light queries (it would only be stopped there after long_after seconds)
        room = self._long_running < self.long_slots
        eligible = [t for t in self._waiting if self._running[t.client] < self.per_client
                    and (room or not heavy(t.client))]
        if not eligible:
            return None
        return min(eligible, key=lambda t: (self._running[t.client], heavy(t.client), t.seq))


class QueryPool:
    """Worker processes on one store folder (see the module docstring)."""

    def __init__(self, path: Path, *, workers: int = 0, refresh: float = 1.0, memory_limit: int = 0,
                 long_after: float = 0.5) -> None:
        self.path = path
        self.refresh = refresh
        self.memory_limit = memory_limit
        self.long_after = long_after
        self.size = max(2, workers or min(4, os.cpu_count() or 2))
        self._ctx: Any = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        if self._ctx.get_start_method() == "forkserver":
            # a replacement worker is then a fork of a process that has imported everything (~10 ms),
            # not a fresh interpreter importing pyoxigraph and kg (~1 s on a loaded machine)
            self._ctx.set_forkserver_preload(["kg.serve.workers"])
        self._queue = FairQueue(per_client=self.size - 1, long_slots=self.size - 1)
        self._all: dict[int, _Worker] = {}
        self._lock = threading.Lock()
        self._closed = False
        try:
            for _ in range(self.size):
                self._queue.put(self._spawn())
        except StoreError:
            self.close()
            raise

    def run(self, job: Request | PageRequest, *, timeout: float, client: str = "", shed: bool = True) -> Reply:
        """Answer ``job`` within ``timeout`` seconds (504 past it, 503 when no worker frees up).

        ``shed``: stop the job at ``long_after`` seconds when the long-job slots are all taken.
        """
        worker = self._queue.get(client, timeout)
        if worker is None:
            return text_reply(503, f"all {self.size} query workers stayed busy for {timeout:g} s; try again",
                              **{"Retry-After": "1"})
        try:
            return self._on(worker, job, timeout=timeout, shed=shed, client=client)
        finally:
            self._queue.done(client)

    def _on(self, worker: _Worker, job: Request | PageRequest, *, timeout: float, shed: bool, client: str) -> Reply:
        try:
            worker.conn.send(job)
            first = min(self.long_after, timeout) if shed else timeout
            if worker.conn.poll(first):
                return self._back(worker)
            if shed:  # a query, not the graph page: from now on its client's requests yield to others
                self._queue.mark_long(client)
            if shed and first < timeout:
                if not self._queue.take_long_slot():
                    self._replace(worker)
                    return text_reply(503, f"{self.size - 1} long queries are running already; this one was "
                                           f"stopped after {self.long_after:g} s: try again later",
                                      **{"Retry-After": "2"})
                try:
                    if worker.conn.poll(timeout - first):
                        return self._back(worker)
                finally:
                    self._queue.free_long_slot()
        except (EOFError, OSError) as err:
            self._replace(worker)
            return text_reply(500, f"the query worker failed ({err or type(err).__name__}); it has been restarted")
        self._replace(worker)
        return text_reply(504, f"the query ran past the {timeout:g} s timeout and was stopped; add a LIMIT or "
                               "narrow its patterns (kg serve --timeout sets the limit)")

    def _back(self, worker: _Worker) -> Reply:
        reply: Reply = worker.conn.recv()
        self._queue.put(worker)
        return reply

    def status(self) -> dict[str, object]:
        """Counts for /health: workers alive, busy, and whether they are cut off from the network."""
        with self._lock:
            workers = list(self._all.values())
        return {"workers": len(workers), "busy": self._queue.busy(),
                "network_isolated": bool(workers) and all(w.isolated for w in workers)}

    def pids(self) -> list[int]:
        """The live workers' process ids (for tests and the server's own shutdown)."""
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
        worker = _Worker(proc, ours, False)
        if not ours.poll(60):
            _stop(worker)
            raise StoreError(f"a query worker for {self.path} did not start within 60 s")
        status, detail = ours.recv()
        if status != "ready":
            _stop(worker)
            raise StoreError(str(detail))
        worker.isolated = bool(detail)
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
                self._queue.put(self._spawn())
            except StoreError as err:
                log.error("could not restart a query worker: %s", err)

        threading.Thread(target=respawn, name="kg-respawn", daemon=True).start()


def _stop(worker: _Worker) -> None:
    worker.conn.close()
    if worker.process.is_alive():
        worker.process.kill()  # SIGKILL to this worker's pid: a running query cannot be interrupted otherwise
    worker.process.join(5)
