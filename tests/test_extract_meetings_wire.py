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


def test_extract_meetings_wire_the_pronoun_is_the_other_side_not_the_last_official(extractor: Extractor) -> None:
    text = ("Narendra Modi arrived in Kyiv by train. He was accompanied by National Security Adviser Ajit Doval. "
            "Volodymyr Zelensky met him at the museum.")
    assert _who(_meetings(extractor, text)) == [{"narendra-modi", "volodymyr-zelensky"}]


def test_extract_meetings_wire_planned_talks_coordinated_with_a_visit(extractor: Extractor) -> None:
    text = "Xi Jinping is set to travel to Europe next month for a state visit to France and talks with Emmanuel Macron."
    assert _meetings(extractor, text) == []


def test_extract_meetings_wire_a_ministers_counterpart_is_no_prime_minister(extractor: Extractor) -> None:
    text = ("External Affairs Minister S. Jaishankar welcomed David Lammy in New Delhi, where Keir Starmer's "
            "government had sent him. EAM held talks with his British counterpart.")
    assert _who(_meetings(extractor, text)) == [{"subrahmanyam-jaishankar", "david-lammy"}]


@pytest.mark.parametrize("text", [
    "Shigeru Ishiba said he looked forward to welcoming Donald Trump to Japan at an early date.",
    "Narendra Modi said he hoped to receive Keir Starmer in India soon.",
    "Narendra Modi expressed the hope of hosting Keir Starmer in India.",
])
def test_extract_meetings_wire_a_wish_to_host_is_an_invitation(extractor: Extractor, text: str) -> None:
    ext = _read(extractor, text)
    assert [e for e in ext.events if e.cls in {"Meeting", "PhoneCall"}] == []
    assert len([e for e in ext.events if e.cls == "Invitation" and len(e.initiator) == 1 and len(e.participants) == 1]) == 1


def test_extract_meetings_wire_the_title_of_a_holder_the_gazetteer_calls_former(extractor: Extractor) -> None:
    """The gazetteer's roles are today's (``former Chancellor``); a 2024 report's ``the chancellor`` is him."""
    text = "Olaf Scholz arrived in Beijing. Over lunch, the chancellor held talks with Premier Li Qiang."
    ext = extractor.extract(Article(body=text, path="invented.txt", date="2024-04-16"))
    assert _who([e for e in ext.events if e.cls == "Meeting"]) == [{"olaf-scholz", "li-qiang"}]


def test_extract_meetings_wire_a_title_before_a_comma_is_still_a_title(extractor: Extractor) -> None:
    text = ("Omani Foreign Minister Badr Albusaidi hosted the talks. Abbas Araqchi and Steve Witkoff spoke directly "
            "in the presence of the Omani minister, Iran's foreign ministry said.")
    assert {"abbas-araghchi", "steve-witkoff", "badr-albusaidi"} in _who(_meetings(extractor, text))
