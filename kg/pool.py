"""An ordered process pool that outlives its workers, and workers that do not outlive the build.

:func:`ordered_map` sends chunks of items to worker processes and yields one result per
item, in input order. Each worker has its own pipe, so the parent always knows which
chunk a worker holds: when a worker dies (a crash, the OOM killer) or overruns its
chunk's deadline (it is then killed), the worker is replaced and its chunk is retried one
item at a time; an item that loses its worker alone gets the ``lost`` result (a reason)
and the rest goes on. At most ``2 x workers`` chunks are read ahead, so memory stays flat.

Workers start from a fork server (a small process that imports nothing of kg), not from the
caller: forked from a writer that has grown (its store's caches, its heap), each worker would
carry the writer's pages, and the process tree's memory would grow with the corpus three times
over. Whatever ``setup`` needs travels pickled (a module-level function, its arguments).

Workers die with the caller: on Linux the kernel sends them SIGKILL when their parent (the fork
server, which exits with the caller) dies (``prctl(PR_SET_PDEATHSIG)``), and everywhere a
watchdog thread exits when the caller is gone. They ignore Ctrl-C: the caller stops them.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from typing import Generic, TypeVar

from kg.errors import ExtractionError

T = TypeVar("T")
R = TypeVar("R")
Handler = Callable[[list[T]], list[R]]
_READY = "ready"
_PR_SET_PDEATHSIG = 1
_WATCH_SECONDS = 1.0


def die_with_parent(owner: int) -> None:
    """Make this process exit when its parent or process ``owner`` (the one that started it,
    through a fork server or not) does; call it first thing in a worker."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the watchdog alone
        pass
    if not _alive(parent, owner):  # one of them died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, owner), name="kg-parent-watch", daemon=True).start()


def _alive(parent: int, owner: int) -> bool:
    if os.getppid() != parent:
        return False
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        pass
    return True


def _watch(parent: int, owner: int) -> None:
    while _alive(parent, owner):
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


def _context() -> ForkServerContext | SpawnContext:
    """Workers' start method: a fork server that preloads nothing, where there is one (Unix)."""
    if "forkserver" not in get_all_start_methods():
        return get_context("spawn")
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload([])  # not even the caller's __main__ (the kg command's modules)
    return ctx


def _worker_main(conn: Connection, setup: Callable[[], Handler[T, R]], parent: int) -> None:
    """A worker: set up once, then answer chunks until told to stop (None) or the pipe closes."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        handle = setup()
    except Exception as exc:  # reported by the parent as one line: the model is missing, ...
        conn.send(("setup-failed", str(exc) or type(exc).__name__))
        return
    conn.send(_READY)
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        conn.send(handle(chunk))


@dataclass(eq=False)
class _Slot(Generic[T, R]):
    """One chunk of the input and its results, filled as its pieces come back."""

    items: list[T]
    out: list[R | None] = field(default_factory=list)
    missing: int = 0

    def __post_init__(self) -> None:
        self.out = [None] * len(self.items)
        self.missing = len(self.items)


@dataclass(eq=False)
class _Task(Generic[T, R]):
    slot: _Slot[T, R]
    offset: int
    items: list[T]


@dataclass(eq=False)
class _Worker(Generic[T, R]):
    proc: BaseProcess
    conn: Connection
    ready: bool = False
    task: _Task[T, R] | None = None
    deadline: float = float("inf")
    done: int = 0  # chunks answered


class _Run(Generic[T, R]):
    """The parent's side of one :func:`ordered_map` call."""

    def __init__(self, setup: Callable[[], Handler[T, R]], workers: int, deadline: Callable[[int], float | None],
                 lost: Callable[[T, str], R], recycle: int | None = None) -> None:
        self.ctx = _context()
        self.setup, self.deadline, self.lost, self.recycle = setup, deadline, lost, recycle
        self.size = workers
        self.workers: list[_Worker[T, R]] = [self._start() for _ in range(workers)]
        self.todo: deque[_Task[T, R]] = deque()

    def _start(self) -> _Worker[T, R]:
        mine, theirs = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(theirs, self.setup, os.getpid()), daemon=True,
                                name="kg-extract")
        proc.start()
        theirs.close()
        return _Worker(proc, mine)

    def dispatch(self) -> None:
        """Give waiting tasks to idle, ready workers."""
        for worker in self.workers:
            if worker.ready and worker.task is None and self.todo:
                task = self.todo.popleft()
                seconds = self.deadline(len(task.items))
                worker.task, worker.deadline = task, time.monotonic() + seconds if seconds else float("inf")
                worker.conn.send(task.items)

    def step(self) -> None:
        """Wait for the next message, death or deadline, and act on it."""
        now = time.monotonic()
        timeout = max(0.0, min((w.deadline for w in self.workers), default=now + 60) - now)
        ready = wait([w.conn for w in self.workers] + [w.proc.sentinel for w in self.workers], timeout=min(timeout, 60))
        for worker in list(self.workers):
            if worker.conn in ready or worker.proc.sentinel in ready:
                self._receive(worker)
            elif worker.task is not None and time.monotonic() > worker.deadline:
                seconds = self.deadline(len(worker.task.items)) or 0
                self._replace(worker, f"no result within {seconds:g} s; its worker process was stopped")

    def _receive(self, worker: _Worker[T, R]) -> None:
        try:
            message = worker.conn.recv() if worker.conn.poll() else None
        except (EOFError, OSError):
            message = None
        if message is None:
            worker.proc.join(1)
            code = worker.proc.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            if not worker.ready:
                raise ExtractionError(f"an extraction worker died while starting ({how})")
            self._replace(worker, f"its worker process died ({how})")
        elif not worker.ready:
            if message != _READY:
                raise ExtractionError(f"extraction workers cannot start: {message[1]}")
            worker.ready = True
        else:
            task, worker.task, worker.deadline = worker.task, None, float("inf")
            assert task is not None
            self._fill(task, message)
            worker.done += 1
            if self.recycle and worker.done >= self.recycle:
                self._retire(worker)

    def _retire(self, worker: _Worker[T, R]) -> None:
        """Stop an idle worker that has answered ``recycle`` chunks and start a fresh one, so what
        a process accumulates (spaCy's string store, fragmentation) never outgrows a few chunks.
        (Not ProcessPoolExecutor's max_tasks_per_child: it refuses the fork context.)"""
        with contextlib.suppress(OSError):
            worker.conn.send(None)
        worker.proc.join(5)
        if worker.proc.is_alive():
            worker.proc.kill()
            worker.proc.join()
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self._start()

    def _fill(self, task: _Task[T, R], results: Sequence[R]) -> None:
        for i, result in enumerate(results):
            task.slot.out[task.offset + i] = result
        task.slot.missing -= len(results)

    def _replace(self, worker: _Worker[T, R], reason: str) -> None:
        """Kill ``worker``, start another, and retry its chunk item by item (or give up on its item)."""
        worker.proc.kill()
        worker.proc.join()
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self._start()
        task = worker.task
        if task is None:
            return
        if len(task.items) > 1:  # which item was to blame? Each alone says.
            self.todo.extendleft(reversed([_Task(task.slot, task.offset + i, [item]) for i, item in enumerate(task.items)]))
        else:
            self._fill(task, [self.lost(task.items[0], reason)])

    def stop(self, *, now: bool) -> None:
        """Stop every worker: politely at the end of the input, at once on an error or Ctrl-C."""
        for worker in self.workers:
            try:
                if now:
                    worker.proc.kill()
                else:
                    worker.conn.send(None)
            except OSError:
                pass
        for worker in self.workers:
            worker.proc.join(None if now else 5)
            if worker.proc.is_alive():
                worker.proc.kill()
                worker.proc.join()
            worker.conn.close()


def ordered_map(chunks: Iterable[Sequence[T]], setup: Callable[[], Handler[T, R]], *, workers: int,
                deadline: Callable[[int], float | None], lost: Callable[[T, str], R],
                recycle: int | None = None) -> Iterator[R]:
    """Yield ``handle(chunk)``'s results item by item, in input order, ``handle`` being what
    ``setup()`` returns in each of ``workers`` processes (a handler returns one result per item).

    ``deadline(n)`` is the seconds a chunk of ``n`` items may take (None: no limit); ``lost(item,
    reason)`` stands in for the result of an item whose worker died or overran. Raises
    ExtractionError when a worker cannot start (``setup`` raised or the process died).
    ``recycle``: a worker is replaced by a fresh one after answering that many chunks.
    """
    run: _Run[T, R] = _Run(setup, workers, deadline, lost, recycle)
    stream = iter(chunks)
    order: deque[_Slot[T, R]] = deque()
    finished = False
    try:
        while True:
            while not finished and len(order) < 2 * workers:
                chunk = next(stream, None)
                if chunk is None:
                    finished = True
                elif chunk:
                    order.append(_Slot(list(chunk)))
                    run.todo.append(_Task(order[-1], 0, order[-1].items))
            while order and not order[0].missing:
                yield from (r for r in order.popleft().out if r is not None)  # never None once filled
            if not order and finished:
                break
            run.dispatch()
            run.step()
    except BaseException:
        run.stop(now=True)
        raise
    run.stop(now=False)
