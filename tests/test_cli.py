"""The command line: help everywhere, and user errors as one line without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.conftest import SEEDS

COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help_with_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output


def _export(runner: CliRunner, store: Path, tmp_path: Path, name: str) -> bytes:
    out = tmp_path / name
    result = runner.invoke(app, ["export", "--store", str(store), "--format", "nquads", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.parametrize("sparql", [
    "SELECT ?s WHERE { ?s ?p }",
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
])
def test_cli_bad_query_is_one_line_and_leaves_store(runner: CliRunner, store_copy: Path, tmp_path: Path, sparql: str) -> None:
    before = _export(runner, store_copy, tmp_path, "before.nq")
    result = runner.invoke(app, ["query", sparql, "--store", str(store_copy)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("kg: error:"), result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert _export(runner, store_copy, tmp_path, "after.nq") == before


def test_cli_syntax_error_names_line_and_column(runner: CliRunner, store_copy: Path) -> None:
    result = runner.invoke(app, ["query", "SELECT ?s\nWHERE { ?s ?p }", "--store", str(store_copy)])
    assert result.exit_code == 1
    assert "2:" in result.stderr


def test_cli_build_twice_keeps_triple_count(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "s"
    counts = []
    for extra in ([], ["--force"]):
        result = runner.invoke(app, ["build", str(SEEDS), "--store", str(store), *extra])
        assert result.exit_code == 0, result.output
        counts.append(result.output.rsplit("holds", 1)[1])
    assert counts[0] == counts[1]


def test_cli_build_reports_corrupt_file_and_reads_the_rest(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.txt").write_text((next(SEEDS.glob("*.txt"))).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.json").write_text('{"title": "x", "text": ', encoding="utf-8")
    result = runner.invoke(app, ["build", str(folder), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "broken.json" in result.stderr
    assert "read 1 article(s)" in result.output


def test_cli_build_of_nothing_fails_cleanly(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(tmp_path / "missing.txt"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr and "Traceback" not in result.stderr


def test_cli_query_formats(runner: CliRunner, seed_store: Path) -> None:
    q = ("SELECT ?label WHERE { ?p a <https://w3id.org/newskg/ontology#Leader> ; "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label")
    for fmt, expect in (("csv", "label\n"), ("tsv", "label\n"), ("json", '"label"'), ("table", "Vladimir Putin")):
        result = runner.invoke(app, ["query", q, "--store", str(seed_store), "--format", fmt])
        assert result.exit_code == 0, result.output
        assert expect in result.output
        assert "Vladimir Putin" in result.output


def test_cli_stats_and_validate(runner: CliRunner, seed_store: Path) -> None:
    result = runner.invoke(app, ["stats", "--store", str(seed_store)])
    assert result.exit_code == 0, result.output
    assert "Leader" in result.output
    result = runner.invoke(app, ["validate", "--store", str(seed_store)])
    assert result.exit_code == 0, result.output
    assert "conforms: True" in result.output


def test_cli_query_missing_store_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "ASK {}", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no store" in result.stderr
