"""A bounded load test: heavy and light clients at once against a real `kg serve` on loopback.

Three clients send a cross join that would run for hours; two send the saved queries. The
server has two workers and a 4 s query timeout: without per-client fairness and the cap on
long queries, the heavy ones hold both workers and every light request waits or gets 503.
Bounded to 8 s and 100 requests per client; prints requests, errors, p50 and p99.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.bench_serve_load import run_load
from tests.test_server import free_port, kg_serve_cmd, running


@pytest.fixture(scope="module")
def two_workers(seed_store: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with running(kg_serve_cmd(seed_store, port, "--workers", "2", "--timeout", "4"), url + "health"):
        yield url


def test_serve_load_light_queries_are_answered_while_heavy_ones_run(two_workers: str) -> None:
    heavy, light = run_load(two_workers, heavy=3, light=2, seconds=8, max_requests=100, light_timeout=8)
    print("\n" + heavy.line() + "\n" + light.line())
    assert not light.errors, light.errors[:5]
    assert len(light.latencies) >= 10 and light.percentile(0.99) < 8
    assert heavy.statuses[503] + heavy.statuses[504] >= 3 and not heavy.statuses[200]  # shed or stopped, never run long
