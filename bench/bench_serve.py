"""Load test of `kg serve` beside Oxigraph's own server, idle and while `kg build` writes.

    .venv/bin/python bench/bench_serve.py [--clients 4] [--requests 300]

Builds seeds/ into a store, copies it for `oxigraph serve-read-only`, then runs N client
processes x M requests each (keep-alive HTTP/1.1 on loopback, the saved queries in turn,
JSON results) against each server:

- idle: nothing else running;
- during builds: `kg build seeds/ --force` runs again and again meanwhile, rewriting every
  graph (ontology, topics, reference data, the article) in the store. `kg serve` serves the
  folder those builds write; Oxigraph serves its copy while the same builds write a scratch
  copy, so both servers compete with the same writer for the same cores.

The store is rebuilt rather than grown because the saved queries slow down steeply with
every article that repeats an entity's description: Oxigraph 0.5's union default graph
keeps one copy of a triple per graph (oxigraph/oxigraph#1919), and people_by_role.rq took
2 s at 5 articles and 75 s at 13.

While builds rewrite the served store, one more client asks for every graph's triple count
again and again: a rebuild gives each graph the same triples, so a torn read is any count
other than the graph's count before the builds. Prints a table; exits 1 on an error, a torn
read, or when `kg serve` answers fewer than half the requests per second Oxigraph does under
the same conditions.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import multiprocessing.pool
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.test_server import free_port, running  # noqa: E402
from tests.test_server import http as fetch  # noqa: E402

QUERIES = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))]
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
KG = [sys.executable, "-m", "kg.cli"]


@dataclass
class Run:
    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    builds: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def row(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))]
        return (f"| {self.name:<40} | {len(self.latencies):>5} | {self.rate:>8.0f} | {statistics.median(lat) * 1000:>6.1f} "
                f"| {p95 * 1000:>6.1f} | {len(self.errors):>6} | {self.builds or '':>6} |")


def client(job: tuple[str, int, int]) -> tuple[list[float], list[str]]:
    """One load client: ``requests`` POSTs of the saved queries in turn, on one keep-alive connection."""
    url, requests, offset = job
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.netloc, timeout=120)
    latencies, errors = [], []
    for i in range(requests):
        # union-default-graph: Oxigraph's way to query all graphs (kg serve always does; it ignores the field)
        body = urlencode({"query": QUERIES[(offset + i) % len(QUERIES)], "union-default-graph": ""}).encode()
        started = time.perf_counter()
        try:
            conn.request("POST", parts.path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                   "Accept": "application/sparql-results+json"})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 200:
                errors.append(f"{resp.status} {data[:120]!r}")
            else:
                json.loads(data)["results"]["bindings"]
        except (OSError, http.client.HTTPException, ValueError, KeyError) as err:
            errors.append(repr(err))
            conn.close()
            conn = http.client.HTTPConnection(parts.netloc, timeout=120)
        latencies.append(time.perf_counter() - started)
    return latencies, errors


def load(pool: mp.pool.Pool, name: str, url: str, clients: int, requests: int) -> Run:
    run = Run(name)
    client((url, len(QUERIES), 0))  # warm up: every query once
    started = time.perf_counter()
    for latencies, errors in pool.map(client, [(url, requests, c * 3) for c in range(clients)]):
        run.latencies += latencies
        run.errors += errors
    run.seconds = time.perf_counter() - started
    return run


class BuildLoop(threading.Thread):
    """`kg build seeds/ --force` into ``store``, again and again until stopped."""

    def __init__(self, store: Path) -> None:
        super().__init__(daemon=True)
        self.store = store
        self.builds = 0
        self.failures: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            done = subprocess.run([*KG, "build", str(ROOT / "seeds"), "--store", str(self.store), "--force", "--quiet"],
                                  cwd=ROOT, capture_output=True, text=True)
            if done.returncode:
                self.failures.append(done.stderr.strip()[-300:])
            self.builds += 1

    def start_writing(self) -> BuildLoop:
        """Start, and return once the first build has written (the store folder changed)."""
        from kg.store import store_signature

        before = store_signature(self.store)
        self.start()
        while store_signature(self.store) == before and not self.failures:
            time.sleep(0.05)
        return self

    def finish(self) -> int:
        """Stop after the running build; the number of builds that ran during the load."""
        during = self.builds + 1
        self.halt.set()
        self.join()
        if self.failures:
            raise RuntimeError(f"kg build failed: {self.failures[0]}")
        return during


def graph_counts(url: str) -> dict[str, int]:
    status, _, body = fetch(url + "sparql?" + urlencode({"query": COUNTS}), headers={"Accept": "application/sparql-results+json"})
    if status != 200:
        raise RuntimeError(f"count query failed: {status} {body[:200]!r}")
    return {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]}


class TornReadCheck(threading.Thread):
    """Polls every graph's size while a build writes; ``observed`` maps graph -> sizes seen."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.observed: dict[str, set[int]] = {}
        self.polls = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for g, n in graph_counts(self.url).items():
                self.observed.setdefault(g, set()).add(n)
            self.polls += 1
            time.sleep(0.05)

    def torn(self, before: dict[str, int], after: dict[str, int]) -> list[str]:
        return [f"{g}: saw {sorted(ns)}, before {before.get(g)}, after {after.get(g)}"
                for g, ns in self.observed.items() if ns - {before.get(g), after.get(g)}]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--requests", type=int, default=300, help="per client")
    args = ap.parse_args()
    oxigraph = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if not oxigraph:
        sys.exit("needs the oxigraph server binary (pip install oxigraph)")
    with tempfile.TemporaryDirectory(prefix="kg-bench-serve-") as tmp_name:
        tmp = Path(tmp_name)
        store, copy, scratch = tmp / "store", tmp / "oxigraph", tmp / "scratch"
        shutil.copytree(ROOT / "ontology", tmp / "ontology")  # the same gazetteer for every build of the run
        os.environ["KG_ONTOLOGY_DIR"] = str(tmp / "ontology")
        subprocess.run([*KG, "build", str(ROOT / "seeds"), "--store", str(store), "--quiet"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        shutil.copytree(store, copy)
        shutil.copytree(store, scratch)
        runs, torn, polls = measure(args, oxigraph, store, copy, scratch)
    print_table(args, runs, torn, polls)
    ok = not torn and not any(r.errors for r in runs)
    ok = ok and runs[2].rate >= 0.5 * runs[0].rate and runs[3].rate >= 0.5 * runs[1].rate
    return 0 if ok else 1


def measure(args: argparse.Namespace, oxigraph: str, store: Path, copy: Path, scratch: Path) -> tuple[list[Run], list[str], int]:
    runs: list[Run] = []
    n, m = args.clients, args.requests
    with mp.get_context("spawn").Pool(n) as pool:
        pool.map(time.sleep, [0] * n)  # the clients are up before the clock starts
        port = free_port()
        url = f"http://127.0.0.1:{port}/query"
        with running([oxigraph, "serve-read-only", "--location", str(copy), "--bind", f"127.0.0.1:{port}"],
                     url + "?query=ASK%7B%7D"):
            runs.append(load(pool, "oxigraph serve-read-only, idle", url, n, m))
            builds = BuildLoop(scratch).start_writing()
            runs.append(load(pool, "oxigraph serve-read-only, builds running", url, n, m))
            runs[-1].builds = builds.finish()
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        with running([*KG, "serve", "--store", str(store), "--port", str(port)], base + "health"):
            runs.append(load(pool, "kg serve, idle", base + "sparql", n, m))
            before = graph_counts(base)
            check = TornReadCheck(base)
            builds = BuildLoop(store).start_writing()
            check.start()
            runs.append(load(pool, "kg serve, builds rewriting its store", base + "sparql", n, m))
            runs[-1].builds = builds.finish()
            time.sleep(2)  # the workers' snapshots catch up with the last build
            check.stop.set()
            check.join()
            after = graph_counts(base)
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        disk = (f"from kg.serve import ServeOptions, serve\nif __name__ == '__main__':\n"
                f"    serve({str(copy)!r}, ServeOptions(port={port}, memory_limit=64 << 20))")
        with running([sys.executable, "-c", disk], base + "health"):
            runs.append(load(pool, "kg serve from an in-memory copy, idle", base + "sparql", n, m))
    return runs, check.torn(before, after), check.polls


def print_table(args: argparse.Namespace, runs: list[Run], torn: list[str], polls: int) -> None:
    print(f"{os.cpu_count()} cores; {args.clients} clients x {args.requests} requests; {len(QUERIES)} saved queries in turn")
    print("| server                                   |  reqs |    req/s | p50 ms | p95 ms | errors | builds |")
    print("|------------------------------------------|-------|----------|--------|--------|--------|--------|")
    for run in runs:
        print(run.row())
    print(f"kg serve / oxigraph: idle {runs[2].rate / runs[0].rate:.2f}, during builds {runs[3].rate / runs[1].rate:.2f}; "
          f"from an in-memory copy (last row; unordered results may then differ from kg query's), "
          f"idle {runs[4].rate / runs[0].rate:.2f}")
    print(f"torn reads: {len(torn)} in {polls} checks of every graph's size while builds rewrote the store")
    for line in [*torn, *(e for r in runs for e in r.errors)][:10]:
        print("  ", line)


if __name__ == "__main__":
    sys.exit(main())
