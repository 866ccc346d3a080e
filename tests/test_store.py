"""The store: one transaction per article graph, replace-not-append, survives a killed build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.store import Store

ROOT = Path(__file__).resolve().parents[1]
G = "https://example.org/g"


def _t(i: int) -> tuple[ox.NamedNode, ox.NamedNode, ox.Literal]:
    return ox.NamedNode(f"https://example.org/s{i}"), ox.NamedNode("https://example.org/p"), ox.Literal(f"v{i} \"quoted\"\n")


def test_store_replace_graph_replaces(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    store.replace_graph(G, [_t(i) for i in range(5)])
    store.replace_graph(G, [_t(i) for i in range(3)])
    assert len(store) == 3
    assert store.graphs() == [G]


def test_store_failed_write_keeps_old_graph(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    store.replace_graph(G, [_t(1)])
    bad = (ox.NamedNode("https://example.org/x"), ox.NamedNode("https://example.org/p"), "not a term")
    with pytest.raises(StoreError):
        store.replace_graph(G, [_t(2), bad])  # type: ignore[list-item]
    assert len(store) == 1


def test_store_read_only_missing_is_clear(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        Store(tmp_path / "nothing", read_only=True)


def test_store_killed_build_leaves_whole_articles(tmp_path: Path) -> None:
    """SIGKILL a build mid-way: every article graph present is complete (its build key is
    written in the same transaction as its facts), and the next build finishes the rest."""
    corpus = ROOT / "tests" / "data" / "corpus12"
    store_dir = tmp_path / "s"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--store", str(store_dir), "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not any(store_dir.glob("*.log")) and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(2.5)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = Store(store_dir)
    key = ox.NamedNode("https://w3id.org/newskg/ontology#buildKey")
    for g in store.graphs():
        if "/id/article/" in g:
            node = ox.NamedNode(g)
            quads = list(store.quads(g))
            assert any(q.subject == node and q.predicate == key for q in quads), f"{g} is incomplete"
            assert any(q.predicate.value == "https://w3id.org/newskg/ontology#mentions" for q in quads)
    del store
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "read 12 article(s)" in done.stdout


def test_store_ctrl_c_stops_cleanly_and_the_next_build_resumes(tmp_path: Path) -> None:
    corpus = ROOT / "tests" / "data" / "corpus12"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--store", str(tmp_path / "s"), "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Ready when the store is open: from then on the command handles Ctrl-C itself (a signal
    # during interpreter start-up, before any of kg runs, would only test Python).
    store_dir = tmp_path / "s"
    deadline = time.time() + 120
    while time.time() < deadline and not any(store_dir.glob("*")) and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    # 130 (0 if the build finished first); never death by SIGINT (-2) from an interrupt during the teardown
    assert proc.returncode in (0, 130), err
    assert "Traceback" not in err
    if proc.returncode != 0:
        assert err.strip().splitlines()[-1].startswith("kg: interrupted")
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    built = int(again.split("built ")[1].split(",")[0])
    unchanged = int(again.split("unchanged ")[1].split(",")[0])
    assert built + unchanged == 12


def _touches_pyoxigraph_store(path: Path) -> list[str]:
    """``ox.Store`` / ``pyoxigraph.Store`` and ``.raw`` uses in one module."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "raw":
            found.append(f"line {node.lineno}: .raw")
        if isinstance(node, ast.Attribute) and node.attr == "Store" and isinstance(node.value, ast.Name) \
                and node.value.id in ("ox", "pyoxigraph"):
            found.append(f"line {node.lineno}: {node.value.id}.Store")
        if isinstance(node, ast.ImportFrom) and node.module == "pyoxigraph" and any(a.name == "Store" for a in node.names):
            found.append(f"line {node.lineno}: from pyoxigraph import Store")
    return found


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "kg").rglob("*.py")
                                       if "store" not in p.relative_to(ROOT / "kg").parts),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_store_nothing_outside_the_package_opens_pyoxigraph(path: Path) -> None:
    assert not _touches_pyoxigraph_store(path), f"{path.name} bypasses kg.store: {_touches_pyoxigraph_store(path)}"


def test_store_update_text_for_products_that_need_it() -> None:
    from kg.store import updates

    line = '_:a <https://example.org/p> "_:not a node" .'
    iri = updates.skolemize(line, scope="g")
    assert iri.startswith(f"<{updates.SKOLEM_BASE}") and '"_:not a node"' in iri
    assert updates.skolemize(line, scope="g") == iri != updates.skolemize(line, scope="h")
    assert updates.deskolemize_text(iri).startswith("_:") and updates.blank_label("nodeID://b1001") == "b1001"
    parts = updates.insert_parts({"g": [f"<s{i}> <p> <o> ." for i in range(2500)], "h": ["<s> <p> <o> ."]}, 1000)
    assert [p.count(" .") for p in parts] == [1000, 1000, 501]
    assert updates.insert_parts({"g": ["<s> <p> <o> ."]}, 0) == ["INSERT DATA { GRAPH <g> {\n<s> <p> <o> .\n} }"]
    assert updates.ascii_separators('SELECT (GROUP_CONCAT(?x; separator=", ") AS ?y) {}') == \
        'SELECT (GROUP_CONCAT(?x; separator=", ") AS ?y) {}'
    assert updates.ascii_separators('SELECT (GROUP_CONCAT(DISTINCT ?x; separator=" – ") AS ?y) {}') == \
        'SELECT (REPLACE(GROUP_CONCAT(DISTINCT ?x; separator="~kgsep~"), "~kgsep~", " – ") AS ?y) {}'
    assert [updates.query_form(q) for q in ("BASE <x:> PREFIX : <http://a#> select * {}", "# ASK\nINSERT DATA {}",
                                             "prefix p.q: <x> DESCRIBE <a>")] == ["SELECT", "INSERT", "DESCRIBE"]


def test_store_closed_store_is_one_clear_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    store.replace_graph(G, [_t(1)])
    store.close()
    with pytest.raises(StoreError, match="closed"):
        len(store)
    with Store(tmp_path / "s", read_only=True) as again:  # the lock was let go
        assert again.build_keys([G]) == {} and len(again) == 1


def test_store_query_text_for_virtuosos_quirks() -> None:
    from kg.store import updates

    assert updates.empty_needles('FILTER(CONTAINS(LCASE(?e), "")) FILTER(STRSTARTS(?a, "b"))') == \
        'FILTER(REGEX(LCASE(?e), "")) FILTER(STRSTARTS(?a, "b"))'
    assert updates.distinct_select("PREFIX a: <b> SELECT DISTINCT ?x {}")
    assert not updates.distinct_select("SELECT ?x { { SELECT DISTINCT ?y {} } }")
