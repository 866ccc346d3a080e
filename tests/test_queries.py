"""Every saved query states its question, parses and runs on the seed store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import query as q
from kg.store import Store
from tests.conftest import QUERIES

FILES = sorted(QUERIES.glob("*.rq"))


def test_queries_there_are_at_least_eight() -> None:
    assert len(FILES) >= 8


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_queries_each_states_its_question_and_runs(seed_store: Path, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ") and text.splitlines()[0].rstrip().endswith("?")
    result = q.run(Store(seed_store, read_only=True), text, where=path.name)
    assert result.kind == "select"


@pytest.mark.parametrize(("name", "expected"), [
    ("leaders_met.rq", "Kim Jong Un"), ("cooperation_topics.rq", "drones"), ("claims.rq", "Andrey Dmitriev"),
    ("invitations.rq", "Vladimir Putin"), ("military_objectives.rq", "Kursk region"),
])
def test_queries_answer_the_seed(seed_store: Path, name: str, expected: str) -> None:
    result = q.run(Store(seed_store, read_only=True), (QUERIES / name).read_text(encoding="utf-8"))
    values = {v for row in result.dicts() for v in row.values() if v}
    assert any(expected in v for v in values), values


def test_queries_a_saved_query_is_found_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # away from the checkout, as after `pip install`
    text, where = q.read_query("leaders_met")
    assert text == (QUERIES / "leaders_met.rq").read_text(encoding="utf-8") and where.endswith("leaders_met.rq")
    assert q.read_query("no_such_query") == ("no_such_query", "query")  # then it is SPARQL (and fails as such)
    (tmp_path / "leaders_met").write_text("ASK {}")
    assert q.read_query("leaders_met") == ("ASK {}", "leaders_met")  # a file here wins
