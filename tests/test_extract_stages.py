"""Extraction stages as declared components: order checks, fingerprints, entry-point stages."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import ExtractionError
from kg.extract import DEFAULT_STAGES, fingerprint, registry, resolve
from kg.ontology import NKG
from tests.conftest import SEEDS

_MODULE = '''
from kg.extract.registry import stage
from kg.model import Claim


@stage("shout", requires=["mentions"], assigns=["claims"], version="7")
def shout(ctx):
    """Every sentence naming a person is that person's claim (a toy stage)."""
    for sent in ctx.sents:
        people = [m.key for m in sent.mentions if ctx.is_person(m.key)]
        if people:
            ev = ctx.evidence(sent)
            ctx.extraction.claims.append(Claim(key=f"shout-{len(ctx.extraction.claims)}", claimant=people[0],
                                               text=ev.text, evidence=[ev], cue="shout"))
'''


@pytest.fixture()
def fake_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An installed distribution on ``sys.path`` whose ``kg.stages`` entry point is ``loud``."""
    site = tmp_path / "site"
    info = site / "kgfake-0.3.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kgfake\nVersion: 0.3\n")
    (info / "entry_points.txt").write_text("[kg.stages]\nloud = kgfake_stage:shout\n")
    (site / "kgfake_stage.py").write_text(_MODULE)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(registry, "STAGES", dict(registry.STAGES))
    yield site
    sys.modules.pop("kgfake_stage", None)


def _claims(store: Path) -> int:
    st = ox.Store.read_only(str(store))
    return len(list(st.quads_for_pattern(None, ox.NamedNode(NKG + "claimant"), None, None)))


def test_extract_stages_entry_point_stage_runs_through_kg_build(fake_dist: Path, runner: CliRunner,
                                                                  tmp_path: Path) -> None:
    alone = runner.invoke(app, ["build", str(SEEDS), "--store", str(tmp_path / "a"), "-q", "--stages", "furniture,entities"])
    assert alone.exit_code == 0, alone.output
    loud = runner.invoke(app, ["build", str(SEEDS), "--store", str(tmp_path / "b"), "-q",
                               "--stages", "furniture,entities,loud"])
    assert loud.exit_code == 0, loud.output
    assert _claims(tmp_path / "a") == 0
    assert _claims(tmp_path / "b") > 3  # the seed names a person in many sentences
    assert fingerprint(["furniture", "entities", "loud"]).endswith(",loud@7")


def test_extract_stages_changed_stage_list_rebuilds(fake_dist: Path, runner: CliRunner, tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    runner.invoke(app, ["build", str(SEEDS), "--store", store, "-q", "--stages", "furniture,entities"])
    again = runner.invoke(app, ["build", str(SEEDS), "--store", store, "-q", "--stages", "furniture,entities"])
    assert "built 0, unchanged 1" in again.output
    other = runner.invoke(app, ["build", str(SEEDS), "--store", store, "-q", "--stages", "furniture,entities,loud"])
    assert "built 1, unchanged 0" in other.output


@pytest.mark.parametrize(("stages", "words"), [
    ("furniture,claims,entities", ["'claims' requires 'mentions'", "'entities'"]),
    ("furniture,claims", ["'claims' requires 'mentions'", "assigned by 'entities'"]),
    ("furniture,entities,nonesuch", ["unknown extraction stage 'nonesuch'"]),
    ("furniture,entities,entities", ["listed twice"]),
])
def test_extract_stages_bad_list_is_one_line(runner: CliRunner, tmp_path: Path, stages: str, words: list[str]) -> None:
    result = runner.invoke(app, ["build", str(SEEDS), "--store", str(tmp_path / "s"), "--stages", stages])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert all(w in lines[0] for w in words), lines[0]


def test_extract_stages_default_order_follows_requirements() -> None:
    stages = resolve(DEFAULT_STAGES)  # raises if a stage came before what it requires
    assert DEFAULT_STAGES[0] == "furniture" and DEFAULT_STAGES[-1] == "claim-targets"
    assert all(s.default for s in stages)
    assert fingerprint() == ",".join(f"{s.name}@{s.version}" for s in stages)


def test_extract_stages_check_order_names_both_stages() -> None:
    def noop(ctx: object) -> None: ...

    first = registry.Stage("first", noop, requires=("later-thing",))
    second = registry.Stage("second", noop, assigns=("later-thing",))
    with pytest.raises(ExtractionError, match="'first' requires 'later-thing': stage 'second' assigns it"):
        registry.check_order([first, second])
    registry.check_order([second, first])
