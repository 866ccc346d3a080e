"""How reports name an event's principals: titles read by the article's date (``ontology/offices.yaml``),
``his meeting with X``, a summit hosted and attended by people, talks that are the summit itself,
a visit that is under way, and a verb of talking whose ``with`` phrase is not right after it.

Invented sentences with real public names and real terms of office.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.errors import GazetteerError
from kg.extract import Extractor
from kg.extract.offices import load_offices
from kg.model import Article, Event
from kg.pipeline import load_project_resources

P = "person/"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_project_resources())


def _extract(extractor: Extractor, text: str, day: str, title: str | None = None) -> tuple[list[Event], dict[str, str]]:
    ex = extractor.extract(Article(body=text, path="invented.txt", date=day, title=title))
    return ex.events, {ex.article.body[m.start:m.end]: m.key for m in ex.mentions}


def _people(ev: Event) -> list[str]:
    return sorted(k.removeprefix(P) for k in ev.participants if k.startswith(P))


def test_events_offices_give_the_holder_on_a_day(extractor: Extractor) -> None:
    offices = extractor.resources.offices
    assert offices.holder("place/united-states", date(2019, 6, 1)) == "person/donald-trump"
    assert offices.holder("place/united-states", date(2024, 4, 2)) == "person/joe-biden"
    assert offices.holder("place/united-states", date(2025, 1, 20)) == "person/donald-trump"  # the day a term starts
    assert offices.holder("place/germany", date(2019, 12, 9)) == "person/angela-merkel"
    assert offices.holder("place/germany", date(2023, 1, 1)) == "person/olaf-scholz"
    assert offices.held("person/joe-biden", date(2024, 4, 2)) == ["president"]
    assert offices.held("person/joe-biden", date(2019, 6, 1)) == []


def test_events_offices_file_errors_name_the_file(tmp_path: Path, extractor: Extractor) -> None:
    bad = tmp_path / "offices.yaml"
    bad.write_text("- country: France\n  office: President\n  holders: [{person: Emmanuel Macron}]\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="offices.yaml"):
        load_offices(bad, extractor.resources.gazetteer)


def test_events_a_readout_president_is_the_president_of_its_day(extractor: Extractor) -> None:
    """The gazetteer calls Biden a former President; a 2024 readout's "The President" is him."""
    text = ("President Joseph R. Biden, Jr. spoke today with President Xi Jinping of the People's Republic of China. "
            "The President raised concerns over the PRC's support for Russia's defense industrial base.")
    events, names = _extract(extractor, text, "2024-04-02", "Readout of President Joe Biden's Call with President Xi Jinping")
    assert names["The President"] == "person/joe-biden"
    assert "President" not in names  # the title word of "President Xi" is no name of Xi's
    (ev,) = [e for e in events if e.cls in {"Meeting", "PhoneCall"}]
    assert _people(ev) == ["joe-biden", "xi-jinping"] and ev.date == "2024-04-02"


def test_events_a_first_person_post_speaks_for_the_person_its_title_opens_with(extractor: Extractor) -> None:
    text = "I spoke today with President of the People's Republic of China Xi Jinping. The conversation was long."
    events, _ = _extract(extractor, text, "2023-04-26", "Volodymyr Zelensky had a phone conversation with Xi Jinping")
    assert [_people(e) for e in events if e.cls in {"Meeting", "PhoneCall"}] == [["volodymyr-zelensky", "xi-jinping"]]


def test_events_the_office_of_a_country_not_named_is_its_holder_then(extractor: Extractor) -> None:
    _, names = _extract(extractor, "The German chancellor said the talks had produced movement.", "2019-12-10")
    assert names["The German chancellor"] == "person/angela-merkel"
    _, names = _extract(extractor, "The German chancellor said the talks had produced movement.", "2023-03-01")
    assert names["The German chancellor"] == "person/olaf-scholz"


def test_events_his_meeting_with_someone_is_the_owners(extractor: Extractor) -> None:
    text = "President Volodymyr Zelensky was back in Kyiv after his first meeting with Vladimir Putin."
    events, _ = _extract(extractor, text, "2019-12-10")
    assert [_people(e) for e in events if e.cls == "Meeting"] == [["vladimir-putin", "volodymyr-zelensky"]]


def test_events_a_summit_hosted_and_attended_by_people_has_them(extractor: Extractor) -> None:
    text = ("The two presidents sat across the table yesterday in the French capital, at a summit hosted by "
            "French President Emmanuel Macron and attended by German Chancellor Angela Merkel.")
    events, _ = _extract(extractor, text, "2019-12-10")
    (summit,) = [e for e in events if e.cls == "Summit"]
    assert _people(summit) == ["angela-merkel", "emmanuel-macron"] and summit.date == "2019-12-09"


def test_events_hosts_who_bring_leaders_together_meet_them(extractor: Extractor) -> None:
    text = ("Merkel and French President Emmanuel Macron brought together Russia's Vladimir Putin and Ukraine's "
            "Volodymyr Zelensky at the Elysee Palace.")
    events, _ = _extract(extractor, text, "2019-12-10")
    assert [_people(e) for e in events if e.cls == "Meeting"] == [
        ["angela-merkel", "emmanuel-macron", "vladimir-putin", "volodymyr-zelensky"]]


def test_events_talks_told_as_the_summit_are_the_summit(extractor: Extractor) -> None:
    """One summit told as "the summit" and as "their talks" in one sentence is one event, with
    every leader the talks seat."""
    one = "Joe Biden and Vladimir Putin held talks at their summit in Geneva on Wednesday."
    events, _ = _extract(extractor, one, "2021-06-16")
    assert [(e.cls, _people(e)) for e in events if e.cls in {"Meeting", "Summit"}] == [
        ("Summit", ["joe-biden", "vladimir-putin"])]
    four = ("Vladimir Putin, Volodymyr Zelensky, Emmanuel Macron and Angela Merkel held talks at the Normandy "
            "format summit in Paris on Monday.")
    events, _ = _extract(extractor, four, "2019-12-10")
    assert [(e.cls, len(_people(e)), e.date) for e in events if e.cls in {"Meeting", "Summit"}] == [
        ("Summit", 4, "2019-12-09")]


def test_events_a_call_at_another_time_is_not_part_of_a_planned_summit(extractor: Extractor) -> None:
    text = ("Manila and Washington are preparing for a leaders' meeting with Japan next week, the first such "
            "trilateral summit. Joe Biden and Xi Jinping spoke on Tuesday for the first time since they met in November.")
    events, _ = _extract(extractor, text, "2024-04-05")
    assert not [e for e in events if e.cls == "Summit" and e.participants]


def test_events_a_visit_under_way_at_someones_invitation_is_a_visit(extractor: Extractor) -> None:
    text = ("Prime Minister Shri Narendra Modi is on an official visit to Ukraine today at the invitation of "
            "Mr. Volodymyr Zelenskyy, President of Ukraine.")
    events, _ = _extract(extractor, text, "2024-08-23")
    (visit,) = [e for e in events if e.cls == "Visit"]
    assert visit.initiator == ["person/narendra-modi"] and visit.destination == ["place/ukraine"]
    assert visit.date == "2024-08-23"
    text = "Narendra Modi invited Volodymyr Zelenskyy to visit India at a convenient time."
    assert not [e for e in _extract(extractor, text, "2024-08-23")[0] if e.cls == "Visit"]


def test_events_a_dateline_read_as_a_subject_leaves_the_speaker_in(extractor: Extractor) -> None:
    text = ("BEIJING, April 26 (Xinhua) -- Chinese President Xi Jinping on Wednesday talked over the phone with "
            "Ukrainian President Volodymyr Zelensky, the two sides exchanging views.")
    events, _ = _extract(extractor, text, "2023-04-26")
    calls = [e for e in events if e.cls in {"Meeting", "PhoneCall"}]
    assert [_people(e) for e in calls] == [["volodymyr-zelensky", "xi-jinping"]]


def test_events_a_modal_of_the_main_clause_does_not_unmake_a_meeting_after_which_it_is_said(extractor: Extractor) -> None:
    text = ("Ukrainian President Volodymyr Zelenskyy said the relationship could still be saved after his meeting "
            "with US President Donald Trump at the White House on Feb. 28 ended in a public row.")
    events, _ = _extract(extractor, text, "2025-03-01")
    assert [(_people(e), e.date) for e in events if e.cls == "Meeting"] == [
        (["donald-trump", "volodymyr-zelensky"], "2025-02-28")]
    planned = "Zelenskyy said he could meet Trump after the talks in Riyadh."
    assert not [e for e in _extract(extractor, planned, "2025-03-01")[0] if e.cls == "Meeting" and len(e.participants) >= 2]


def _article(extractor: Extractor, text: str, day: str, source: str | None) -> tuple[list[Event], dict[str, str]]:
    ex = extractor.extract(Article(body=text, path="invented.txt", date=day, source=source))
    return ex.events, {ex.article.body[m.start:m.end]: m.key for m in ex.mentions}


def test_events_the_office_of_the_publishing_government_is_its_holder(extractor: Extractor) -> None:
    """An untitled readout: "The Prime Minister" of a Downing Street text is the UK's prime minister
    of its day; of a text no government publishes, nobody."""
    text = "The Prime Minister met President Zelenskyy in Kyiv today."
    events, names = _article(extractor, text, "2022-11-19", "Prime Minister's Office, 10 Downing Street")
    assert names["The Prime Minister"] == "person/rishi-sunak"
    assert [_people(e) for e in events if e.cls == "Meeting"] == [["rishi-sunak", "volodymyr-zelensky"]]
    _, names = _article(extractor, text, "2024-08-01", "Prime Minister's Office, 10 Downing Street")
    assert names["The Prime Minister"] == "person/keir-starmer"
    _, names = _article(extractor, text, "2022-11-19", "A weekly paper")
    assert "The Prime Minister" not in names


def test_events_the_office_of_a_country_is_its_holder(extractor: Extractor) -> None:
    text = "The President of Ukraine held a telephone conversation with the Russian president Vladimir Putin."
    events, names = _article(extractor, text, "2018-02-10", None)
    assert names["The President of Ukraine"] == "person/petro-poroshenko"
    assert [_people(e) for e in events if e.cls == "PhoneCall"] == [["petro-poroshenko", "vladimir-putin"]]


def test_events_a_call_received_from_someone_is_a_call_with_them(extractor: Extractor) -> None:
    text = ("Prime Minister Shri Narendra Modi received a telephone call today from the President of the United "
            "States of America, H.E. Mr. Joseph R. Biden.")
    events, _ = _article(extractor, text, "2024-08-26", None)
    assert [(e.cls, _people(e)) for e in events if e.cls in {"Meeting", "PhoneCall"}] == [
        ("PhoneCall", ["joe-biden", "narendra-modi"])]
    events, _ = _article(extractor, "Modi received a call from Biden on Monday.", "2024-08-26", None)
    assert [(e.cls, e.date) for e in events] == [("PhoneCall", "2024-08-26")]
    assert not _article(extractor, "Vladimir Putin received a letter from Kim Jong Un.", "2024-08-26", None)[0]


def test_events_a_call_for_something_is_no_telephone_call(extractor: Extractor) -> None:
    text = "Vladimir Putin received Narendra Modi's call for a ceasefire coolly."
    assert not [e for e in _article(extractor, text, "2024-08-26", None)[0] if e.cls == "PhoneCall"]


def test_events_a_summit_no_sentence_peoples_has_the_people_of_its_talks(extractor: Extractor) -> None:
    """A live blog: "tonight's summit" names no one, its entries tell each encounter."""
    text = ("16.15 - Welcome to our live coverage of tonight's Normandy format summit in Paris.\n\n"
            "17.05 - Emmanuel Macron greeted Angela Merkel at the steps.\n\n"
            "20.55 - The bilateral between Vladimir Putin and Volodymyr Zelensky has ended after an hour.")
    events, _ = _extract(extractor, text, "2019-12-09")
    (summit,) = [e for e in events if e.cls == "Summit"]
    assert _people(summit) == ["angela-merkel", "emmanuel-macron", "vladimir-putin", "volodymyr-zelensky"]
    assert sorted(_people(e) for e in events if e.part_of == summit.key) == [
        ["angela-merkel", "emmanuel-macron"], ["vladimir-putin", "volodymyr-zelensky"]]
