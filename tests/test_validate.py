"""kg validate: SHACL conformance as the specification defines it, every result listed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.store import Store
from kg.validate import Report, validate

INVITATION = "https://w3id.org/newskg/id/event/test-invitation-1"


@pytest.fixture(scope="module")
def warned_store(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed store plus a copy of its invitation without the invitee: the shapes' Warning
    (an invitation names no nkg:participant), and nothing else wrong."""
    target = tmp_path_factory.mktemp("warned") / "store"
    shutil.copytree(seed_store, target)
    store = Store(target)
    store.update(f"""PREFIX nkg: <https://w3id.org/newskg/ontology#>
INSERT {{ GRAPH ?g {{ <{INVITATION}> ?p ?o }} }}
WHERE {{ GRAPH ?g {{ ?e a nkg:Invitation ; ?p ?o }} FILTER(?p != nkg:participant) }}""")
    store.close()
    return target


@pytest.fixture(scope="module")
def warned(warned_store: Path) -> Report:
    return validate(Store(warned_store, read_only=True))


def test_validate_a_warning_means_not_conforming_and_is_listed(warned: Report) -> None:
    report = warned
    assert not report.conforms and report.violations == 0 and report.warnings >= 1
    assert report.passes(allow_warnings=True) and not report.passes()
    line = next(f.line() for f in report.findings if f.focus == "event:test-invitation-1")
    assert line.startswith("Warning: event:test-invitation-1 nkg:participant: ")
    assert "conforms: False" in report.text and "warning(s)" in report.text


def test_validate_cli_exit_status_follows_severity(runner: CliRunner, warned_store: Path) -> None:
    result = runner.invoke(app, ["validate", "--store", str(warned_store)])
    assert result.exit_code == 1 and "Warning: event:test-invitation-1" in result.output
    result = runner.invoke(app, ["validate", "--store", str(warned_store), "--allow-warnings"])
    assert result.exit_code == 0 and "conforms: False" in result.output
