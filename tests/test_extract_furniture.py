"""The furniture stage on invented copy: datelines, bylines, captions, credits, Read more lines."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.ingest.text import parse_text
from kg.model import Article, Extraction
from kg.pipeline import load_project_resources


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_project_resources())


def _read(extractor: Extractor, body: str, date: str | None = "2025-05-08") -> Extraction:
    return extractor.extract(Article(body=body, path="t.txt", title="t", date=date))


@pytest.mark.parametrize(("body", "place", "agency"), [
    ("CAIRO, May 8 (Reuters) - Egypt's foreign minister Hani Sobhy said on Thursday the talks would go on.",
     "place/cairo", "org/reuters"),
    ("BEIJING, June 3. /TASS/. Chinese and Russian diplomats discussed trade on Tuesday.", "place/beijing", "org/tass"),
    ("WASHINGTON (AP) — The president said the deal was close.", "place/washington-d-c", "org/associated-press"),
    ("NEW DELHI, Oct 10 (Xinhua) -- India and Nepal signed a power trade pact.", "place/new-delhi", "org/xinhua"),
])
def test_extract_furniture_dateline_gives_place_and_agency(extractor: Extractor, body: str, place: str,
                                                           agency: str) -> None:
    ex = _read(extractor, body)
    assert (ex.filed_from, ex.filed_by) == (place, agency)
    assert all(c.claimant != agency for c in ex.claims)  # the agency filed the story; it claims nothing


@pytest.mark.parametrize(("body", "agency"), [
    ("PUTRAJAYA, July 28 (Bernama) -- Thailand and Cambodia agreed to a ceasefire.", "Bernama"),
    ("HANOI, April 15 (Vietnam Plus) - Vietnam and Laos signed a border pact.", "Vietnam Plus"),
    ("JAKARTA, Jan 11 (Antara) - Indonesia and Japan agreed to hold talks.", "Antara"),
])
def test_extract_furniture_dated_dateline_credit_is_an_outlet(extractor: Extractor, body: str, agency: str) -> None:
    """An agency the gazetteer lacks, credited between a known place with its date and the dash."""
    ex = _read(extractor, body)
    assert ex.filed_by is not None and ex.entities[ex.filed_by].label == agency
    assert ex.entities[ex.filed_by].cls == "MediaOutlet"


def test_extract_furniture_dateline_year_dates_an_undated_article(extractor: Extractor) -> None:
    ex = _read(extractor, "KINSHASA, June 27, 2025 (AFP) - Congo and Rwanda signed a deal.", date=None)
    assert ex.article.date == "2025-06-27" and ex.filed_by == "org/agence-france-presse"


def test_extract_furniture_no_dateline_in_ordinary_openings(extractor: Extractor) -> None:
    ex = _read(extractor, "U.S. officials said on Monday that Kenya would host the talks.")
    assert ex.filed_by is None and ex.filed_from is None


@pytest.mark.parametrize("line", [
    "By Jane Doe and Sam Ortiz",
    "(Photo: Reuters)",
    "FILE PHOTO: Kenyan President William Ruto meets Tanzanian President Samia Suluhu Hassan in Nairobi, Kenya.",
    "Kenyan President William Ruto met Tanzanian President Samia Suluhu Hassan in Nairobi. REUTERS/Tom Arlo",
    "Read more: Kenya and Tanzania agree to share power",
    "Also read | Ruto says Tanzania talks were frank",
    "Reporting by Ana Ruiz; Editing by Bill Stone",
])
def test_extract_furniture_lines_are_not_claims_or_events(extractor: Extractor, line: str) -> None:
    ex = _read(extractor, f"Kenya's cabinet met on Monday.\n\n{line}\n\nThe session ended late.")
    assert not ex.claims and not ex.cooperations
    assert not [e for e in ex.events if e.participants]
    assert not any(e.label in {"Tom Arlo", "Jane Doe", "Ana Ruiz", "Bill Stone"} for e in ex.entities.values())


def test_extract_furniture_sentence_opening_a_line_is_kept(extractor: Extractor) -> None:
    ex = _read(extractor, "Photographs of the meeting were released.\nKenyan President William Ruto said "
                          "the talks with Tanzania were frank.")
    assert [ex.entities[c.claimant].label for c in ex.claims] == ["William Ruto"]


@pytest.mark.parametrize(("first", "in_body"), [
    (" date 2025-05-08 CAIRO, May 8 (Reuters) - Egypt and Sudan signed a water accord on Thursday", True),
    (" date 2025-05-08 WASHINGTON (AP) — Egypt and Sudan signed a water accord", True),
    (" date 2025-05-08 Egypt and Sudan sign water accord", False),
])
def test_extract_furniture_first_line_dateline_is_the_opening_sentence(first: str, in_body: bool) -> None:
    art = parse_text(f"{first}\n\nThe deal was signed in Cairo.", "t.txt")
    head = first.split(" ", 3)[3]
    assert art.body.startswith(head) is in_body
    assert art.title == head
