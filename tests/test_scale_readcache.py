"""The read cache: an unchanged rebuild reads no article file, and nothing a cache can hold
(stale, corrupt, from another kg) makes a build wrong."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import kg
from kg import ingest, pipeline, readcache
from kg.store import Store
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "corpus12"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files a build reads (ingest.read_results, counted as it runs); files are
    cached at once (a build here runs within the racy window of the files' writing)."""
    monkeypatch.setattr(readcache, "RACY_SECONDS", 0.0)
    seen: list[str] = []
    real = ingest.read_results

    def counted(path: Path) -> list[ingest.Result]:
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(ingest, "read_results", counted)
    return seen


def _copy(tmp_path: Path, count: int = 4) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:count]:
        shutil.copy(path, folder / path.name)
    return folder


def _quads(store: kg.GraphStore) -> list[str]:
    return sorted(str(q) for q in store.quads())


def test_readcache_unchanged_rebuild_reads_no_file(tmp_path: Path, reads: list[str]) -> None:
    folder = _copy(tmp_path)
    store = kg.open_store(tmp_path / "store")
    assert kg.build(store, [folder], workers=1).built == 4
    assert len(reads) == 8  # each file twice: planning, then extraction
    assert (tmp_path / "store" / readcache.FILE_NAME).is_file()
    reads.clear()
    again = kg.build(store, [folder], workers=1)
    assert (again.read, again.built, again.unchanged, reads) == (4, 0, 4, [])


def test_readcache_rebuild_reads_only_the_edited_file(tmp_path: Path, reads: list[str]) -> None:
    folder = _copy(tmp_path)
    store = kg.open_store(tmp_path / "store")
    kg.build(store, [folder], workers=1)
    edited = sorted(folder.iterdir())[1]
    before = edited.stat()
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("e", "a", 1), encoding="utf-8")  # same size
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same modification time
    reads.clear()
    again = kg.build(store, [folder], workers=1)
    assert (again.built, again.unchanged) == (1, 3)
    assert reads == [edited.name, edited.name]  # the change time gave it away; the others were not read


def test_readcache_corrupt_or_foreign_cache_is_ignored(tmp_path: Path, reads: list[str]) -> None:
    folder = _copy(tmp_path)
    store = kg.open_store(tmp_path / "store")
    kg.build(store, [folder], workers=1)
    expected = _quads(store)
    cache = tmp_path / "store" / readcache.FILE_NAME
    good = json.loads(cache.read_text(encoding="utf-8"))
    other = {**good, "inputs": "another gazetteer " + good["inputs"]}  # written for other extraction inputs
    broken = {**good, "files": {k: [*v[:4], [["#1", "x"]]] for k, v in good["files"].items()}}
    for junk in ("{not json", json.dumps({"format": 99, "files": {}}), json.dumps([1, 2]), json.dumps(other),
                 json.dumps(broken), ""):
        cache.write_text(junk, encoding="utf-8")
        reads.clear()
        summary = kg.build(store, [folder], workers=1)
        assert (summary.built, summary.unchanged, summary.skipped, len(reads)) == (0, 4, [], 4), junk[:30]
        assert _quads(store) == expected
    reads.clear()
    assert kg.build(store, [folder], workers=1).unchanged == 4 and reads == []  # rewritten whole


def test_readcache_moved_corpus_is_read_again_and_stays_unchanged(tmp_path: Path, reads: list[str]) -> None:
    folder = _copy(tmp_path)
    store = kg.open_store(tmp_path / "store")
    kg.build(store, [folder], workers=1)
    moved = tmp_path / "archive"
    folder.rename(moved)
    reads.clear()
    again = kg.build(store, [moved], workers=1)
    assert (again.built, again.unchanged, len(reads)) == (0, 4, 4)
    sources = {str(r["f"]) for r in kg.sparql(store, "SELECT ?f { GRAPH ?g { ?g nkg:sourceFile ?f } }").dicts()}
    assert sources == {f"archive/{p.name}" for p in moved.iterdir()}


def test_readcache_keeps_other_corpora_and_drops_gone_files(tmp_path: Path, reads: list[str]) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, files in ((first, sorted(CORPUS.glob("*.txt"))[:2]), (second, sorted(CORPUS.glob("*.txt"))[2:4])):
        folder.mkdir()
        for path in files:
            shutil.copy(path, folder / path.name)
    store = kg.open_store(tmp_path / "store")
    kg.build(store, [first], workers=1)
    kg.build(store, [second], workers=1)
    next(first.iterdir()).unlink()
    kg.build(store, [first], workers=1)
    cached = json.loads((tmp_path / "store" / readcache.FILE_NAME).read_text(encoding="utf-8"))["files"]
    assert sorted(Path(name).parent.name for name in cached) == ["a", "b", "b"]
    reads.clear()
    assert kg.build(store, [second], workers=1).unchanged == 2 and reads == []


def test_readcache_files_just_written_are_not_cached(tmp_path: Path) -> None:
    folder = _copy(tmp_path, count=2)  # RACY_SECONDS as shipped: these files are seconds old at most
    store = kg.open_store(tmp_path / "store")
    kg.build(store, [folder], workers=1)
    cache = tmp_path / "store" / readcache.FILE_NAME
    files = json.loads(cache.read_text(encoding="utf-8"))["files"] if cache.exists() else {}
    assert files == {}


def test_readcache_not_kept_for_an_in_memory_store(tmp_path: Path, reads: list[str]) -> None:
    folder = _copy(tmp_path, count=2)
    store = Store(None)
    pipeline.build(store, [folder], workers=1)
    reads.clear()
    assert pipeline.build(store, [folder], workers=1).unchanged == 2
    assert len(reads) == 2
