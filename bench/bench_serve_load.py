"""Heavy and light clients at once against `kg serve`: are the light ones still answered?

    .venv/bin/python bench/bench_serve_load.py [--heavy 3] [--light 3] [--seconds 20] [--max-requests 300]

Builds seeds/ into a fresh store and starts `kg serve --workers 2` on it (stopped by pid).
Heavy clients send a three-way cross join (hours on the seed store) again and again; light
clients send the saved queries and ASK in turn, each with ``--light-timeout`` seconds to be
answered. Every client has its own loopback address (127.0.0.2, 127.0.0.3 ...), as distinct
machines would, so the server's per-client fairness sees them apart. Bounded: each client
stops after ``--seconds`` or ``--max-requests``, whichever comes first.

Prints, per kind: requests, errors, p50 and p99 latency (and the heavy clients' statuses:
503 and 504 are the server shedding and stopping them, as it should). Exits 1 when a light
request failed or took longer than its timeout. :func:`run_load` is what
tests/test_serve_load.py runs, with small bounds.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.test_server import HEAVY, free_port, kg_serve_cmd, running  # noqa: E402

LIGHT = ["ASK { ?p a nkg:Leader }", *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq")))]


@dataclass
class Tally:
    """What one kind of client saw."""

    kind: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1
            if error:
                self.errors.append(error)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies) or [0.0]
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))]

    def line(self) -> str:
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return (f"{self.kind:<6} requests {len(self.latencies):>5}  errors {len(self.errors):>3}  "
                f"p50 {self.percentile(0.5) * 1000:>7.1f} ms  p99 {self.percentile(0.99) * 1000:>7.1f} ms  ({codes})")


def client(base: str, source: str, queries: list[str], tally: Tally, *, until: float, max_requests: int,
           timeout: float, strict: bool) -> None:
    """Send ``queries`` in turn from address ``source`` until ``until`` or ``max_requests``."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.netloc, timeout=timeout, source_address=(source, 0))
    for i in range(max_requests):
        if time.monotonic() >= until:
            break
        body = urlencode({"query": queries[i % len(queries)]}).encode()
        started = time.perf_counter()
        status, error = 0, None
        try:
            conn.request("POST", "/sparql", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                   "Accept": "application/sparql-results+json"})
            resp = conn.getresponse()
            resp.read()
            status = resp.status
            if strict and status != 200:
                error = f"status {status}"
        except (OSError, http.client.HTTPException) as err:
            error = f"{type(err).__name__}: {err}"
            conn.close()
            conn = http.client.HTTPConnection(parts.netloc, timeout=timeout, source_address=(source, 0))
        elapsed = time.perf_counter() - started
        if strict and error is None and elapsed > timeout:
            error = f"answered in {elapsed:.1f} s, past the {timeout:g} s timeout"
        tally.add(elapsed, status, error if strict or status == 0 else None)
    conn.close()


def run_load(base: str, *, heavy: int, light: int, seconds: float, max_requests: int,
             light_timeout: float) -> tuple[Tally, Tally]:
    """Run ``heavy`` and ``light`` clients at once; the two tallies once every client stopped."""
    heavy_tally, light_tally = Tally("heavy"), Tally("light")
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(base, f"127.0.0.{2 + i}", [HEAVY], heavy_tally),
                                kwargs={"until": until, "max_requests": max_requests, "timeout": 120, "strict": False})
               for i in range(heavy)]
    threads += [threading.Thread(target=client, args=(base, f"127.0.0.{2 + heavy + i}", LIGHT, light_tally),
                                 kwargs={"until": until, "max_requests": max_requests, "timeout": light_timeout,
                                         "strict": True})
                for i in range(light)]
    for t in threads[:heavy]:
        t.start()
    time.sleep(0.5)  # the heavy queries hold the workers before the first light one arrives
    for t in threads[heavy:]:
        t.start()
    for t in threads:
        t.join()
    return heavy_tally, light_tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heavy", type=int, default=3)
    parser.add_argument("--light", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-requests", type=int, default=300)
    parser.add_argument("--light-timeout", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's query timeout")
    args = parser.parse_args()
    from kg.pipeline import build
    from kg.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store")
        build(store, [ROOT / "seeds"])
        store.close()
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        cmd = kg_serve_cmd(Path(tmp) / "store", port, "--workers", "2", "--timeout", str(args.timeout))
        with running(cmd, base + "health"):
            heavy, light = run_load(base, heavy=args.heavy, light=args.light, seconds=args.seconds,
                                    max_requests=args.max_requests, light_timeout=args.light_timeout)
    print(f"kg serve --workers 2 --timeout {args.timeout:g}; {args.heavy} heavy + {args.light} light clients, "
          f"{args.seconds:g} s at most; light timeout {args.light_timeout:g} s")
    print(heavy.line())
    print(light.line())
    for error in light.errors[:5]:
        print("  light error:", error)
    return 1 if light.errors or not light.latencies else 0


if __name__ == "__main__":
    sys.exit(main())
