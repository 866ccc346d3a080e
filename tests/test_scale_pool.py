"""Worker recycling: a pool worker is replaced after ``recycle`` chunks, results stay in order."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from kg.pool import ordered_map


def _setup() -> Callable[[Sequence[int]], list[tuple[int, int]]]:
    return lambda chunk: [(item, os.getpid()) for item in chunk]


def _lost(item: int, reason: str) -> tuple[int, int]:
    raise AssertionError(reason)


def test_scale_pool_workers_are_recycled_and_order_kept() -> None:
    chunks = [[i, i + 1] for i in range(0, 12, 2)]
    out = list(ordered_map(chunks, _setup, workers=1, deadline=lambda n: 60, lost=_lost, recycle=2))
    assert [item for item, _ in out] == list(range(12))
    assert len({pid for _, pid in out}) == 3  # six chunks, a fresh process every two
    kept = list(ordered_map(chunks, _setup, workers=1, deadline=lambda n: 60, lost=_lost))
    assert len({pid for _, pid in kept}) == 1
