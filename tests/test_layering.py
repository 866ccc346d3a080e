"""The folders tell the data's path: lower layers never import higher ones (read with ast)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

FORBIDDEN = {
    "kg.ingest": {"kg.extract", "kg.mapping", "kg.store", "kg.pipeline", "kg.cli", "rdflib", "pyoxigraph"},
    "kg.extract": {"kg.ingest", "kg.mapping", "kg.store", "kg.pipeline", "kg.cli", "rdflib", "pyoxigraph", "kg.ontology"},
    "kg.model": {"kg.store", "kg.mapping", "kg.cli", "rdflib", "pyoxigraph"},
}
MODULES = sorted((ROOT / "kg").rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module(p))
def test_layering_lower_layers_do_not_import_higher(path: Path) -> None:
    mod = _module(path)
    for layer, banned in FORBIDDEN.items():
        if mod == layer or mod.startswith(layer + "."):
            bad = {i for i in _imports(path) if any(i == b or i.startswith(b + ".") for b in banned)}
            assert not bad, f"{mod} imports {sorted(bad)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module(p))
def test_layering_nothing_imports_cli(path: Path) -> None:
    if _module(path) != "kg.cli":
        assert not any(i == "kg.cli" for i in _imports(path))
