"""Golden graphs: what kg reads from the seed and two eval articles, compared whole.

Each article is built alone; its named graph, the entities graph and the events graph are
compared with the stored N-Triples under tests/data/golden/ by ``rdflib.compare.isomorphic``.
Build bookkeeping (``nkg:buildKey``, ``nkg:sourceFile``) is left out: it changes with the
machine and the input files, not with what was read. On a difference the test prints the
triples missing and the triples added. After a deliberate change of extraction, write the new
goldens and review their diff in git:

    KG_UPDATE_GOLDEN=1 .venv/bin/pytest -q tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.export import export
from kg.pipeline import build
from kg.store import Store
from tests.conftest import ROOT, SEEDS

GOLDEN = ROOT / "tests" / "data" / "golden"
ARTICLES = {
    "seed": next(SEEDS.glob("*.txt")),
    "wire-leaders-meeting": ROOT / "eval" / "articles" / "wire-leaders-meeting.txt",
    "rw-kremlin-prabowo": ROOT / "eval" / "articles" / "rw-kremlin-prabowo.txt",
}
KEPT = ("https://w3id.org/newskg/id/article/", "https://w3id.org/newskg/graph/entities",
        "https://w3id.org/newskg/graph/events")
BOOKKEEPING = {"https://w3id.org/newskg/ontology#buildKey", "https://w3id.org/newskg/ontology#sourceFile"}


def _read(dump: Path) -> Graph:
    """The compared part of an N-Quads dump, merged into one graph (one article per store, so
    the merge loses nothing the comparison needs)."""
    ds = Dataset()
    ds.parse(dump, format="nquads")
    out = Graph()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if g is not None and str(g).startswith(KEPT) and str(p) not in BOOKKEEPING:
            out.add((s, p, o))
    return out


def _built(name: str, tmp_path: Path) -> Graph:
    store = Store(tmp_path / "store")
    build(store, [ARTICLES[name]])
    dump = tmp_path / "dump.nq"
    export(store, "nquads", str(dump))
    return _read(dump)


def _ntriples(graph: Graph) -> list[str]:
    """The graph as sorted N-Triples lines (stable text for files and diffs)."""
    return sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())


def _lines(graph: Graph, limit: int = 40) -> str:
    rows = _ntriples(graph)
    more = f"\n  ... and {len(rows) - limit} more" if len(rows) > limit else ""
    return "\n".join(f"  {r}" for r in rows[:limit]) + more


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_golden_graph_is_what_kg_reads(name: str, tmp_path: Path) -> None:
    got = _built(name, tmp_path)
    path = GOLDEN / f"{name}.nt"
    if os.environ.get("KG_UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(_ntriples(got)) + "\n", encoding="utf-8")
    expected = Graph().parse(path, format="nt")
    assert len(got) > 50  # a real reading, not an empty graph
    if not isomorphic(got, expected):
        _, missing, added = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail(f"{name}: the graph differs from {path.relative_to(ROOT)} "
                    f"(KG_UPDATE_GOLDEN=1 rewrites it after a deliberate change)\n"
                    f"missing ({len(missing)}):\n{_lines(missing)}\nadded ({len(added)}):\n{_lines(added)}")
