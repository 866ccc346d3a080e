"""The extraction pool outlives its workers: a worker that dies or hangs costs one item, not the build."""

from __future__ import annotations

import os
import signal
import time

import pytest

from kg.errors import ExtractionError
from kg.pool import ordered_map


def _hostile_handler() -> object:
    def handle(chunk: list[str]) -> list[str]:
        out = []
        for item in chunk:
            if item == "die":
                os.kill(os.getpid(), signal.SIGKILL)
            if item == "hang":  # like C code that never returns to Python: no signal gets through
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGTERM})
                while True:
                    time.sleep(3600)
            out.append(item.upper())
        return out

    return handle


def _failing_setup() -> object:
    raise RuntimeError("no model here")


def test_hostile_pool_dead_and_hung_workers_are_replaced() -> None:
    items = [f"a{i}" for i in range(7)] + ["die"] + [f"b{i}" for i in range(7)] + ["hang"] + [f"c{i}" for i in range(5)]
    chunks = [items[i:i + 4] for i in range(0, len(items), 4)]
    started = time.monotonic()
    got = list(ordered_map(chunks, _hostile_handler, workers=2, deadline=lambda n: 1.0 + 0.5 * n,
                           lost=lambda item, why: f"lost {item}: {why}"))
    assert len(got) == len(items)
    for item, result in zip(items, got, strict=True):
        if item == "die":
            assert result == "lost die: its worker process died (killed by signal 9)"
        elif item == "hang":
            assert result.startswith("lost hang: no result within 1.5 s")
        else:
            assert result == item.upper()  # in input order, every other item done
    assert time.monotonic() - started < 60


def test_hostile_pool_setup_failure_is_one_error() -> None:
    with pytest.raises(ExtractionError, match="cannot start: no model here"):
        list(ordered_map([["x"]], _failing_setup, workers=2, deadline=lambda n: None, lost=lambda i, w: w))
