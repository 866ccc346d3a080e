"""What event identity costs: adding one article to a 1,000-article store vs building it alone.

Generates ``size + 1`` synthetic articles (bench/corpus.py), builds the first ``size`` into a
store, then times, in this process with the language model already loaded:

- building the last article alone into a fresh store (ontology and reference data included);
- building it alone into a store holding only the ontology and reference data;
- adding it to the ``size``-article store (extraction, identity, write), then removing it
  again with ``kg remove`` (timed too), ``--repeat`` times;
- the identity step alone (finding the connected reports, clustering, the update text).

Target: adding to the large store costs at most 2x building alone. Prints a table and writes
bench/results-events.txt.

usage: .venv/bin/python bench/bench_events.py [--size 1000] [--repeat 3] [--workers N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

from kg import identity  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.ingest import iter_articles  # noqa: E402
from kg.mapping import article_iri  # noqa: E402
from kg.model import Article  # noqa: E402
from kg.pipeline import build, load_project_resources  # noqa: E402
from kg.remove import remove  # noqa: E402
from kg.store import Store  # noqa: E402


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kg-bench-events-"))
    try:
        rows = run(work, args.size, args.repeat, args.workers)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = table(rows, args.size)
    print(text)
    (ROOT / "bench" / "results-events.txt").write_text(text + "\n", encoding="utf-8")
    return 0


def run(work: Path, size: int, repeat: int, workers: int | None) -> dict[str, float]:
    paths = corpus.generate(size + 1, work / "corpus")
    one = work / "one"
    one.mkdir()
    shutil.move(str(paths[-1]), one / paths[-1].name)
    big = Store(work / "big")
    rows = {"build": timed(lambda: build(big, [work / "corpus"], workers=workers))}
    reports = "GRAPH ?g { ?e <https://w3id.org/newskg/ontology#reportKey> ?k }"
    rows["events"] = float(_count(big, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {reports} }}"))
    rows["reports"] = float(_count(big, f"SELECT (COUNT(*) AS ?n) WHERE {{ {reports} }}"))
    build(Store(None), [one])  # load the language model in this process before timing
    rows["alone_fresh"] = statistics.median(timed(lambda: build(Store(None), [one])) for _ in range(repeat))
    ref = Store(None)
    build(ref, [paths[0]])
    remove(ref, [str(paths[0])])
    alone, added, removed = [], [], []
    for _ in range(repeat):
        alone.append(timed(lambda: build(ref, [one])))
        remove(ref, [str(one)])
        added.append(timed(lambda: build(big, [one])))
        removed.append(timed(lambda: remove(big, [str(one)])))
    rows["alone_ref"], rows["add"], rows["remove"] = (statistics.median(x) for x in (alone, added, removed))
    rows["identity"] = _identity_step(big, one)
    return rows


def _identity_step(store: Store, folder: Path) -> float:
    """The identity work for the article alone: plan and update text, without extraction."""
    (article,) = [a for a in iter_articles([folder]) if isinstance(a, Article)]
    (ex,) = Extractor(load_project_resources()).extract_all([article])
    reports = identity.reports_of(ex)
    world = identity.load_world(store)

    def step() -> None:
        identity.update_text(store, identity.plan(store, world, reports, replaced=[article_iri(article)]))

    return statistics.median(timed(step) for _ in range(5))


def _count(store: Store, sparql: str) -> int:
    res = store.query(sparql)
    return next(int(sol["n"].value) for sol in res)  # type: ignore[union-attr, index]


def table(rows: dict[str, float], size: int) -> str:
    ratio_fresh = rows["add"] / rows["alone_fresh"]
    ratio_ref = rows["add"] / rows["alone_ref"]
    lines = [
        f"event identity: one article added to a {size}-article store "
        f"({int(rows['reports'])} event reports, {int(rows['events'])} event nodes)",
        "| step | seconds | vs building alone |",
        "| --- | --- | --- |",
        f"| build {size} articles | {rows['build']:.1f} | |",
        f"| build the article alone, fresh store | {rows['alone_fresh']:.3f} | |",
        f"| build the article alone, store with reference data only | {rows['alone_ref']:.3f} | |",
        f"| add the article to the {size}-article store | {rows['add']:.3f} | "
        f"{ratio_fresh:.2f}x fresh, {ratio_ref:.2f}x reference-only (target <= 2x) |",
        f"| of which the identity step (plan + update text) | {rows['identity']:.3f} | |",
        f"| kg remove the article again | {rows['remove']:.3f} | |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
