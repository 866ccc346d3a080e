"""kg load: RDF files in six syntaxes into the store, one transaction each, replaced on reload."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export import export
from kg.load import LOADED_BASE
from kg.store import Store

EX = "https://example.org/"
TRIPLES = f"""<{EX}kyiv> <http://www.w3.org/2000/01/rdf-schema#label> "Kyiv"@en .
<{EX}kyiv> <{EX}near> _:river .
_:river <http://www.w3.org/2000/01/rdf-schema#label> "Dnipro" .
"""
GRAPH_SYNTAXES = {"turtle": (".ttl", ox.RdfFormat.TURTLE), "ntriples": (".nt", ox.RdfFormat.N_TRIPLES),
                  "rdfxml": (".rdf", ox.RdfFormat.RDF_XML)}
DATASET_SYNTAXES = {"trig": (".trig", ox.RdfFormat.TRIG), "nquads": (".nq", ox.RdfFormat.N_QUADS),
                    "jsonld": (".jsonld", ox.RdfFormat.JSON_LD)}


def _file(tmp_path: Path, suffix: str, fmt: ox.RdfFormat, *, graph: str | None = None) -> Path:
    triples = [q.triple for q in ox.parse(TRIPLES.encode(), format=ox.RdfFormat.N_TRIPLES)]
    data = [ox.Quad(*t, ox.NamedNode(graph)) for t in triples] if graph else triples
    path = tmp_path / f"places{suffix}"
    path.write_bytes(ox.serialize(data, format=fmt) or b"")
    return path


def _labels(store_dir: Path) -> dict[str, list[str]]:
    store = Store(store_dir, read_only=True)
    rows = store.query("SELECT ?g ?l WHERE { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } }")
    found: dict[str, list[str]] = {}
    for row in rows:  # type: ignore[union-attr]
        found.setdefault(row["g"].value, []).append(row["l"].value)  # type: ignore[index,union-attr]
    store.close()
    return {g: sorted(v) for g, v in found.items()}


@pytest.mark.parametrize("name", sorted(GRAPH_SYNTAXES))
def test_load_triples_go_into_a_graph_of_their_own_or_graph(runner: CliRunner, tmp_path: Path, name: str) -> None:
    path = _file(tmp_path, *GRAPH_SYNTAXES[name])
    store = tmp_path / "store"
    result = runner.invoke(app, ["load", str(path), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "loaded 1 file(s), 3 triples into 1 graph(s)" in result.output
    assert _labels(store) == {LOADED_BASE + path.name: ["Dnipro", "Kyiv"]}
    result = runner.invoke(app, ["load", str(path), "--store", str(store), "--graph", EX + "g"])
    assert result.exit_code == 0, result.output
    assert _labels(store)[EX + "g"] == ["Dnipro", "Kyiv"]


@pytest.mark.parametrize("name", sorted(DATASET_SYNTAXES))
def test_load_named_graphs_keep_their_names(runner: CliRunner, tmp_path: Path, name: str) -> None:
    path = _file(tmp_path, *DATASET_SYNTAXES[name], graph=EX + "named")
    store = tmp_path / "store"
    result = runner.invoke(app, ["load", str(path), "--store", str(store), "--graph", EX + "unused"])
    assert result.exit_code == 0, result.output
    assert _labels(store) == {EX + "named": ["Dnipro", "Kyiv"]}


def test_load_again_replaces_never_duplicates(runner: CliRunner, tmp_path: Path) -> None:
    path = _file(tmp_path, ".ttl", ox.RdfFormat.TURTLE)
    store = tmp_path / "store"
    for _ in range(2):
        assert runner.invoke(app, ["load", str(path), "--store", str(store)]).exit_code == 0
    assert len(Store(store, read_only=True)) == 3  # the blank node too
    # two files into one graph in the same load: both kept
    other = tmp_path / "more.nt"
    other.write_text(f'<{EX}lviv> <http://www.w3.org/2000/01/rdf-schema#label> "Lviv" .\n')
    result = runner.invoke(app, ["load", str(path), str(other), "--graph", EX + "g", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert _labels(store)[EX + "g"] == ["Dnipro", "Kyiv", "Lviv"]


def test_load_bad_file_is_one_line_and_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "store"
    good = _file(tmp_path, ".ttl", ox.RdfFormat.TURTLE)
    assert runner.invoke(app, ["load", str(good), "--store", str(store)]).exit_code == 0
    before = set(Store(store, read_only=True).quads())
    bad = tmp_path / "broken.ttl"
    bad.write_text(TRIPLES.replace("_:river .", "_:river") + f"<{EX}x> <{EX}p> <{EX}y> .\n")  # a missing dot
    result = runner.invoke(app, ["load", str(bad), "--store", str(store)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "broken.ttl" in result.stderr and "line 3" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert set(Store(store, read_only=True).quads()) == before
    unknown = tmp_path / "notes.txt"
    unknown.write_text(TRIPLES)
    result = runner.invoke(app, ["load", str(bad), str(unknown), str(good), "--store", str(store)])
    assert result.exit_code == 0 and result.stderr.count("kg: error:") == 2 and "--format" in result.stderr
    result = runner.invoke(app, ["load", str(unknown), "--format", "ntriples", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["load", str(good), "--graph", "not an iri", "--store", str(store)]).exit_code == 1


def test_load_a_kg_trig_export_gives_back_the_same_dataset(seed_store: Path, tmp_path: Path, runner: CliRunner) -> None:
    source = Store(seed_store, read_only=True)
    export(source, "trig", str(tmp_path / "graph.trig"))
    result = runner.invoke(app, ["load", str(tmp_path / "graph.trig"), "--store", str(tmp_path / "copy")])
    assert result.exit_code == 0, result.output
    copy, original = set(Store(tmp_path / "copy", read_only=True).quads()), set(source.quads())
    assert len(copy) == len(original)  # the union in the default graph was not loaded a second time
    assert {q for q in copy if _ground(q)} == {q for q in original if _ground(q)}  # blank nodes get new names


def _ground(quad: ox.Quad) -> bool:
    return not isinstance(quad.subject, ox.BlankNode) and not isinstance(quad.object, ox.BlankNode)
