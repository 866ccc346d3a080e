"""The entities stage on invented sentences: people the gazetteer lacks, typed by the role words
wire copy introduces them with, affiliated to the country a possessive or demonym names."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Article, Entity
from kg.pipeline import load_project_resources


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_project_resources())


def _people(extractor: Extractor, body: str) -> dict[str, Entity]:
    ex = extractor.extract(Article(body=body, path="t.txt", title="t", date="2025-05-08"))
    return {e.label: e for e in ex.entities.values() if e.key.startswith("person/")}


@pytest.mark.parametrize(("sentence", "name", "cls", "role", "affiliation"), [
    ("Brazil's Foreign Minister Joana Prates met her counterpart.", "Joana Prates", "Official", "Foreign Minister",
     "place/brazil"),
    ("U.S. special envoy Marcus Hale said the talks were useful.", "Marcus Hale", "Official", "Special envoy",
     "place/united-states"),
    ("Vice Premier Li Dongmei opened the forum.", "Li Dongmei", "Official", "Vice Premier", None),
    ("Foreign Secretary Hannah Croft flew to Oslo.", "Hannah Croft", "Official", "Foreign Secretary", None),
    ("Nigerian Defence Minister Musa Bello told reporters the talks went well.", "Musa Bello", "Official",
     "Defence Minister", "place/nigeria"),
    ("Kenyan President Daniel Mwangi opened the summit.", "Daniel Mwangi", "Leader", "President", "place/kenya"),
    ("Chile's Prime Minister Rosa Alvear arrived on Monday.", "Rosa Alvear", "Leader", "Prime Minister", "place/chile"),
    ("Political analyst Ivo Marek said the pact was fragile.", "Ivo Marek", "Expert", "Political analyst", None),
])
def test_extract_entities_role_prefixed_name(extractor: Extractor, sentence: str, name: str, cls: str, role: str,
                                             affiliation: str | None) -> None:
    person = _people(extractor, sentence)[name]
    assert (person.cls, person.role, person.affiliation) == (cls, role, affiliation)


def test_extract_entities_field_rank_is_an_official(extractor: Extractor) -> None:
    person = _people(extractor, "Field Marshal Omar Rauf attended the signing.")["Omar Rauf"]
    assert person.cls == "Official" and person.role == "Field Marshal"


def test_extract_entities_photo_credit_is_no_person(extractor: Extractor) -> None:
    people = _people(extractor, "The ministers met in Nairobi.\nThe ministers shake hands. REUTERS/Tom Arlo")
    assert "Tom Arlo" not in people
