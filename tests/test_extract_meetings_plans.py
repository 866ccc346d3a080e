"""Meetings that a sentence only plans, read through coordination; and those it reports beside a plan.

Invented sentences with real public names (the events are made up), each construction in several
wordings: a verb coordinated with a planned one (``is scheduled to ..., meet Y``, ``is to host X and
hold talks with Y``, ``will fly to X and meet Y``) shares the plan; a held meeting coordinated with
another held one stays held.
"""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Article, Event
from kg.pipeline import load_project_resources


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_project_resources())


def _meetings(extractor: Extractor, text: str) -> list[Event]:
    ext = extractor.extract(Article(body=text, path="invented.txt", date="2025-05-12"))
    return [e for e in ext.events if e.cls in {"Meeting", "PhoneCall"}]


def _who(events: list[Event]) -> list[set[str]]:
    return [{k.rsplit("/", 1)[-1] for k in e.participants} for e in events]


@pytest.mark.parametrize("text", [
    "During the trip, President Lula is scheduled to hold talks with Prime Minister Pham Minh Chinh, "
    "meet National Assembly Chairman Tran Thanh Man and attend a business forum.",
    "Tomorrow Narendra Modi is to host Emmanuel Macron for lunch and hold talks with Justin Trudeau.",
    "Anthony Albanese will fly to Tokyo on Sunday and meet Prime Minister Shigeru Ishiba.",
    "Keir Starmer is expected to arrive in Washington on Thursday and hold talks with Donald Trump.",
    "Recep Tayyip Erdogan plans to visit Baghdad next month and sit down with Mohammed Shia al-Sudani.",
])
def test_extract_meetings_plans_a_verb_coordinated_with_a_plan_is_planned(extractor: Extractor, text: str) -> None:
    assert _meetings(extractor, text) == []


@pytest.mark.parametrize(("text", "pairs"), [
    ("Vladimir Putin met Xi Jinping in Beijing on Monday and held talks with Narendra Modi on Tuesday.",
     [{"vladimir-putin", "xi-jinping"}, {"vladimir-putin", "narendra-modi"}]),
    ("Recep Tayyip Erdogan flew to Tehran and met Masoud Pezeshkian at the presidential palace.",
     [{"recep-tayyip-erdogan", "masoud-pezeshkian"}]),
    ("Emmanuel Macron arrived in Berlin and held talks with Friedrich Merz over dinner.",
     [{"emmanuel-macron", "friedrich-merz"}]),
])
def test_extract_meetings_plans_a_verb_coordinated_with_a_held_one_is_held(
        extractor: Extractor, text: str, pairs: list[set[str]]) -> None:
    assert _who(_meetings(extractor, text)) == pairs


@pytest.mark.parametrize(("text", "pairs"), [
    ("Shigeru Ishiba invited Jonas Gahr Store to visit Japan, and the two leaders met in Oslo on Tuesday.",
     [{"shigeru-ishiba", "jonas-gahr-støre"}]),
    ("Emmanuel Macron agreed to travel to Kyiv, and Volodymyr Zelensky met him in Paris on Friday.",
     [{"emmanuel-macron", "volodymyr-zelensky"}]),
])
def test_extract_meetings_plans_a_clause_with_its_own_subject_tells_its_own_event(
        extractor: Extractor, text: str, pairs: list[set[str]]) -> None:
    assert _who(_meetings(extractor, text)) == pairs
