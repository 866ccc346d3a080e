"""Build keys are content, not paths: moving a corpus re-extracts nothing, no machine path
goes into the graph, and an unchanged rebuild loads neither spaCy nor the gazetteer."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import kg
from kg.planning import locate
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "corpus12"
SOURCES = "SELECT ?g ?f WHERE { GRAPH ?g { ?g nkg:sourceFile ?f } }"


def _copy(tmp_path: Path, name: str, count: int = 4) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:count]:
        shutil.copy(path, folder / path.name)
    return folder


def _quads_text(store: kg.GraphStore) -> str:
    return "\n".join(str(q) for q in store.quads())


def test_scale_keys_moved_corpus_re_extracts_nothing_and_paths_are_relative(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "news")
    store = kg.open_store(tmp_path / "store")
    first = kg.build(store, [folder], workers=1)
    assert first.built == 4
    sources = {str(r["f"]) for r in kg.sparql(store, SOURCES).dicts()}
    assert sources == {f"news/{p.name}" for p in folder.iterdir()}
    assert str(tmp_path) not in _quads_text(store)
    elsewhere = tmp_path / "moved" / "news"
    elsewhere.parent.mkdir()
    folder.rename(elsewhere)
    again = kg.build(store, [elsewhere], workers=1)
    assert (again.built, again.unchanged) == (0, 4)
    renamed = elsewhere.parent / "archive"  # the folder renamed: still nothing extracted, paths follow
    elsewhere.rename(renamed)
    third = kg.build(store, [renamed], workers=1)
    assert (third.built, third.unchanged) == (0, 4)
    assert {str(r["f"]) for r in kg.sparql(store, SOURCES).dicts()} == {f"archive/{p.name}" for p in renamed.iterdir()}
    assert str(tmp_path) not in _quads_text(store)


def test_scale_keys_edited_article_replaces_its_earlier_version(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "news", count=2)
    store = kg.open_store(tmp_path / "store")
    kg.build(store, [folder], workers=1)
    before = {str(r["g"]) for r in kg.sparql(store, SOURCES).dicts()}
    edited = sorted(folder.iterdir())[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThe talks ended late.\n", encoding="utf-8")
    summary = kg.build(store, [folder], workers=1)
    after = {str(r["g"]): str(r["f"]) for r in kg.sparql(store, SOURCES).dicts()}
    assert (summary.built, summary.unchanged) == (1, 1)
    assert len(after) == 2 and len(set(after) - before) == 1
    assert sorted(after.values()) == sorted(f"news/{p.name}" for p in folder.iterdir())


def test_scale_keys_remove_and_prune_match_relative_sources(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "news", count=3)
    store = kg.open_store(tmp_path / "store")
    kg.build(store, [folder], workers=1)
    first, second, third = sorted(folder.iterdir())
    second.unlink()
    from kg.pipeline import build
    assert build(store, [folder], prune=True, workers=1).pruned == 1
    assert locate(f"news/{first.name}", folder) == first
    assert locate(f"news/{first.name}", first) == first
    assert locate(f"news/{first.name}", tmp_path) == first  # the folder holding the corpus
    assert locate(f"news/{first.name}", tmp_path / "other") is None
    from kg.remove import remove
    assert len(remove(store, [str(third)]).articles) == 1
    assert {str(r["f"]) for r in kg.sparql(store, SOURCES).dicts()} == {f"news/{first.name}"}


def test_scale_keys_unchanged_rebuild_loads_no_model_nor_gazetteer(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "news", count=2)
    store_path = tmp_path / "store"
    kg.build(kg.open_store(store_path), [folder], workers=1)
    script = (  # a fresh interpreter: what an unchanged `kg build` imports and loads
        "import sys, kg\n"
        "import kg.pipeline as p\n"
        "p.load_project_resources = lambda *a, **k: sys.exit('resources loaded')\n"
        f"s = kg.build(kg.open_store({str(store_path)!r}), [{str(folder)!r}])\n"
        "assert (s.built, s.unchanged) == (0, 2), s\n"
        "assert 'spacy' not in sys.modules, 'spacy imported'\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_scale_keys_a_file_and_its_folder_give_the_same_source(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "news", count=1)
    store = kg.open_store(tmp_path / "store")
    kg.build(store, [next(folder.iterdir())], workers=1)
    assert {str(r["f"]) for r in kg.sparql(store, SOURCES).dicts()} == {f"news/{p.name}" for p in folder.iterdir()}
    assert kg.build(store, [folder], workers=1).unchanged == 1
