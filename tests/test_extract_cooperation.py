"""The cooperation stage on invented sentences: blocs as partners, not their members."""

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


def _pairs(ex: Extraction) -> set[tuple[frozenset[str], str]]:
    return {(frozenset(c.partners), c.topic) for c in ex.cooperations}


@pytest.mark.parametrize(("sentence", "partners", "topic"), [
    ("The EU and the African Union agreed to deepen cooperation on energy.",
     {"org/european-union", "org/african-union"}, "energy"),
    ("Talks on a free trade agreement between the Eurasian Economic Union and Chile were close to completion.",
     {"org/eurasian-economic-union", "place/chile"}, "trade"),
    ("By the time the European Union and Mercosur signed their free trade agreement, the negotiators had left.",
     {"org/mercosur", "org/european-union"}, "trade"),
    ("Mercosur signed a trade agreement with the European Union on Saturday.",
     {"org/mercosur", "org/european-union"}, "trade"),
])
def test_extract_cooperation_blocs_are_partners(extractor: Extractor, sentence: str, partners: set[str],
                                                topic: str) -> None:
    assert (frozenset(partners), topic) in _pairs(_read(extractor, sentence))


def test_extract_cooperation_organisation_in_a_title_is_no_partner(extractor: Extractor) -> None:
    pairs = _pairs(_read(extractor, "European Commission President Ursula von der Leyen and Chilean President "
                                    "Gabriel Boric discussed trade cooperation."))
    assert not any("org/european-commission" in p for p, _ in pairs)


def test_extract_cooperation_speaking_organisation_is_no_partner(extractor: Extractor) -> None:
    assert _pairs(_read(extractor, "The UN said Peru and Chile would expand trade.")) == {
        (frozenset({"place/peru", "place/chile"}), "trade")}


def test_extract_cooperation_it_and_their_continue_the_pair(extractor: Extractor) -> None:
    pairs = _pairs(_read(extractor, "The treaty commits Peru and Chile to assist each other if either is attacked. "
                                    "It also provides for joint work on civilian nuclear energy and more exchanges "
                                    "between their schools and universities."))
    peru_chile = frozenset({"place/peru", "place/chile"})
    assert {(peru_chile, "security"), (peru_chile, "energy"), (peru_chile, "education")} <= pairs


def test_extract_cooperation_they_means_the_pair_that_cooperated(extractor: Extractor) -> None:
    pairs = _pairs(_read(extractor, (
        "Peru and Chile have agreed to resume diplomatic relations. The talks were held in Brasilia in response "
        "to an initiative of Brazilian President Joao Lima. They agreed to activate their security cooperation "
        "agreement.")))
    assert (frozenset({"place/peru", "place/chile"}), "security") in pairs
    assert not any("place/brazil" in p for p, t in pairs if t == "security")


@pytest.mark.parametrize(("sentence", "partners", "topic"), [
    ("Australia and Indonesia agreed on Tuesday to deepen cooperation on trade, security and energy.",
     {"place/australia", "place/indonesia"}, "security"),
    ("Indonesia and Australia agreed to expand their defence ties.", {"place/australia", "place/indonesia"},
     "security"),
    ("The African Union and the European Union agreed to deepen their work on peace and security.",
     {"org/african-union", "org/european-union"}, "security"),
])
def test_extract_cooperation_general_word_bound_to_a_cue(extractor: Extractor, sentence: str, partners: set[str],
                                                         topic: str) -> None:
    """``security`` alone is no topic; governed by a word of working together it is."""
    assert (frozenset(partners), topic) in _pairs(_read(extractor, sentence))


@pytest.mark.parametrize("sentence", [
    "Australia and Indonesia signed a trade agreement, national security adviser Jane Hall said.",
    "Australia and Indonesia discussed security, and they signed a trade agreement.",
    "Indonesia wished to expand cooperation with Australia in food security and energy.",
])
def test_extract_cooperation_general_word_alone_is_no_topic(extractor: Extractor, sentence: str) -> None:
    assert "security" not in {topic for _, topic in _pairs(_read(extractor, sentence))}


@pytest.mark.parametrize(("sentence", "partners"), [
    ("Belarus and Russia agreed to expand energy cooperation despite the Ukraine crisis.",
     {"place/belarus", "place/russia"}),
    ("Brazil's trade ministry said trade with China reached 150 billion U.S. dollars last year.",
     {"place/brazil", "place/china"}),
])
def test_extract_cooperation_country_qualifying_a_crisis_or_currency_is_no_side(
        extractor: Extractor, sentence: str, partners: set[str]) -> None:
    assert {p for p, _ in _pairs(_read(extractor, sentence))} <= {frozenset(partners)}


@pytest.mark.parametrize("sentence", [
    "Israel, which says Iran must never acquire nuclear weapons, has urged Washington to act.",
    "Albanese was accompanied by Don Farrell, the minister responsible for Australia-India trade.",
])
def test_extract_cooperation_denied_act_or_office_is_none(extractor: Extractor, sentence: str) -> None:
    """A denied act of working together, and a topic word in a person's office, make no cooperation."""
    assert not _read(extractor, sentence).cooperations


@pytest.mark.parametrize(("sentence", "partners", "topic"), [
    ("Egypt and Jordan signed a Mutual Defence Agreement in Amman on Wednesday.", {"place/egypt", "place/jordan"},
     "security"),
    ("The United States reaffirmed that the 1951 Mutual Defense Treaty with the Philippines remained in force.",
     {"place/united-states", "place/philippines"}, "security"),
    ("Egypt and Jordan signed a strategic economic partnership in Amman.", {"place/egypt", "place/jordan"}, "trade"),
    ("Egypt and Jordan agreed to deepen their defence relationship.", {"place/egypt", "place/jordan"}, "security"),
])
def test_extract_cooperation_signed_agreements(extractor: Extractor, sentence: str, partners: set[str],
                                               topic: str) -> None:
    """An agreement or treaty of a topic is a cue of its own, as the word "cooperation" is."""
    assert (frozenset(partners), topic) in _pairs(_read(extractor, sentence))


@pytest.mark.parametrize("sentence", [
    "Modi and Putin agreed to double trade, as Modi made his first trip to Russia since Moscow sent troops into "
    "Ukraine.",
    "Putin told Orban that Moscow was ready to end the war only if Ukraine withdrew its troops from four regions.",
])
def test_extract_cooperation_background_clause_topic_is_not_the_sides(extractor: Extractor, sentence: str) -> None:
    """A topic word in a ``since`` / ``if`` clause is background, not what the sides cooperate on."""
    assert "military-personnel" not in {topic for _, topic in _pairs(_read(extractor, sentence))}


@pytest.mark.parametrize(("body", "partners", "topic"), [
    ("Chile and the African Union opened their first summit in Santiago on Monday. Officials spoke of a new start. "
     "The two partners agreed to expand cooperation on energy.", {"place/chile", "org/african-union"}, "energy"),
    ("Peru and Chile ended two days of talks in Lima. Bolivia was not invited. "
     "Both neighbours pledged to build a railway across the Atacama.", {"place/peru", "place/chile"}, "transport"),
    ("Mercosur and the European Union closed their summit on Friday. Brazil's president praised it. "
     "The two blocs also want to deepen ties in education.", {"org/mercosur", "org/european-union"}, "education"),
])
def test_extract_cooperation_counted_reference_means_the_latest_group(extractor: Extractor, body: str,
                                                                     partners: set[str], topic: str) -> None:
    """``the two partners``, ``both neighbours``: the pair named together earlier, not a pair named since."""
    assert (frozenset(partners), topic) in _pairs(_read(extractor, body))


def test_extract_cooperation_counted_reference_skips_a_subordinate_clause(extractor: Extractor) -> None:
    pairs = _pairs(_read(extractor, "Peru and Chile held a summit in Lima. Both sides need more trade, while "
                                    "Brazil raises tariffs on both."))
    assert pairs == {(frozenset({"place/peru", "place/chile"}), "trade")}


@pytest.mark.parametrize(("sentence", "partners", "topic"), [
    ("The ministers agreed to deepen Chile-ASEAN cooperation in energy.", {"place/chile", "org/asean"}, "energy"),
    ("Peru and Chile agreed to extend visa-free travel for tourists.", {"place/peru", "place/chile"}, "tourism"),
    ("Peru and Chile agreed to expand military-technical cooperation.", {"place/peru", "place/chile"}, "weapons"),
])
def test_extract_cooperation_hyphenated_pairs_and_topics(extractor: Extractor, sentence: str, partners: set[str],
                                                         topic: str) -> None:
    """A bloc in a hyphenated pair is a side; a hyphenated topic phrase is one trigger."""
    assert (frozenset(partners), topic) in _pairs(_read(extractor, sentence))


@pytest.mark.parametrize(("body", "partners", "topic"), [
    ("Bangladesh and Russia held talks in Dhaka. The leaders inspected the Rooppur nuclear power plant.",
     {"place/bangladesh", "place/russia"}, "energy"),
    ("Peru and Chile signed a treaty in Lima. They also discussed a new railway to the coast.",
     {"place/peru", "place/chile"}, "transport"),
])
def test_extract_cooperation_pair_acting_and_topic_in_a_facility(extractor: Extractor, body: str,
                                                                 partners: set[str], topic: str) -> None:
    """``The leaders ...``, ``They also discussed ...`` after a pair: the pair acts; a facility's
    name ("nuclear power plant") says its topic."""
    assert (frozenset(partners), topic) in _pairs(_read(extractor, body))


def test_extract_cooperation_pair_joined_by_and_whatever_the_parse(extractor: Extractor) -> None:
    """``between the X (ACR) and the Y (ACR)``: one group, so ``the two blocs`` later means them."""
    pairs = _pairs(_read(extractor, (
        "The first summit between the Association of Southeast Asian Nations (ASEAN) and the African Union (AU), "
        "held in Jakarta on Monday, adopted a plan. The plan commits the two blocs to work together on tourism.")))
    assert (frozenset({"org/asean", "org/african-union"}), "tourism") in pairs


@pytest.mark.parametrize(("body", "partners", "topic"), [
    ("Lula received South African President Cyril Ramaphosa in Brasilia on Monday. "
     "The two presidents agreed to expand cooperation in agriculture and energy.",
     {"place/brazil", "place/south-africa"}, "energy"),
    ("Modi held a bilateral meeting with Prime Minister Anwar Ibrahim on the sidelines. "
     "The leaders discussed investment and direct flights, his office said.",
     {"place/india", "place/malaysia"}, "transport"),
    ("Canadian Prime Minister Mark Carney spoke by phone with Anthony Albanese on Friday. "
     "Both sides agreed to boost trade in critical minerals.",
     {"place/canada", "place/australia"}, "trade"),
    ("Egypt and Jordan signed a trade pact. A week later Macron held talks in Cairo with Abdel Fattah el-Sisi. "
     "The leaders discussed scholarships for students.",
     {"place/egypt", "place/france"}, "education"),
    ("Ramaphosa met Lula in Rio on Monday. Later in the day Ramaphosa met Narendra Modi. "
     "The two leaders discussed pharmaceuticals and vaccines.", {"place/south-africa", "place/india"}, "medical-care"),
])
def test_extract_cooperation_reference_means_the_pair_that_met(extractor: Extractor, body: str,
                                                               partners: set[str], topic: str) -> None:
    """``X held talks with Y. The two leaders discussed ...``: the pair of a meeting told before, named
    in no coordination, is the pair a later reference means (the latest pair or group told)."""
    assert (frozenset(partners), topic) in _pairs(_read(extractor, body))


@pytest.mark.parametrize(("sentence", "topic"), [
    ("Kenya and Ethiopia agreed to work together on agriculture, tourism and health.", "medical-care"),
    ("Peru and Chile reviewed their ties, including trade and investment, defence and security, and mining.",
     "security"),
    ("Japan and Vietnam agreed to work on shipbuilding, solar and railways.", "energy"),
    ("Ghana and Nigeria agreed to invest in roads, ports and electricity.", "transport"),
])
def test_extract_cooperation_weak_word_in_a_list_of_topics(extractor: Extractor, sentence: str,
                                                          topic: str) -> None:
    """A word too weak or general to signal a topic alone counts in a list with another topic's word."""
    assert topic in {t for _, t in _pairs(_read(extractor, sentence))}


@pytest.mark.parametrize(("sentence", "topic"), [
    ("Thailand and Cambodia said the border remained an issue of security.", "security"),
    ("Ghana and Nigeria agreed that the road ahead was long.", "transport"),
    ("Washington and Kyiv agreed to expand trade in a region where Washington has no troops.",
     "military-personnel"),
    ("Peru and Chile signed a pact that involves no weapons.", "weapons"),
    ("Kenya and Uganda agreed to extend the railway so that trucks and trains reach Kampala sooner.",
     "military-training"),
    ("Freight trains will run daily between Kazakhstan and China under the agreement they signed.",
     "military-training"),
    ("Norway and Germany agreed new investment in energy infrastructure in the North Sea.", "construction"),
    ("India and Japan agreed to expand cooperation on transport infrastructure.", "construction"),
])
def test_extract_cooperation_topic_word_that_says_otherwise(extractor: Extractor, sentence: str,
                                                           topic: str) -> None:
    """A general word alone, a topic denied by ``no``, ``trains`` on rails and a kind of infrastructure
    (``energy infrastructure``) do not signal the topic their bare word would."""
    assert topic not in {t for _, t in _pairs(_read(extractor, sentence))}


@pytest.mark.parametrize(("sentence", "topic"), [
    ("Kenya and Uganda agreed to extend the railway so that trucks and trains reach Kampala sooner.", "transport"),
    ("Norway and Germany agreed new investment in energy infrastructure in the North Sea.", "energy"),
    ("Turkey trains Somali troops under its defence agreement with Somalia.", "military-training"),
    ("Egypt and Jordan agreed to strengthen cooperation in counter-terrorism.", "security"),
    ("Cuba and Brazil discussed cooperation in biotechnology.", "science"),
    ("Vietnam offered Laos duty-free access for its goods.", "trade"),
    ("India and Sri Lanka agreed to promote traditional medicine.", "medical-care"),
    ("France and Morocco agreed to a regular exchange of visits between their ministers.", "diplomacy"),
])
def test_extract_cooperation_topic_words_of_general_news(extractor: Extractor, sentence: str, topic: str) -> None:
    """Common news words of each topic, beside the kinds of infrastructure and the verb ``trains``."""
    assert topic in {t for _, t in _pairs(_read(extractor, sentence))}
