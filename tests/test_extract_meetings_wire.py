"""Meetings and invitations in wire and readout phrasing, one construction per test.

Invented sentences with real public names (the events are made up): who the parties are when the
counterpart is a pronoun, an acronym of an office, ``the Saudi host`` or ``his counterpart`` under
another title; when a meeting only planned or asked for is not held; when a companion is a delegate;
when ``the two leaders`` are the pair who met a few sentences back.
"""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Article, Event, Extraction
from kg.pipeline import load_project_resources


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_project_resources())


def _read(extractor: Extractor, text: str) -> Extraction:
    return extractor.extract(Article(body=text, path="invented.txt", date="2025-05-12"))


def _short(keys: list[str]) -> set[str]:
    return {k.rsplit("/", 1)[-1] for k in keys}


def _meetings(extractor: Extractor, text: str) -> list[Event]:
    return [e for e in _read(extractor, text).events if e.cls in {"Meeting", "PhoneCall"}]


def _who(events: list[Event]) -> list[set[str]]:
    return [_short(e.participants) for e in events]


def test_extract_meetings_wire_an_office_word_is_not_a_surname(extractor: Extractor) -> None:
    """``President Xi`` once made every capitalised ``President`` in the article Xi."""
    text = ("President Xi met Prime Minister Narendra Modi in Kazan on Wednesday. "
            "Modi had held talks with Russian President Vladimir Putin on Tuesday.")
    assert sorted(map(sorted, _who(_meetings(extractor, text)))) == [
        ["narendra-modi", "vladimir-putin"], ["narendra-modi", "xi-jinping"]]


def test_extract_meetings_wire_object_pronoun_is_the_person_named_before(extractor: Extractor) -> None:
    text = "Xi Jinping told Anthony Albanese that ties were improving, as the Australian leader met him in Beijing."
    assert _who(_meetings(extractor, text)) == [{"anthony-albanese", "xi-jinping"}]


@pytest.mark.parametrize("text", [
    "Lee Jae-myung is set to fly to Washington on Sunday for his first summit with Donald Trump.",
    "Narendra Modi and Xi Jinping directed Ajit Doval and Wang Yi to meet at an early date.",
])
def test_extract_meetings_wire_planned_or_asked_for_through_the_parse(extractor: Extractor, text: str) -> None:
    assert _meetings(extractor, text) == []


def test_extract_meetings_wire_a_modal_of_another_clause_does_not_cancel_it(extractor: Extractor) -> None:
    text = "Xi Jinping said the two countries should be partners, as Anthony Albanese met him on Tuesday."
    assert _who(_meetings(extractor, text)) == [{"anthony-albanese", "xi-jinping"}]


def test_extract_meetings_wire_their_summit_is_the_subjects_meeting(extractor: Extractor) -> None:
    text = ("TOKYO, Aug. 23 (Yonhap) -- Lee Jae-myung and Japanese Prime Minister Shigeru Ishiba agreed to "
            "resume shuttle visits, in their summit held in Tokyo.")
    assert _who(_meetings(extractor, text)) == [{"lee-jae-myung", "shigeru-ishiba"}]


def test_extract_meetings_wire_the_two_leaders_are_the_pair_who_met_sentences_before(extractor: Extractor) -> None:
    text = ("Lee Jae-myung and Shigeru Ishiba agreed to resume shuttle visits, in their summit held in Tokyo. "
            "Lee arrived in the morning. He is set to fly on to see Donald Trump on Sunday. "
            "The two leaders first sat down for a small-group meeting.")
    assert _who(_meetings(extractor, text)) == [{"lee-jae-myung", "shigeru-ishiba"}]


def test_extract_meetings_wire_joined_at_the_meeting_by_is_a_delegate(extractor: Extractor) -> None:
    text = ("Anthony Albanese met Xi Jinping at the Great Hall of the People. "
            "Albanese was joined at the meeting by Trade Minister Don Farrell.")
    ms = _meetings(extractor, text)
    assert _who(ms) == [{"anthony-albanese", "xi-jinping"}]
    assert _short(ms[0].delegates) == {"don-farrell"}


def test_extract_meetings_wire_a_third_countrys_leader_joining_is_a_party(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Donald Trump and Volodymyr Zelensky were joined by Keir Starmer for the talks.")
    assert _who(ms) == [{"donald-trump", "volodymyr-zelensky", "keir-starmer"}]


def test_extract_meetings_wire_members_of_a_hosted_team_sit_at_the_table(extractor: Extractor) -> None:
    text = ("Hakan Fidan hosted Marco Rubio and a Ukrainian team that included Andriy Yermak and "
            "Andrii Sybiha for a trilateral meeting.")
    assert _who(_meetings(extractor, text)) == [{"hakan-fidan", "marco-rubio", "andriy-yermak", "andriy-sybiha"}]


def test_extract_meetings_wire_the_demonym_host_is_that_countrys_leader(extractor: Extractor) -> None:
    text = ("Joko Widodo held talks with Saudi Crown Prince Mohammed bin Salman in Riyadh. "
            "The Saudi host then received Singapore's Prime Minister Lee Hsien Loong, and later Vietnam's "
            "Prime Minister Pham Minh Chinh.")
    assert sorted(map(sorted, _who(_meetings(extractor, text)))) == [
        ["joko-widodo", "mohammed-bin-salman"], ["lee-hsien-loong", "mohammed-bin-salman"],
        ["mohammed-bin-salman", "pham-minh-chinh"]]


def test_extract_meetings_wire_office_acronym_and_counterpart_under_another_title(extractor: Extractor) -> None:
    text = ("External Affairs Minister S. Jaishankar arrived in Moscow at the invitation of Russian Foreign "
            "Minister Sergey Lavrov. He also saw First Deputy Prime Minister Denis Manturov. "
            "On Thursday, EAM held talks with his Russian counterpart.")
    assert _who(_meetings(extractor, text)) == [{"subrahmanyam-jaishankar", "sergey-lavrov"}]


def test_extract_meetings_wire_an_honorific_does_not_end_the_sentence(extractor: Extractor) -> None:
    text = "S. Jaishankar called on President of the Russian Federation H.E. Mr. Vladimir Putin at the Kremlin."
    assert _who(_meetings(extractor, text)) == [{"subrahmanyam-jaishankar", "vladimir-putin"}]


def test_extract_meetings_wire_at_the_invitation_of_two_hosts(extractor: Extractor) -> None:
    text = "Xi Jinping is paying a state visit to Vietnam at the invitation of To Lam and Vietnamese President Luong Cuong."
    invs = [(_short(e.initiator), _short(e.participants)) for e in _read(extractor, text).events if e.cls == "Invitation"]
    assert invs == [({"to-lam", "luong-cuong"}, {"xi-jinping"})]
