"""What kg writes stays under control: no escape sequence reaches the terminal, builds are
reproducible byte for byte, a killed export leaves no temporary file, a BOM is no syntax error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from kg.cli import app
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "corpus12"
# Retitle the window, clear the screen, ring the bell, an 8-bit CSI, a right-to-left override.
HOSTILE = "Putin\x1b]0;owned\x07 \x1b[2J\x1b[31mred\x9b1m \u202eevil\r!"


@pytest.fixture()
def hostile_store(tmp_path: Path) -> Path:
    path = tmp_path / "s"
    store = kg.open_store(path)
    literal = json.dumps(HOSTILE)  # a JSON string is a valid SPARQL string literal here
    store.update(f"INSERT DATA {{ GRAPH <https://example.org/g> {{ <https://example.org/x> "
                 f"<http://www.w3.org/2000/01/rdf-schema#label> {literal} }} }}")
    store.flush()
    del store
    return path


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv"])
def test_hostile_output_query_shows_control_characters_instead_of_obeying_them(
        runner: CliRunner, hostile_store: Path, fmt: str) -> None:
    result = runner.invoke(app, ["query", "SELECT ?l WHERE { ?x rdfs:label ?l }", "--store", str(hostile_store),
                                 "--format", fmt])
    assert result.exit_code == 0, result.output
    for char in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
        assert char not in result.stdout
    assert "\\u001b]0;owned\\u0007" in result.stdout.replace("\n", "").replace("│", "").replace(" ", "")


def test_hostile_output_construct_and_json_stay_exact(runner: CliRunner, hostile_store: Path) -> None:
    got = runner.invoke(app, ["query", "SELECT ?l WHERE { ?x rdfs:label ?l }", "--store", str(hostile_store),
                              "--format", "json"])
    assert json.loads(got.stdout) == [{"l": HOSTILE}]  # JSON escapes control characters itself
    turtle = runner.invoke(app, ["query", "CONSTRUCT WHERE { ?x rdfs:label ?l }", "--store", str(hostile_store)]).stdout
    for char in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
        assert char not in turtle
    import pyoxigraph as ox

    (triple,) = ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)  # still Turtle, meaning the same
    assert triple.object.value == HOSTILE


def test_hostile_output_markup_in_article_text_is_text(runner: CliRunner, tmp_path: Path) -> None:
    store = kg.open_store(tmp_path / "s")
    store.update('INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/x> '
                 '<http://www.w3.org/2000/01/rdf-schema#label> "[/bold] [red]not markup[/red]" } }')
    store.flush()
    del store
    result = runner.invoke(app, ["query", "SELECT ?l WHERE { ?x rdfs:label ?l }", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "[/bold] [red]not markup[/red]" in result.stdout


def test_hostile_output_query_file_with_bom(runner: CliRunner, seed_store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_bytes(b"\xef\xbb\xbfSELECT (COUNT(*) AS ?n) WHERE { ?a a nkg:Article }\n")
    result = runner.invoke(app, ["query", str(rq), "--store", str(seed_store), "--format", "csv"])
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.splitlines()[0] == "n" and int(result.stdout.splitlines()[1]) >= 1


def test_hostile_output_two_builds_export_the_same_bytes(runner: CliRunner, tmp_path: Path) -> None:
    """The ontology's blank nodes used to get fresh labels at every load."""
    exports = []
    for name in ("a", "b"):
        store = tmp_path / name
        built = runner.invoke(app, ["build", str(CORPUS), "--store", str(store), "-q"])
        assert built.exit_code == 0, built.output
        out = tmp_path / f"{name}.nq"
        done = runner.invoke(app, ["export", "--store", str(store), "--format", "nquads", "--out", str(out)])
        assert done.exit_code == 0, done.output
        exports.append(b"".join(sorted(out.read_bytes().splitlines(keepends=True))))
    assert exports[0] == exports[1]
    assert b"_:" not in exports[0] and b"/.well-known/genid/newskg-b0>" in exports[0]


_KILLED_EXPORT = """
import os, signal, sys
from pathlib import Path
from kg import export
if sys.argv[2] == "named":
    export._unnamed_file = lambda folder: None  # a file system without O_TMPFILE
def write(fh):
    fh.write(b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\\n" * 10000)
    fh.flush()
    os.kill(os.getpid(), signal.SIGKILL)
export.write_atomically(Path(sys.argv[1]), write)
"""


@pytest.mark.parametrize("how", ["unnamed", "named"])
def test_hostile_output_killed_export_leaves_no_temporary_file(tmp_path: Path, seed_store: Path, how: str) -> None:
    target = tmp_path / "out" / "graph.nq"
    killed = subprocess.run([sys.executable, "-c", _KILLED_EXPORT, str(target), how], cwd=ROOT, capture_output=True)
    assert killed.returncode == -9
    left = sorted(p.name for p in target.parent.iterdir())
    if how == "named":  # without O_TMPFILE a SIGKILL leaves it: the next export to that file removes it
        assert len(left) == 1 and left[0].startswith(".graph.nq.kg-export-"), left
        kg.serialize(kg.open_store(seed_store, read_only=True), "nquads", str(target))
        left = sorted(p.name for p in target.parent.iterdir())
    assert left == (["graph.nq"] if how == "named" else []), left
