"""Meetings: who a group word stands for, company who join a meeting told before, a second
encounter told as ``in a separate call``, and meetings only suggested or expected.

Invented sentences with real public names (the events are made up), each construction in
several wordings, outlets' styles and word orders.
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


def _short(keys: list[str]) -> frozenset[str]:
    return frozenset(k.rsplit("/", 1)[-1] for k in keys)


def _tables(extractor: Extractor, text: str) -> set[frozenset[str]]:
    return {_short(e.participants) for e in _meetings(extractor, text)}


@pytest.mark.parametrize("text", [
    "King Charles III has also suggested meeting Donald Trump at Balmoral.",
    "Pedro Sanchez is expected in Ankara on Tuesday for talks with Recep Tayyip Erdogan.",
    "Kyiv had proposed that Volodymyr Zelensky meet Vladimir Putin in Istanbul.",
    "Emmanuel Macron urged a meeting with Xi Jinping before the end of the year.",
    "Xi Jinping is expected to travel to Moscow next week for talks with Vladimir Putin.",
])
def test_extract_meetings_groups_suggested_or_expected_is_not_held(extractor: Extractor, text: str) -> None:
    assert _meetings(extractor, text) == []


@pytest.mark.parametrize("text", [
    "Emmanuel Macron suggested that he had met Vladimir Putin in Paris.",
    "Olaf Scholz said he met Xi Jinping in Beijing.",
])
def test_extract_meetings_groups_a_clause_of_saying_reports_a_held_meeting(extractor: Extractor, text: str) -> None:
    assert len(_meetings(extractor, text)) == 1


@pytest.mark.parametrize(("text", "tables"), [
    ("On Saturday, Donald Trump spoke by telephone with Hun Manet and, in a separate call, with Anwar Ibrahim.",
     {frozenset({"donald-trump", "hun-manet"}), frozenset({"donald-trump", "anwar-ibrahim"})}),
    ("Antony Blinken met Wang Yi on Monday and, in a separate meeting, Sergei Lavrov.",
     {frozenset({"antony-blinken", "wang-yi"}), frozenset({"antony-blinken", "sergey-lavrov"})}),
    ("Emmanuel Macron spoke by phone with Olaf Scholz and in a separate call with Giorgia Meloni.",
     {frozenset({"emmanuel-macron", "olaf-scholz"}), frozenset({"emmanuel-macron", "giorgia-meloni"})}),
    ("Narendra Modi held talks with Vladimir Putin and, in separate talks, with Xi Jinping.",
     {frozenset({"narendra-modi", "vladimir-putin"}), frozenset({"narendra-modi", "xi-jinping"})}),
])
def test_extract_meetings_groups_in_a_separate_call_is_another_encounter(
        extractor: Extractor, text: str, tables: set[frozenset[str]]) -> None:
    assert _tables(extractor, text) == tables


def test_extract_meetings_groups_a_trilateral_is_not_split(extractor: Extractor) -> None:
    text = "Wang Yi met Sergei Lavrov and Subrahmanyam Jaishankar in a trilateral meeting."
    assert _tables(extractor, text) == {frozenset({"wang-yi", "sergey-lavrov", "subrahmanyam-jaishankar"})}


@pytest.mark.parametrize(("text", "table", "delegates"), [
    ("Keir Starmer met Donald Trump at the White House. JD Vance and Marco Rubio joined the president "
     "for the meeting, while David Lammy sat with Starmer.",
     {"keir-starmer", "donald-trump"}, {"jd-vance", "marco-rubio"}),
    ("Keir Starmer welcomed Friedrich Merz to Downing Street. Joining the Prime Minister for the bilateral "
     "meeting were John Healey and Jonathan Powell.",
     {"keir-starmer", "friedrich-merz"}, {"john-healey", "jonathan-powell"}),
    ("Vladimir Putin held talks with Narendra Modi in the Kremlin. Sergei Lavrov and Yuri Ushakov "
     "accompanied Putin at the talks.",
     {"vladimir-putin", "narendra-modi"}, {"sergey-lavrov", "yury-ushakov"}),
])
def test_extract_meetings_groups_who_joins_the_meeting_told_before_is_a_delegate(
        extractor: Extractor, text: str, table: set[str], delegates: set[str]) -> None:
    met = _meetings(extractor, text)
    assert [_short(e.participants) for e in met] == [table]
    assert _short(met[0].delegates) == delegates


def test_extract_meetings_groups_a_third_country_that_joins_is_a_party(extractor: Extractor) -> None:
    text = "Donald Trump met Ahmed al-Sharaa in Riyadh. Recep Tayyip Erdogan joined them for the meeting by video link."
    assert _tables(extractor, text) == {frozenset({"donald-trump", "ahmed-al-sharaa", "recep-tayyip-erdogan"})}


def test_extract_meetings_groups_company_of_no_meeting_told_is_no_meeting(extractor: Extractor) -> None:
    text = "Joining the Prime Minister for the bilateral meeting were John Healey and Jonathan Powell."
    assert _meetings(extractor, text) == []


@pytest.mark.parametrize(("text", "tables"), [
    ("Donald Trump hosted Ilham Aliyev and Nikol Pashinyan at the White House, with Foreign Ministers "
     "Jeyhun Bayramov and Ararat Mirzoyan also present. Before the ceremony, Trump received each leader "
     "separately in the Oval Office.",
     {frozenset({"donald-trump", "ilham-aliyev", "nikol-pashinyan"}), frozenset({"donald-trump", "ilham-aliyev"}),
      frozenset({"donald-trump", "nikol-pashinyan"})}),
    ("Keir Starmer handed Donald Trump a letter from King Charles III on Thursday inviting him to a state "
     "visit, an offer Trump accepted as the two leaders opened talks at the White House.",
     {frozenset({"keir-starmer", "donald-trump"})}),
    ("WASHINGTON (AP) — Prime Minister Mark Carney gave President Donald Trump a message from King Charles III, "
     "and the two leaders then held talks in the Oval Office.",
     {frozenset({"mark-carney", "donald-trump"})}),
    ("Narendra Modi met Vladimir Putin on Monday. On Tuesday Xi Jinping welcomed Modi in Beijing, and the two "
     "leaders held talks for three hours.",
     {frozenset({"narendra-modi", "vladimir-putin"}), frozenset({"xi-jinping", "narendra-modi"})}),
])
def test_extract_meetings_groups_the_two_leaders_are_the_right_pair(
        extractor: Extractor, text: str, tables: set[frozenset[str]]) -> None:
    assert _tables(extractor, text) == tables


@pytest.mark.parametrize(("text", "table"), [
    ("On April 7, Prime Minister Shigeru Ishiba held a summit telephone talk with President Donald Trump in Tokyo.",
     {"shigeru-ishiba", "donald-trump"}),
    ("The summit in New Delhi was hosted by Narendra Modi. Anthony Albanese and Modi held summit talks in New Delhi.",
     {"anthony-albanese", "narendra-modi"}),
])
def test_extract_meetings_groups_a_summit_word_naming_the_talk_is_the_meeting(
        extractor: Extractor, text: str, table: set[str]) -> None:
    assert _short(_meetings(extractor, text)[0].participants) == table


@pytest.mark.parametrize(("text", "table"), [
    ("The ASEAN summit in Kuala Lumpur was chaired by Anwar Ibrahim and Prabowo Subianto. On the eve of the "
     "summit, Anwar held talks with Prabowo.", {"anwar-ibrahim", "prabowo-subianto"}),
    ("The SCO summit in Tianjin was hosted by Xi Jinping. Before the summit, Xi held talks with Vladimir Putin "
     "in Tianjin.", {"xi-jinping", "vladimir-putin"}),
    ("The second China-Central Asia summit took place in Astana. Ahead of the summit, Xi Jinping held talks "
     "with Kassym-Jomart Tokayev at the presidential residence.", {"xi-jinping", "kassym-jomart-tokayev"}),
])
def test_extract_meetings_groups_talks_before_a_summit_are_not_the_summit(
        extractor: Extractor, text: str, table: set[str]) -> None:
    assert [_short(e.participants) for e in _meetings(extractor, text)] == [table]


@pytest.mark.parametrize(("text", "table"), [
    ("On May 21, 2025, Member of the Political Bureau of the CPC Central Committee and Foreign Minister Wang Yi "
     "hosted an informal trilateral meeting with Deputy Prime Minister and Foreign Minister of Pakistan Mohammad "
     "Ishaq Dar and Acting Foreign Minister of the Afghan Interim Government Amir Khan Muttaqi in Beijing.",
     {"wang-yi", "ishaq-dar", "amir-khan-muttaqi"}),
    ("Secretary of State Antony Blinken convened a trilateral meeting with Foreign Minister of Japan Yoko "
     "Kamikawa and Foreign Minister of the Republic of Korea Cho Tae-yul in Washington.",
     {"antony-blinken", "yoko-kamikawa", "cho-tae-yul"}),
    ("Anthony Albanese held a trilateral meeting with Narendra Modi in Sydney.", {"anthony-albanese", "narendra-modi"}),
])
def test_extract_meetings_groups_a_trilateral_seats_three_when_three_are_named(
        extractor: Extractor, text: str, table: set[str]) -> None:
    assert [_short(e.participants) for e in _meetings(extractor, text)] == [table]
