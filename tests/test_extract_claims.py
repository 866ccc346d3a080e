"""The claims stage on invented sentences: institutions, groups and unnamed sources, the
``experts react`` layout, and quotes introduced by a colon or a dash."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Article, Extraction
from kg.pipeline import load_project_resources


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_project_resources())


def _read(extractor: Extractor, body: str) -> Extraction:
    return extractor.extract(Article(body=body, path="t.txt", title="t", date="2025-05-08"))


def _claimants(ex: Extraction) -> list[tuple[str, str, str | None]]:
    return [(ex.entities[c.claimant].label, ex.entities[c.claimant].cls, ex.entities[c.claimant].affiliation)
            for c in ex.claims]


@pytest.mark.parametrize(("sentence", "label", "cls", "affiliation"), [
    ("Chilean officials said the deal was close.", "Chilean officials", "Organization", "place/chile"),
    ("U.S. officials told reporters the deal was close.", "U.S. officials", "Organization", "place/united-states"),
    ("Sources familiar with the talks said the sides remained far apart.", "Sources familiar with the talks",
     "Organization", None),
    ("An Israeli official told reporters the delegation would stay.", "Israeli official", "Official", "place/israel"),
    ("A senior Hamas official said the group had approved the text.", "senior Hamas official", "Official", "org/hamas"),
    ("The presidency said in a statement that Peru would expand energy cooperation with Chile.", "presidency",
     "Organization", None),
    ("The White House said in a statement that the talks were useful.", "White House", "Organization",
     "place/united-states"),
    ("The Kremlin said the talks were useful.", "Kremlin", "Organization", "place/russia"),
    ("Peru's foreign ministry announced new visa rules for Chileans.", "Peru's foreign ministry", "Organization",
     "place/peru"),
    ("Chilean President Rosa Alvear's office said in a statement that the visit was cancelled.",
     "Chilean President Rosa Alvear's office", "Organization", "place/chile"),
])
def test_extract_claims_institution_or_unnamed_source(extractor: Extractor, sentence: str, label: str, cls: str,
                                                      affiliation: str | None) -> None:
    assert _claimants(_read(extractor, sentence)) == [(label, cls, affiliation)]


def test_extract_claims_agency_named_in_its_description_is_the_outlet(extractor: Extractor) -> None:
    ex = _read(extractor, "Shamkhani described the talks as clear, Iran's official news agency IRNA reported.")
    assert ("IRNA" in {label for label, _, _ in _claimants(ex)} or any(
        c.reported_by for c in ex.claims)) and not any("agency" in label for label, _, _ in _claimants(ex))


def test_extract_claims_bare_group_is_the_group_named_before(extractor: Extractor) -> None:
    ex = _read(extractor, "Chilean officials say a meeting is being arranged. Peru will buy two frigates, "
                          "the officials said.")
    assert [label for label, _, _ in _claimants(ex)] == ["Chilean officials", "Chilean officials"]


def test_extract_claims_source_named_in_apposition_is_the_person(extractor: Extractor) -> None:
    ex = _read(extractor, "A former Chilean diplomat, Ivo Marek, argued that the pact was old.")
    assert [label for label, _, _ in _claimants(ex)] == ["Ivo Marek"]


def test_extract_claims_surname_of_a_listed_spelling(extractor: Extractor) -> None:
    """``Abbas Araqchi`` (a spelling the gazetteer lists), then ``Araqchi told``: the same person."""
    ex = _read(extractor, "Iranian Foreign Minister Abbas Araqchi arrived in Muscat.\n\n"
                          "Araqchi told Iranian state television that the talks were useful.")
    assert [label for label, _, _ in _claimants(ex)] == ["Abbas Araghchi"]
    assert not [e for e in ex.entities.values() if e.label == "Araqchi"]


def test_extract_claims_in_her_view_is_the_person_just_named(extractor: Extractor) -> None:
    ex = _read(extractor, "Ines Carvallo, a fellow at the Andes Policy Center, is more cautious.\n\n"
                          "In her view the border remains tense.")
    assert [(label, c.text) for (label, _, _), c in zip(_claimants(ex), ex.claims, strict=True)] == \
        [("Ines Carvallo", "In her view the border remains tense.")]


def test_extract_claims_according_to_an_agency_that_quotes_someone(extractor: Extractor) -> None:
    """``According to Xinhua, Xi told Modi ...``: Xi claims, Xinhua reports it."""
    ex = _read(extractor, "According to Xinhua, Xi Jinping told Narendra Modi that the two should be partners.")
    assert [(ex.entities[c.claimant].label, ex.entities[c.reported_by or ""].label) for c in ex.claims] == \
        [("Xi Jinping", "Xinhua")]


def test_extract_claims_seat_with_an_intention_is_no_claim(extractor: Extractor) -> None:
    assert not _read(extractor, "A video call, which the Kremlin expects to hold soon, was announced.").claims


def test_extract_claims_he_after_a_speaker_in_the_same_sentence(extractor: Extractor) -> None:
    ex = _read(extractor, ("An Iranian official told Reuters the mood was calm.\n\n"
                           "Donald Trump, asked about the talks, said he thought they were going well."))
    assert [label for label, _, _ in _claimants(ex)] == ["Iranian official", "Donald Trump"]


def test_extract_claims_trailing_institution_the_parser_left_unattached(extractor: Extractor) -> None:
    ex = _read(extractor, "The two envoys spoke directly in the presence of the Omani minister, "
                          "Iran's foreign ministry said in a statement.")
    assert [(label, cls) for label, cls, _ in _claimants(ex)] == [("Iran's foreign ministry", "Organization")]


def test_extract_claims_someone_named_before_is_no_new_source(extractor: Extractor) -> None:
    assert not _read(extractor, "The official said the talks were over.").claims


def test_extract_claims_experts_react_layout(extractor: Extractor) -> None:
    ex = _read(extractor, (
        "Peru and Chile signed a defence pact on Monday. Below, our experts give their reading.\n\n"
        "Ines Carvallo: senior fellow, Andes Policy Center\n\n"
        "The pact formalises what was true for years. It will not change much.\n\n"
        "Tomas Reyes: former Peruvian diplomat and nonresident fellow, Andes Policy Center\n\n"
        "For Bolivia the pact is uncomfortable. Lima will have to explain it.\n"))
    views = [(ex.entities[c.claimant].label, c.text) for c in ex.claims if c.cue == "view"]
    assert views == [("Ines Carvallo", "The pact formalises what was true for years."),
                     ("Ines Carvallo", "It will not change much."),
                     ("Tomas Reyes", "For Bolivia the pact is uncomfortable."),
                     ("Tomas Reyes", "Lima will have to explain it.")]
    ines = next(e for e in ex.entities.values() if e.label == "Ines Carvallo")
    assert (ines.cls, ines.role) == ("Expert", "senior fellow")
    assert ex.entities[ines.affiliation or ""].label == "Andes Policy Center"


def test_extract_claims_experts_react_comma_layout(extractor: Extractor) -> None:
    """``Name, role, Organisation (ABBR)[, City]``: the organisation is the part that is no place,
    its abbreviation an alias; a head of programme at a research body comments as an Expert."""
    ex = _read(extractor, (
        "Peru and Chile signed a defence pact on Monday.\n\n"
        "Ines Carvallo, head of the Pacific programme, Andes Institute of Policy Studies (AIPS)\n\n"
        "The pact formalises what was true for years.\n\n"
        "Tomas Reyes, senior researcher, Centre for Southern Security, Lima\n\n"
        "For Bolivia the pact is uncomfortable.\n"))
    people = {e.label: e for e in ex.entities.values() if e.label in {"Ines Carvallo", "Tomas Reyes"}}
    assert {(e.label, e.cls) for e in people.values()} == {("Ines Carvallo", "Expert"), ("Tomas Reyes", "Expert")}
    aips = ex.entities[people["Ines Carvallo"].affiliation or ""]
    assert (aips.label, aips.aliases) == ("Andes Institute of Policy Studies", {"AIPS"})
    assert ex.entities[people["Tomas Reyes"].affiliation or ""].label == "Centre for Southern Security"


def test_extract_claims_one_name_and_role_line_is_not_a_layout(extractor: Extractor) -> None:
    ex = _read(extractor, "Ines Carvallo, senior fellow at the Andes Policy Center\n\nThe pact is old news.")
    assert not [c for c in ex.claims if c.cue == "view"]


@pytest.mark.parametrize("sentence", [
    'Chilean President Rosa Alvear: "We are ready to sign."',
    'Chilean President Rosa Alvear — "we are ready to sign".',
    '"We are ready to sign," Chilean President Rosa Alvear said.',
    'Chilean President Rosa Alvear said: "We are ready to sign."',
    'Chilean President Rosa Alvear sees the risk on the Peruvian side: "We are ready to sign."',
    'Chilean President Rosa Alvear is more optimistic - "we are ready to sign".',
])
def test_extract_claims_quote_after_colon_or_dash(extractor: Extractor, sentence: str) -> None:
    assert [label for label, _, _ in _claimants(_read(extractor, sentence))] == ["Rosa Alvear"]
