"""Event identity across articles: one node per real event, whatever order articles arrive in."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.identity import EVENTS_GRAPH, Report, ReportIndex, World
from kg.identity.cluster import agree, cluster, reconcile
from kg.pipeline import build
from kg.store import Store
from tests.conftest import ROOT

EVENTS = ROOT / "tests" / "data" / "events"
FILES = sorted(p for p in EVENTS.iterdir() if p.is_file())
EXPECTED = [  # invented reports written for these tests: which files tell of one event
    {"call-march-wire.txt", "call-march-next-day.md", "call-march-dateline.txt"},
    {"call-may-wire.txt", "call-may-digest.json"},
    {"meeting-beijing-wire.txt", "meeting-beijing-china.txt", "meeting-beijing-analysis.md"},
    {"meeting-tianjin-modi.txt"},
]
P = "https://w3id.org/newskg/id/person/"


def events_of(store: Store) -> dict[str, frozenset[str]]:
    """Event node -> the source files of the meetings and calls reported as it."""
    res = store.query("""SELECT DISTINCT ?e ?f WHERE { GRAPH ?g { ?e <https://w3id.org/newskg/ontology#reportKey> ?k ;
        a ?c . ?g <https://w3id.org/newskg/ontology#sourceFile> ?f }
        VALUES ?c { <https://w3id.org/newskg/ontology#Meeting> <https://w3id.org/newskg/ontology#PhoneCall> } }""")
    out: dict[str, set[str]] = {}
    assert isinstance(res, ox.QuerySolutions)
    for sol in res:
        out.setdefault(sol["e"].value, set()).add(Path(sol["f"].value).name)  # type: ignore[union-attr]
    return {e: frozenset(f) for e, f in out.items()}


def snapshot(store: Store) -> set[tuple[str, str, str, str]]:
    """Every quad of the article and events graphs, as text (order-free)."""
    res = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
                      "\"https://w3id.org/newskg/id/article/\") || ?g = <" + EVENTS_GRAPH + ">) }")
    assert isinstance(res, ox.QuerySolutions)
    return {(str(s["g"]), str(s["s"]), str(s["p"]), str(s["o"])) for s in res}


@pytest.fixture(scope="module")
def event_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("events") / "store"
    build(Store(path), [EVENTS])
    return path


def test_events_reports_of_one_event_share_one_node(event_store: Path) -> None:
    found = set(events_of(Store(event_store, read_only=True)).values())
    assert found == {frozenset(e) for e in EXPECTED}


def test_events_same_events_in_any_order(tmp_path: Path, event_store: Path) -> None:
    reference = snapshot(Store(event_store, read_only=True))
    rng = random.Random(7)
    for n in range(3):
        order = FILES[:]
        rng.shuffle(order)
        store = Store(tmp_path / f"s{n}")
        if n == 0:  # one article per build: each arrives into a store holding the others
            for f in order:
                build(store, [f])
        else:
            build(store, order)
        assert snapshot(store) == reference, f"order {[f.name for f in order]}"


def test_events_removing_a_report_keeps_the_event_and_other_reports(tmp_path: Path, event_store: Path) -> None:
    from kg.remove import remove, sources

    shutil.copytree(event_store, tmp_path / "s")
    store = Store(tmp_path / "s")
    before = events_of(store)
    remove(store, [str(EVENTS / "call-march-dateline.txt")])
    after = events_of(store)
    assert set(after.values()) == {e - {"call-march-dateline.txt"} for e in before.values()}
    kept = {e for e, files in before.items() if "call-march-dateline.txt" not in files}
    assert kept <= set(after)  # the other events keep their nodes
    others = {g for g, f in sources(store).items() if not Path(f).name.startswith("call-march")}
    untouched = {q for q in snapshot(Store(event_store, read_only=True)) if q[0].strip("<>") in others}
    assert untouched and untouched <= snapshot(store)  # other articles' accounts are as they were


def test_events_editing_a_report_keeps_the_event(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(EVENTS, folder)
    store = Store(tmp_path / "s")
    build(store, [folder])
    before = set(events_of(store).values())
    path = folder / "call-march-wire.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("the Kremlin said", "the Kremlin said in a statement"),
                    encoding="utf-8")
    build(store, [folder])
    assert set(events_of(store).values()) == before
    fresh = Store(tmp_path / "fresh")
    build(fresh, [folder])
    assert snapshot(fresh) == snapshot(store)


def test_events_the_writers_index_answers_as_the_store_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build keeps the store's reports in memory (kg.identity.index) instead of asking the store
    for them article after article: the same articles built both ways give the same graphs."""
    corpus = ROOT / "eval" / "events" / "dev"
    indexed = Store(tmp_path / "indexed")
    build(indexed, [corpus])
    with monkeypatch.context() as m:
        m.setattr(ReportIndex, "over", classmethod(lambda cls, store: None))
        asked = Store(tmp_path / "asked")
        build(asked, [corpus])
    found = snapshot(indexed)
    assert any(q[0] == f"<{EVENTS_GRAPH}>" for q in found)
    assert found == snapshot(asked)
    half = Store(tmp_path / "half")  # into a store holding reports already: the index asks it as it goes
    files = sorted(p for p in corpus.iterdir() if p.suffix != ".yaml")
    build(half, files[::2])
    build(half, files[1::2])
    assert snapshot(half) == found


# ---- the rules, on invented reports -----------------------------------------------------------

WORLD = World.build([("PhoneCall", "Meeting"), ("Meeting", "Event")],
                    [("place/anchorage", "place/alaska"), ("place/alaska", "place/united-states")],
                    [P + "putin", P + "xi", P + "modi", P + "trump"])


def rep(key: str, who: str, *, date: str | None = None, pub: str = "2025-09-02", cls: str = "Meeting",
        places: str = "") -> Report:
    return Report(key=key, graph=key.split("-")[0], cls=cls, agents=frozenset(P + w for w in who.split()),
                  places=frozenset(places.split()), date=date, published=pub, label=key)


def test_events_a_report_naming_one_leader_does_not_bridge_two_meetings() -> None:
    xi, modi, alone = rep("a-1", "putin xi"), rep("b-1", "putin modi"), rep("c-1", "putin")
    assert not agree(xi, modi, WORLD)
    groups = cluster([modi, alone, xi], WORLD)
    assert len(groups) == 2 and {len(g) for g in groups} == {1, 2}


def test_events_calls_a_month_apart_and_summits_years_apart_stay_apart() -> None:
    march = rep("a-1", "putin trump", date="2025-03-18", cls="PhoneCall")
    april = rep("b-1", "putin trump", date="2025-04-18", cls="PhoneCall")
    dateline = rep("c-1", "putin trump", pub="2025-04-19", cls="PhoneCall")
    assert [len(g) for g in cluster([march, april, dateline], WORLD)] == [1, 2]
    old = rep("d-1", "putin trump", date="2019", places="place/anchorage")
    new = rep("e-1", "putin trump", date="2025-08-15", places="place/alaska")
    assert not agree(old, new, WORLD)


def test_events_a_report_dated_only_to_a_month_a_year_or_not_at_all_is_its_own_event() -> None:
    """It cannot say which of the month's events of the same leaders it tells of (and agreeing with
    all of them chained every report of a busy leader into one group)."""
    talks = rep("a-1", "putin trump", date="2025-08-15")
    that_year = rep("b-1", "putin trump", date="2025", pub="2025-09-01")
    undated = Report("c-1", "c", "Meeting", talks.agents, frozenset(), None, None)
    same_month = rep("d-1", "putin trump", date="2025-08", pub="2025-08-20")
    also_that_year = rep("e-1", "putin trump", date="2025", pub="2025-10-01")
    assert not agree(talks, that_year, WORLD) and not agree(that_year, also_that_year, WORLD)
    assert not agree(talks, undated, WORLD) and not agree(talks, same_month, WORLD)
    assert [len(g) for g in cluster([talks, that_year, undated, same_month], WORLD)] == [1, 1, 1, 1]


def test_events_a_report_without_its_own_date_tells_of_its_publication_day() -> None:
    """Within the tolerance: "yesterday" in a next-day report, a dateline's time zone."""
    talks = rep("a-1", "putin trump", date="2025-08-15")
    next_day, two_days = rep("b-1", "putin trump", pub="2025-08-16"), rep("c-1", "putin trump", pub="2025-08-17")
    a_week_on = rep("d-1", "putin trump", pub="2025-08-22")
    assert agree(talks, next_day, WORLD) and agree(talks, two_days, WORLD) and not agree(talks, a_week_on, WORLD)
    assert [len(g) for g in cluster([talks, next_day, two_days, a_week_on], WORLD)] == [3, 1]


def test_events_reconciled_facts_are_the_most_specific_agreed() -> None:
    a = rep("a-1", "putin trump", date="2025-08-15", places="place/alaska", pub="2025-08-16")
    b = rep("b-1", "putin trump", date="2025-08-16", places="place/anchorage", pub="2025-08-15", cls="PhoneCall")
    c = rep("c-1", "putin trump", pub="2025-08-17")
    (group,) = cluster([a, b, c], WORLD)
    fact = reconcile(group, WORLD)
    assert (fact.cls, fact.date, fact.places, fact.first.key) == ("PhoneCall", "2025-08", ("place/anchorage",), "b-1")
    assert fact.iri.endswith("/event/a-1")


def test_events_cli_remove_and_build_prune(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    from kg.cli import app

    folder = tmp_path / "articles"
    shutil.copytree(EVENTS, folder)
    st = str(tmp_path / "s")
    assert runner.invoke(app, ["build", str(folder), "--store", st, "-q"]).exit_code == 0
    (folder / "call-may-digest.json").unlink()
    res = runner.invoke(app, ["build", str(folder), "--store", st, "-q", "--prune"])
    assert res.exit_code == 0 and "pruned 1" in res.output
    assert {"call-may-wire.txt"} in set(events_of(Store(st)).values())
    res = runner.invoke(app, ["remove", str(folder / "meeting-tianjin-modi.txt"), "--store", st])
    assert res.exit_code == 0 and "removed 1 article(s)" in res.output
    assert not any("meeting-tianjin-modi.txt" in f for f in events_of(Store(st)).values())
    res = runner.invoke(app, ["remove", str(folder / "no-such-file.txt"), "--store", st])
    assert res.exit_code == 1 and "Traceback" not in res.output and "no article" in res.output


def _clusters_file(path: Path, groups: list[set[str]]) -> Path:
    import yaml

    events = [{"id": f"e{i}", "type": "Meeting", "participants": ["Vladimir Putin"], "reports": sorted(g)}
              for i, g in enumerate(groups)]
    path.write_text(yaml.safe_dump({"events": events}), encoding="utf-8")
    return path


def test_events_eval_bcubed(tmp_path: Path, event_store: Path) -> None:
    from kg.identity.score import score_clusters

    store = Store(event_store, read_only=True)
    perfect = score_clusters(store, _clusters_file(tmp_path / "a.yaml", EXPECTED))
    assert (perfect.precision, perfect.recall, perfect.f1, perfect.reports) == (1.0, 1.0, 1.0, 9)
    split = [{"call-march-wire.txt", "call-march-next-day.md", "call-march-dateline.txt", "call-may-wire.txt",
              "call-may-digest.json"}, *EXPECTED[2:]]  # gold says one event where kg (rightly) sees two calls
    s = score_clusters(store, _clusters_file(tmp_path / "b.yaml", split))
    assert s.recall < 1.0 and s.precision == 1.0
    assert abs(s.recall - (3 * 3 / 5 + 2 * 2 / 5 + 4) / 9) < 1e-9


def test_events_kg_eval_prints_event_identity(tmp_path: Path, event_store: Path, runner) -> None:  # type: ignore[no-untyped-def]
    from kg.cli import app

    gold = _clusters_file(tmp_path / "clusters.yaml", EXPECTED)
    res = runner.invoke(app, ["eval", str(gold), "--store", str(event_store)])
    assert res.exit_code == 0, res.output
    assert "B-cubed over 9 reports: precision 1.000  recall 1.000  F1 1.000" in res.output


def test_events_saved_queries_answer_about_reports(event_store: Path) -> None:
    from kg import query as q

    store = Store(event_store, read_only=True)

    def rows(name: str) -> list[dict[str, str | None]]:
        text, where = q.read_query(str(ROOT / "queries" / f"{name}.rq"))
        return q.run(store, text, where=where).dicts()

    counts = {(r["event"], r["date"]): r["reports"] for r in rows("events_reported")}
    assert counts[("Phone call of Vladimir Putin and Donald Trump", "2025-03-18")] == "3"
    assert counts[("Phone call of Vladimir Putin and Donald Trump", "2025-05-19")] == "2"
    beijing = {"Meeting of Vladimir Putin and Xi Jinping", "Meeting of Xi Jinping and Vladimir Putin"}  # names in any order
    ordered = [r for r in rows("event_reports") if r["event"] in beijing]
    assert [r["published"] for r in ordered] == ["2025-09-02", "2025-09-03", "2025-09-05"]
    assert [r["first"] for r in ordered] == ["true", "false", "false"]
    differ = {r["event"]: r["disagree"] for r in rows("report_disagreements")}
    assert any("place" in (differ.get(e) or "") for e in beijing)  # Beijing or China
    between = {(r["when"], r["event"]) for r in rows("events_between")}
    assert ("2025-09-01", "Meeting of Vladimir Putin and Narendra Modi") in between
    met = [r for r in rows("leaders_met") if r["meeting"] in beijing]
    assert len(met) == 1 and met[0]["reports"] == "3" and met[0]["places"] == "Beijing"


def test_events_as_of_a_day_shows_only_what_was_published(event_store: Path, runner) -> None:  # type: ignore[no-untyped-def]
    from kg.asof import as_of
    from kg.cli import app

    store = Store(event_store, read_only=True)
    before = snapshot(store)
    march = as_of(store, "2025-03-18")
    assert set(events_of(march).values()) == {frozenset({"call-march-wire.txt", "call-march-dateline.txt"})}
    september = set(events_of(as_of(store, "2025-09-03")).values())
    assert frozenset({"meeting-beijing-wire.txt", "meeting-beijing-china.txt"}) in september
    assert snapshot(store) == before  # the store itself is untouched
    res = runner.invoke(app, ["query", "queries/leaders_met.rq", "--store", str(event_store), "--as-of", "2025-03-31",
                              "--format", "csv"])
    assert res.exit_code == 0 and res.output.count("Phone call") == 1, res.output
    res = runner.invoke(app, ["export", "--store", str(event_store), "--as-of", "2025-13-01"])
    assert res.exit_code == 1 and "YYYY-MM-DD" in res.output and "Traceback" not in res.output
