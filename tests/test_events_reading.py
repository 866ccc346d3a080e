"""What event identity needs from each report: calls read as calls, the event's own date, the
classes one real event is reported under, and index keys that never miss a candidate.

Invented sentences with real public names; the dates are the tests' own.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kg.extract import Extractor
from kg.extract.dates import resolve
from kg.identity import Report, World
from kg.identity.cluster import agree, cluster, dates_agree
from kg.identity.report import identity_keys
from kg.identity.storage import load_world
from kg.model import Article, Event
from kg.pipeline import load_ontology, load_project_resources
from kg.store import Store

P = "https://w3id.org/newskg/id/person/"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_project_resources())


def _events(extractor: Extractor, text: str, day: str = "2025-02-12") -> list[Event]:
    return extractor.extract(Article(body=text, path="invented.txt", date=day)).events


@pytest.mark.parametrize("text", [
    "Vladimir Putin held a telephone conversation with President of the United States Donald Trump.",
    "Donald Trump held a phone call with Vladimir Putin on Wednesday.",
    "Donald Trump had a telephone conversation with Vladimir Putin on Wednesday.",
    "President Donald Trump said Wednesday that he had a lengthy phone call with Russian President Vladimir Putin.",
    "Donald Trump and Vladimir Putin spoke by phone on Wednesday.",
    "A phone call between Donald Trump and Vladimir Putin took place on Wednesday.",
    "A day after Donald Trump held a phone call with Vladimir Putin, officials in Kyiv were trying to reassure the public.",
])
def test_events_call_phrasings_read_as_one_phone_call(extractor: Extractor, text: str) -> None:
    calls = [e for e in _events(extractor, text) if e.cls == "PhoneCall"]
    assert [sorted(k.rsplit("/", 1)[-1] for k in e.participants) for e in calls] == [["donald-trump", "vladimir-putin"]]


@pytest.mark.parametrize(("text", "day"), [
    ("Donald Trump had a phone call with Vladimir Putin on Wednesday. It was the first publicly confirmed "
     "conversation between Donald Trump and Vladimir Putin since February 2022.", "2025-02-12"),
    ("Kim Jong Un and Vladimir Putin met at the Vostochny Cosmodrome on Wednesday. It was the first meeting "
     "between Kim Jong Un and Vladimir Putin since they met in Vladivostok in April 2019.", "2023-09-13"),
])
def test_events_recalled_dates_do_not_date_the_event(extractor: Extractor, text: str, day: str) -> None:
    (ev,) = [e for e in _events(extractor, text, day) if e.cls in {"Meeting", "PhoneCall"}]
    assert ev.date == day


def test_events_bare_weekdays_resolve_against_the_article_date() -> None:
    assert resolve("Trump said Wednesday that", "2025-02-13") == "2025-02-12"
    assert resolve("Monday's talks", "2025-02-13") == "2025-02-10"
    assert resolve("they will meet next Friday", "2025-02-13") is None


def _rep(key: str, who: str, cls: str, *, day: str | None = "2024-06-19", places: str = "") -> Report:
    return Report(key=key, graph=key.split("-")[0], cls=cls, agents=frozenset(P + w for w in who.split()),
                  places=frozenset(places.split()), date=day, published="2024-06-20", label=key)


@pytest.fixture(scope="module")
def world() -> World:
    store = Store(None)
    load_ontology(store, load_project_resources())
    return load_world(store)


def test_events_a_visit_and_its_talks_are_one_event_and_calls_stay_apart(world: World) -> None:
    visit = _rep("a-1", "vladimir-putin", "Visit", places="place/pyongyang")
    talks = _rep("b-1", "vladimir-putin kim-jong-un", "Meeting", places="place/pyongyang")
    summit = _rep("c-1", "vladimir-putin kim-jong-un", "Summit")
    call = _rep("d-1", "vladimir-putin kim-jong-un", "PhoneCall")
    elsewhere = _rep("e-1", "vladimir-putin narendra-modi", "Meeting", places="place/moscow")
    assert agree(visit, talks, world) and agree(visit, summit, world) and agree(talks, summit, world)
    assert not agree(visit, call, world) and not agree(summit, call, world)
    assert not agree(visit, elsewhere, world)  # a visit told as talks must be placed where it went
    assert [len(g) for g in cluster([visit, talks, summit, call, elsewhere], world)] == [3, 1, 1]


def test_events_reports_that_may_agree_are_found_by_their_keys(world: World) -> None:
    base = date(2025, 2, 26)
    shapes: list[str | None] = [None, "2025", "2025-02", "2025-03"]
    shapes += [(base + timedelta(days=d)).isoformat() for d in range(-12, 13)]
    reports = [Report(f"r{i}-1", f"r{i}", "Meeting", frozenset({P + "a", P + "b"}), frozenset(), d,
                      pub if d is None else "2025-02-26")
               for i, (d, pub) in enumerate((d, p) for d in shapes for p in ("2025-02-26", "2025-03-05"))]
    reports.append(Report("undated-1", "undated", "Meeting", frozenset({P + "b"}), frozenset(), None, None))
    for a in reports:
        for b in reports:
            if dates_agree(a, b):
                assert set(identity_keys(a)) & set(identity_keys(b)), (a.date, a.published, b.date, b.published)


def _people(events: list[Event]) -> list[list[str]]:
    return [sorted(k.rsplit("/", 1)[-1] for k in e.participants) for e in events if e.cls in {"Meeting", "PhoneCall"}]


def test_events_a_statement_speaks_in_its_speakers_voice(extractor: Extractor) -> None:
    statement = Article(title="Statement from President Joe Biden on Travel to Kyiv", path="invented.md",
                        date="2023-02-20", body="In my meeting with President Volodymyr Zelensky today, I announced "
                        "new assistance for Ukraine.")
    readout = Article(title="Readout of President Donald Trump's Call with President Volodymyr Zelensky of Ukraine",
                      path="invented.md", date="2025-03-19",
                      body="The President spoke by phone with President Volodymyr Zelensky of Ukraine today.")
    news = Article(title="Zelensky speaks to reporters", path="invented.txt", date="2025-03-19",
                   body='"I met my friend in Kyiv," Volodymyr Zelensky said of his talks.')
    assert _people(extractor.extract(statement).events) == [["joe-biden", "volodymyr-zelensky"]]
    assert _people(extractor.extract(readout).events) == [["donald-trump", "volodymyr-zelensky"]]
    assert _people(extractor.extract(news).events) == []


def test_events_two_leaders_holding_a_summit_meet(extractor: Extractor) -> None:
    text = "Kim Jong Un and Vladimir Putin held a summit at the Vostochny Cosmodrome on Wednesday."
    (ev,) = [e for e in _events(extractor, text, "2023-09-13") if e.cls in {"Meeting", "PhoneCall"}]
    assert sorted(k.rsplit("/", 1)[-1] for k in ev.participants) == ["kim-jong-un", "vladimir-putin"]
    assert ev.date == "2023-09-13"


def test_events_what_the_two_discussed_after_a_call_is_the_call(extractor: Extractor) -> None:
    text = ("Vladimir Putin and Donald Trump spoke by phone on Tuesday, the Kremlin said. The two leaders discussed "
            "a possible ceasefire, according to a statement published after the conversation.")
    assert [e.cls for e in _events(extractor, text, "2025-03-18") if e.cls in {"Meeting", "PhoneCall"}] == ["PhoneCall"]
