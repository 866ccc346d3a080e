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


@pytest.mark.parametrize(("sentence", "name", "role"), [
    ("Kenya sent Cabinet Secretary for Foreign and Diaspora Affairs Joseph Kamau.", "Joseph Kamau",
     "Cabinet Secretary for Foreign and Diaspora Affairs"),
    ("Qatar's Minister of State Khalid Al-Marri attended.", "Khalid Al-Marri", "Minister of State"),
])
def test_extract_entities_office_of_a_ministry(extractor: Extractor, sentence: str, name: str, role: str) -> None:
    person = _people(extractor, sentence)[name]
    assert (person.cls, person.role) == ("Official", role)


def test_extract_entities_another_persons_title_is_not_the_role(extractor: Extractor) -> None:
    person = _people(extractor, "The emir received Tom Baird, President Biden's Middle East coordinator.")["Tom Baird"]
    assert (person.cls, person.role) == ("Official", "coordinator")


def test_extract_entities_demonym_before_the_role(extractor: Extractor) -> None:
    people = _people(extractor, "Congolese Foreign Minister Marie Ilunga Kalala and her counterpart signed.")
    assert people["Marie Ilunga Kalala"].cls == "Official"


def test_extract_entities_city_name_as_a_first_name(extractor: Extractor) -> None:
    people = _people(extractor, "Paraguay's President Santiago Rojas looked on.")
    assert people["Santiago Rojas"].cls == "Leader"


@pytest.mark.parametrize("text", ["Trump's National Security Advisor attended.", "The talks began at 10:00 GMT.",
                                  "The two Special Representatives met in Beijing.",
                                  "Peru sent its Minister of Industry.", "Ruto's State Visit began on Monday."])
def test_extract_entities_offices_and_time_zones_are_no_organisations(extractor: Extractor, text: str) -> None:
    ex = extractor.extract(Article(body=text, path="t.txt", title="t", date="2025-05-08"))
    assert not [e for e in ex.entities.values() if e.cls == "Organization" and not e.reference]


def test_extract_entities_titled_rooms_are_facilities(extractor: Extractor) -> None:
    ex = extractor.extract(Article(body="They met in the East Room of the West Wing.", path="t.txt", title="t"))
    assert {("East Room", "Facility"), ("West Wing", "Facility")} <= {(e.label, e.cls) for e in ex.entities.values()}


def test_extract_entities_one_word_name_inside_a_persons_name(extractor: Extractor) -> None:
    people = _people(extractor, "Congolese Foreign Minister Therese Kayikwamba Wagner and her Rwandan counterpart "
                                "Olivier Nduhungirehe signed the text.")
    assert people["Therese Kayikwamba Wagner"].cls == "Official"
    assert people["Olivier Nduhungirehe"].affiliation == "place/rwanda"


def test_extract_entities_short_name_of_a_country_named_in_full(extractor: Extractor) -> None:
    ex = extractor.extract(Article(body="The Democratic Republic of Congo and Rwanda signed a deal to end the fighting "
                                        "in eastern Congo.", path="t.txt", title="t"))
    assert ex.entities["place/democratic-republic-of-the-congo"].aliases >= {"Congo"}
    assert "place/congo" not in ex.entities


def test_extract_entities_surname_that_is_also_an_organisation(extractor: Extractor) -> None:
    ex = extractor.extract(Article(body="Congolese Foreign Minister Therese Kayikwamba Wagner signed the text. "
                                        "Wagner said the deal was fair.", path="t.txt", title="t"))
    assert "org/wagner-group" not in {m.key for m in ex.mentions}
    assert [ex.entities[c.claimant].label for c in ex.claims] == ["Therese Kayikwamba Wagner"]


def test_extract_entities_caption_names_are_not_mentions(extractor: Extractor) -> None:
    ex = extractor.extract(Article(body="Kenya and Tanzania signed a deal.\n\nPhoto: Jakaya Mrisho Kikwete in "
                                        "Mombasa. REUTERS/Tom Arlo\n\nThe deal was welcomed.", path="t.txt", title="t"))
    assert not {m.key for m in ex.mentions} & {"person/jakaya-kikwete", "place/mombasa", "person/tom-arlo"}


def test_extract_entities_lower_case_particles_inside_a_name(extractor: Extractor) -> None:
    """``Foreign Secretary Juan Ramon de la Fuente``: the particles are part of the name."""
    people = _people(extractor, "Mexican Foreign Secretary Rodrigo Ruiz de la Vega met Anand in Mexico City.")
    assert "Rodrigo Ruiz de la Vega" in people
    assert people["Rodrigo Ruiz de la Vega"].cls == "Official"


def test_extract_entities_director_of_a_government_body_is_an_official(extractor: Extractor) -> None:
    people = _people(extractor, "Present at the talks were Lin Hao, director of the General Office of the "
                                "State Council, and Foreign Minister Wang Yi.")
    assert people["Lin Hao"].cls == "Official"


def test_extract_entities_director_of_a_think_tank_is_an_expert(extractor: Extractor) -> None:
    people = _people(extractor, "Lin Hao, director of the Institute of Asian Studies, said the talks went well.")
    assert people["Lin Hao"].cls == "Expert"


def test_extract_entities_titled_corridor_is_a_facility(extractor: Extractor) -> None:
    ex = extractor.extract(Article(body="The bank will finance the Kivu Corridor railway across Zambia.",
                                   path="t.txt", title="t", date="2025-05-08"))
    assert {e.label: e.cls for e in ex.entities.values()}.get("Kivu Corridor") == "Facility"


def test_extract_entities_listed_spelling_is_kept_as_the_articles_form(extractor: Extractor) -> None:
    """The gazetteer lists ``Yuri Ushakov`` for ``Yury Ushakov``: the form this article writes is
    among the entity's labels, so a reader (or a gold file) written with it finds the person."""
    people = _people(extractor, "Kremlin aide Yuri Ushakov said the talks would start at noon.")
    assert "Yuri Ushakov" in people["Yury Ushakov"].aliases


def test_extract_entities_demonym_inside_an_organisations_name(extractor: Extractor) -> None:
    """``the Organization of American States``: "American" is a word of the name, not the United States."""
    ex = extractor.extract(Article(body="Chile asked the Organization of American States to send observers to the "
                                        "vote.", path="t.txt", title="t"))
    assert "place/united-states" not in ex.entities


def test_extract_entities_title_initials_are_the_person(extractor: Extractor) -> None:
    """``NSA`` after ``National Security Adviser Ajit Doval``: the person, not an organisation."""
    ex = extractor.extract(Article(body="National Security Adviser Ajit Doval arrived in Moscow on Monday. NSA held "
                                        "talks with Sergey Lavrov.", path="t.txt", title="t"))
    assert not any(k.startswith("org/") for k in ex.entities)
    assert any(m.key == "person/ajit-doval" and m.text == "NSA" for m in ex.mentions)


def _all(extractor: Extractor, body: str) -> dict[str, Entity]:
    ex = extractor.extract(Article(body=body, path="t.txt", title="t", date="2025-05-08"))
    return {e.label: e for e in ex.entities.values()}


@pytest.mark.parametrize(("sentence", "name"), [
    ("Trump and his wife Melania sat in the front row, not far from Prince William.", "Prince William"),
    ("Trump and his wife Melania sat in the front row.", "Melania"),
    ("National Security Adviser Shri Ajit Doval also met the Foreign Secretary.", "Ajit Doval"),
    ("Dr Nur Aziemah Salleh of the S. Rajaratnam School said the plan was sound.", "Nur Aziemah Salleh"),
    ("My colleague at the Ankara-based SETA foundation, Murat Aksoy, argues that the turn is real.", "Murat Aksoy"),
    ("The two leaders instructed their foreign ministers, Giorgos Gerapetritis and Hakan Fidan, to meet.",
     "Giorgos Gerapetritis"),
    ("Foreign Secretary David Lammy and the new British ambassador in Washington, Peter Mandelson, sat with Starmer.",
     "Peter Mandelson"),
])
def test_extract_entities_name_the_context_makes_a_person(extractor: Extractor, sentence: str, name: str) -> None:
    """An honorific, a word for a person, an apposition or a coordinated person: not a place or an org."""
    assert _all(extractor, sentence)[name].key.startswith("person/")


@pytest.mark.parametrize(("sentence", "name", "cls"), [
    ("Delegations from Kenya and Uganda met in Nairobi and Kampala.", "Kampala", "City"),
    ("The Carnegie Endowment and Chatham House published a joint report.", "Chatham House", "Organization"),
])
def test_extract_entities_places_and_bodies_stay_what_they_are(extractor: Extractor, sentence: str, name: str,
                                                               cls: str) -> None:
    assert _all(extractor, sentence)[name].cls == cls


@pytest.mark.parametrize(("body", "name", "cls"), [
    ("Eleni Marou wrote the essay.\n\nEleni Marou is a senior research fellow at a foundation in Athens.",
     "Eleni Marou", "Expert"),
    ("The report was edited by Mark Johnson.\n\nMark Johnson is a policy officer at the Czech foreign ministry.",
     "Mark Johnson", "Official"),
])
def test_extract_entities_bio_line_gives_the_class(extractor: Extractor, body: str, name: str, cls: str) -> None:
    """``X is a senior research fellow at ...``: the copula's role word types the person."""
    assert cls in {e.cls for e in _all_entities(extractor, body) if e.label == name}


def _all_entities(extractor: Extractor, body: str) -> list[Entity]:
    return list(extractor.extract(Article(body=body, path="t.txt", title="t", date="2025-05-08")).entities.values())


@pytest.mark.parametrize(("sentence", "name"), [
    ("Kagan and Chinese Ambassador to Malaysia Ouyang Yujing were also in the room.", "Ouyang Yujing"),
    ("Japan's Special Envoy to the United Nations Hiroshi Tanaka spoke first.", "Hiroshi Tanaka"),
])
def test_extract_entities_office_to_a_place_before_the_name(extractor: Extractor, sentence: str, name: str) -> None:
    assert _all(extractor, sentence)[name].cls == "Official"


@pytest.mark.parametrize(("sentence", "name"), [
    ("The Qatar News Agency said the emir had called Biden.", "Qatar News Agency"),
    ("The Saudi Press Agency reported that the crown prince received the visitor.", "Saudi Press Agency"),
])
def test_extract_entities_news_agency_is_an_outlet(extractor: Extractor, sentence: str, name: str) -> None:
    assert _all(extractor, sentence)[name].cls == "MediaOutlet"


def test_extract_entities_place_listed_with_places_stays_a_place(extractor: Extractor) -> None:
    ex = _all(extractor, "The railway will link Lao Cai, Hanoi and Hai Phong.")
    assert ex["Lao Cai"].cls == "City"


def test_extract_entities_title_words_before_a_name_are_no_person(extractor: Extractor) -> None:
    people = _all(extractor, "Modi was joined by Jaishankar and National Security Adviser Ajit Doval.")
    assert "National Security" not in people and people["Ajit Doval"].cls == "Official"


@pytest.mark.parametrize(("sentence", "names", "cls"), [
    ("The two presidents told their foreign ministers, Ana Ortiz and Pedro Lima, to draft a road map.",
     ["Ana Ortiz", "Pedro Lima"], "Official"),
    ("The interior ministers of Chile, Peru and Bolivia — Rosa Vidal, Tomas Ruiz and Elena Cruz — signed the pact.",
     ["Tomas Ruiz", "Elena Cruz"], "Official"),
    ("Later he sat down with the country's defence minister, Ana Gomez.", ["Ana Gomez"], "Official"),
    ("She was flanked by the new Kenyan ambassador in Berlin, Peter Kamau, and two aides.", ["Peter Kamau"],
     "Official"),
    ("On Monday I met the Prime Minister of Fiji and chair of the forum, the Hon Sitiveni Naqa, to thank him.",
     ["Sitiveni Naqa"], "Leader"),
    ("He was joined by the Minister for Trade and the Pacific, the Hon Lisa Haro MP.", ["Lisa Haro"], "Official"),
])
def test_extract_entities_role_phrase_before_a_comma_types_the_names(extractor: Extractor, sentence: str,
                                                                     names: list[str], cls: str) -> None:
    """A role phrase, a comma or dash, then one name or a list closed by punctuation: an apposition
    the parser often hangs elsewhere; the honorific after the comma is no part of the name."""
    people = _all(extractor, sentence)
    assert [people[n].cls for n in names] == [cls] * len(names)
    assert not any(label.startswith(("Hon ", "the Hon")) for label in people)


@pytest.mark.parametrize("sentence", [
    "Speaking to the minister, John Smith said the deal was close.",
    "After the talks with the ambassador, Maria Stone flew home.",
])
def test_extract_entities_role_before_an_open_comma_is_someone_else(extractor: Extractor, sentence: str) -> None:
    """A name after a comma that nothing closes is the clause's subject, not an apposition."""
    people = _all(extractor, sentence)
    assert next(e for e in people.values() if e.key.startswith("person/")).cls == "Person"


@pytest.mark.parametrize(("sentence", "name", "cls"), [
    ("Foreign Minister Hon. Kofi Mensah was part of the Ghanaian delegation.", "Kofi Mensah", "Official"),
    ("The race to succeed Maria Olsen as Commonwealth secretary-general is close.", "Maria Olsen", "Official"),
    ("The council confirmed Tomas Berg as defence minister on Monday.", "Tomas Berg", "Official"),
    ("Prime Minister Jane Holt signed the deal, while her Maltese counterpart Carl Borg joined by video link.",
     "Carl Borg", "Leader"),
    ("Defence Minister Ivo Marek met his Polish counterpart Jan Nowicki in Gdansk.", "Jan Nowicki", "Official"),
    ("ECOWAS Commission president Omar Jallow has warned that the exit could weaken the bloc.", "Omar Jallow",
     "Official"),
    ("The talks were chaired by Development Bank President Maria Santos.", "Maria Santos", "Official"),
    ("President Lula received Wang Yi, and Minister of State Secretariat Rui Teixeira sat in.", "Rui Teixeira",
     "Official"),
])
def test_extract_entities_role_through_honorifics_as_and_counterparts(extractor: Extractor, sentence: str,
                                                                      name: str, cls: str) -> None:
    """An honorific between the role and the name; ``X as <office>``; a counterpart holds the rank
    of the person it is the counterpart of; the office's last word is no part of the name."""
    people = _all(extractor, sentence)
    assert people[name].cls == cls
    assert "Hon" not in people


@pytest.mark.parametrize(("sentence", "name"), [
    ("Jonas Weber, of the Kiel Institute for the World Economy, is more optimistic.", "Jonas Weber"),
    ("Dr Lina Haddad of the Arab Institute for Policy Studies argues that the truce will hold.", "Lina Haddad"),
    ("Daniel Brennan, who studies Central Asia at Chatham House, notes that the summit was short.",
     "Daniel Brennan"),
    ("My colleague at the Lisbon-based Atlantic foundation, Rui Salgado, thinks the deal is late.", "Rui Salgado"),
    ("Sara Lindqvist, who teaches at Yonsei University, said the vote was close.", "Sara Lindqvist"),
])
def test_extract_entities_person_at_a_research_body_is_an_expert(extractor: Extractor, sentence: str,
                                                                 name: str) -> None:
    assert _all(extractor, sentence)[name].cls == "Expert"


def test_extract_entities_person_elsewhere_is_no_expert(extractor: Extractor) -> None:
    people = _all(extractor, "Priya Menon, a student at Delhi University, said she was happy.")
    assert people["Priya Menon"].cls == "Person"


@pytest.mark.parametrize(("sentence", "label"), [
    ("Orban held talks with Putin in the Kremlin on Friday.", "Kremlin"),
    ("Starmer welcomed Merz to Downing Street this morning.", "Downing Street"),
    ("He met U.S. President Donald Trump at the White House in early May.", "White House"),
    ("Lavrov was received at the Planalto Palace by President Lula.", "Planalto Palace"),
])
def test_extract_entities_seat_named_as_a_place_is_a_facility(extractor: Extractor, sentence: str,
                                                              label: str) -> None:
    """A seat of power after a locative preposition is also a building (its state is still named)."""
    found = _all(extractor, sentence)
    assert found[label].cls == "Facility"


@pytest.mark.parametrize(("sentence", "absent"), [
    ("The Kremlin said the talks were useful.", "Kremlin"),
    ("Anwar hosted the talks in Putrajaya on Monday.", "Putrajaya"),
])
def test_extract_entities_seat_that_speaks_or_is_a_city_is_no_building(extractor: Extractor, sentence: str,
                                                                       absent: str) -> None:
    assert _all(extractor, sentence).get(absent, Entity("", "", "City", set())).cls != "Facility"


@pytest.mark.parametrize("sentence", [
    "The two leaders agreed to upgrade the Comprehensive Partnership to a Strategic Partnership.",
    "They signed a treaty on Friendship and Bilateral Cooperation.",
    "Japan will provide patrol boats under its Official Security Assistance framework.",
])
def test_extract_entities_names_of_relationships_are_no_agents(extractor: Extractor, sentence: str) -> None:
    """A partnership's or a programme's name is no organisation, and a role word opening it no person."""
    found = _all(extractor, sentence)
    assert not [e for e in found.values() if e.cls in {"Organization", "Official", "Person"}]


def test_extract_entities_short_form_the_model_calls_an_org_is_the_person(extractor: Extractor) -> None:
    found = _all(extractor, "He held talks with Edgard Leblanc Fils, the president of the council. "
                            "The official said Leblanc Fils had asked for helicopters.")
    assert "Leblanc Fils" not in found and found["Edgard Leblanc Fils"].cls == "Leader"
