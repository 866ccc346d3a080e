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


@pytest.mark.parametrize(("first", "second"), [
    ("Ines Carvallo is a senior fellow at the Andes Policy Center.",
     "Tomas Reyes is deputy director of the energy program at the Southern Cone Institute."),
    ("Ines Carvallo is a nonresident fellow with the Andes Policy Center.",
     "Tomas Reyes serves as a research director at the Lima Centre for Strategic Studies."),
])
def test_extract_claims_experts_react_bio_paragraphs(extractor: Extractor, first: str, second: str) -> None:
    """``Name is a senior fellow at X.`` as a paragraph of its own, then a view with no verb of saying."""
    ex = _read(extractor, (
        "Peru and Chile signed a defence pact on Monday. We asked our experts what it changes.\n\n"
        f"{first}\n\nThe pact formalises what was true for years.\n\n"
        f"{second}\n\nFor Bolivia the pact is uncomfortable.\n"))
    views = [(ex.entities[c.claimant].label, ex.entities[c.claimant].cls, c.text) for c in ex.claims
             if c.cue == "view"]
    assert views == [("Ines Carvallo", "Expert", "The pact formalises what was true for years."),
                     ("Tomas Reyes", "Expert", "For Bolivia the pact is uncomfortable.")]
    ines = next(e for e in ex.entities.values() if e.label == "Ines Carvallo")
    assert ex.entities[ines.affiliation or ""].label == "Andes Policy Center"


def test_extract_claims_one_bio_paragraph_is_not_a_layout(extractor: Extractor) -> None:
    ex = _read(extractor, "The pact is old news.\n\nInes Carvallo is a senior fellow at the Andes Policy Center.\n\n"
                          "Peru signed it anyway.")
    assert not [c for c in ex.claims if c.cue == "view"]


def test_extract_claims_byline_and_bio_of_one_author_are_not_a_layout(extractor: Extractor) -> None:
    ex = _read(extractor, "By Selin Aydin, associate fellow, Europe Programme, Chatham House\n\n"
                          "Turkey and Iraq signed twenty deals.\n\n"
                          "Selin Aydin is an associate fellow with the Europe Programme at Chatham House.")
    assert not [c for c in ex.claims if c.cue == "view"]
    assert "By Selin Aydin" not in {e.label for e in ex.entities.values()}


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


def _labels(ex: Extraction) -> list[str]:
    return sorted({label for label, _, _ in _claimants(ex)})


@pytest.mark.parametrize(("body", "speakers"), [
    ("Aliyev and Pashinyan both said they would recommend Trump for the prize.",
     ["Ilham Aliyev", "Nikol Pashinyan"]),
    ("Mark Johnson and Sarah Collins told reporters that the border would stay open.", ["Mark Johnson", "Sarah Collins"]),
    ("Tokayev and Mirziyoyev stressed that the railway would be finished by 2030.",
     ["Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"]),
])
def test_extract_claims_coordinated_subjects_each_speak(extractor: Extractor, body: str, speakers: list[str]) -> None:
    assert _labels(_read(extractor, body)) == speakers


@pytest.mark.parametrize(("body", "speaker"), [
    ("Zelensky thanked Trump and said Ukraine was ready to buy American weapons.", "Volodymyr Zelensky"),
    ("Peter Wright took the microphone to praise the hosts and said Chile would sign next year.", "Peter Wright"),
    ("Ramaphosa rejected the claims, saying crime in his country affected people of all races.", "Cyril Ramaphosa"),
    ("Lena Sorvik criticised the plan, telling reporters that it would fail.", "Lena Sorvik"),
    ("Modi met Prime Minister Ivo Marek, who said Chile welcomed more Indian investment.", "Ivo Marek"),
])
def test_extract_claims_verb_without_subject_takes_the_one_it_continues(extractor: Extractor, body: str,
                                                                         speaker: str) -> None:
    assert speaker in _labels(_read(extractor, body))


@pytest.mark.parametrize(("body", "speaker"), [
    ("Milei called the deal the most important achievement in the bloc's history.", "Javier Milei"),
    ('The Scotch Whisky Association welcomed the agreement as "transformational".', "Scotch Whisky Association"),
    ('Opposition leader Ivo Marek hailed the result as "a red card for the government".', "Ivo Marek"),
    ('Lena Sorvik called it "a dream come true for our young nation".', "Lena Sorvik"),
    ("Erdogan described the visit as historic.", "Recep Tayyip Erdoğan"),
])
def test_extract_claims_evaluative_verb_with_its_judgement(extractor: Extractor, body: str, speaker: str) -> None:
    assert _labels(_read(extractor, body)) == [speaker]


@pytest.mark.parametrize("body", [
    "Trump called Putin on Tuesday.",
    "Xi welcomed Lula to Beijing.",
    "Lena Sorvik writes on Latin American politics.",
    "Ivo Marek posted a photo of the two leaders.",
])
def test_extract_claims_not_every_use_of_such_verbs_says_something(extractor: Extractor, body: str) -> None:
    assert _claimants(_read(extractor, body)) == []


@pytest.mark.parametrize(("body", "speaker"), [
    ("Cuba's Foreign Minister Bruno Rodriguez posted that Havana also sees room for cooperation.", "Bruno Rodriguez"),
    ("Chilean Foreign Minister Peter Wright replied that Chile had not been consulted.", "Peter Wright"),
])
def test_extract_claims_verb_that_says_with_a_clause(extractor: Extractor, body: str, speaker: str) -> None:
    assert _labels(_read(extractor, body)) == [speaker]


@pytest.mark.parametrize(("body", "speaker"), [
    ("Xi will invest in the port, according to Yunus's press secretary Shafiqul Alam.", "Shafiqul Alam"),
    ("According to Chinese Foreign Ministry spokeswoman Mao Ning, the two sides agreed to talk again.", "Mao Ning"),
    ("The visit is off, according to Chile's deputy foreign minister Ivo Marek.", "Ivo Marek"),
])
def test_extract_claims_according_to_the_head_of_the_phrase(extractor: Extractor, body: str, speaker: str) -> None:
    assert speaker in _labels(_read(extractor, body))


@pytest.mark.parametrize(("body", "label"), [
    ("A Downing Street spokesperson said the talks were good.", "Downing Street spokesperson"),
    ("A Chilean government spokesman told reporters the border would reopen.", "Chilean government spokesman"),
    ("An EU envoy said the text was nearly ready.", "EU envoy"),
])
def test_extract_claims_unnamed_person_introduced_by_a_role(extractor: Extractor, body: str, label: str) -> None:
    assert _labels(_read(extractor, body)) == [label]


def test_extract_claims_role_word_after_the_is_someone_named_before(extractor: Extractor) -> None:
    assert _claimants(_read(extractor, "The spokesman said the talks were good.")) == []


def test_extract_claims_unnamed_source_is_also_known_by_its_article_and_core(extractor: Extractor) -> None:
    ex = _read(extractor, "A Malaysian official familiar with the preparations said Bangkok had asked first.")
    ent = ex.entities[ex.claims[0].claimant]
    assert {"A Malaysian official familiar with the preparations", "Malaysian official"} <= ent.aliases


@pytest.mark.parametrize(("body", "label"), [
    ("Buckingham Palace said in a statement that the dates would be set out in due course.", "Buckingham Palace"),
    ("The Elysee Palace said the visit would go ahead.", "Elysee Palace"),
])
def test_extract_claims_a_building_that_speaks_is_its_office(extractor: Extractor, body: str, label: str) -> None:
    claimants = _claimants(_read(extractor, body))
    assert [(lab, cls) for lab, cls, _ in claimants] == [(label, "Organization")]


def test_extract_claims_agency_reporting_another_speaker_is_the_outlet(extractor: Extractor) -> None:
    ex = _read(extractor, "Lavrov described the talks as useful, the state news agency TASS reported.")
    assert _labels(ex) == ["Sergey Lavrov"] and ex.entities[ex.claims[0].reported_by or ""].label == "TASS"


@pytest.mark.parametrize(("body", "speakers"), [
    ("Orientalist Pavel Merkulov of the Institute of China and Contemporary Asia told RIA Novosti that it mattered.",
     ["Pavel Merkulov"]),
    ("The president faced criticism from opposition lawmakers who accuse him of making concessions.", []),
])
def test_extract_claims_no_speaker_from_inside_a_name_or_a_bare_relative_clause(
        extractor: Extractor, body: str, speakers: list[str]) -> None:
    assert _labels(_read(extractor, body)) == speakers
