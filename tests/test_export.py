"""Exports parse with an independent parser (Raptor's rapper) to the store's own counts."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import ExportError
from kg.export import export
from kg.store import Store
from tests.conftest import needs


def _rapper_count(path: Path, syntax: str) -> int:
    proc = subprocess.run([needs("rapper"), "-i", syntax, "-c", str(path)], capture_output=True, text=True, check=True)
    return int(next(w for w in proc.stderr.split("returned", 1)[1].split() if w.isdigit()))


@pytest.mark.parametrize(("fmt", "syntax", "union"), [("turtle", "turtle", True), ("trig", "trig", False),
                                                       ("ntriples", "ntriples", True), ("nquads", "nquads", False)])
def test_export_parses_with_rapper_to_the_same_count(seed_store: Path, tmp_path: Path, fmt: str, syntax: str, union: bool) -> None:
    store = Store(seed_store, read_only=True)
    out = tmp_path / f"graph.{fmt}"
    export(store, fmt, str(out))
    distinct = {(q.subject, q.predicate, q.object) for q in store.quads()} if union else set(store.quads())
    assert _rapper_count(out, syntax) == len(distinct)


def test_export_jsonld_is_json(seed_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.jsonld"
    export(Store(seed_store, read_only=True), "jsonld", str(out))
    parsed = list(ox.parse(path=str(out), format=ox.RdfFormat.JSON_LD))
    assert len(parsed) == len(Store(seed_store, read_only=True))


def test_export_unknown_format_and_bad_folder(seed_store: Path, tmp_path: Path) -> None:
    store = Store(seed_store, read_only=True)
    with pytest.raises(ExportError, match="unknown export format"):
        export(store, "xml", str(tmp_path / "x"))
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(ExportError, match="cannot create folder"):
        export(store, "turtle", str(tmp_path / "a-file" / "x.ttl"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_export_creates_missing_folders(seed_store: Path, tmp_path: Path) -> None:
    export(Store(seed_store, read_only=True), "turtle", str(tmp_path / "out" / "deep" / "graph.ttl"))
    assert (tmp_path / "out" / "deep" / "graph.ttl").stat().st_size > 10_000


@pytest.mark.parametrize("fmt", ["turtle", "gexf"])
def test_export_file_mode_follows_the_umask(seed_store: Path, tmp_path: Path, fmt: str) -> None:
    old = os.umask(0o022)
    try:
        export(Store(seed_store, read_only=True), fmt, str(tmp_path / "g.out"))
        os.umask(0o027)
        export(Store(seed_store, read_only=True), fmt, str(tmp_path / "h.out"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "g.out").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "h.out").stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.out", "h.out"]  # no temporary file left
