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


@pytest.mark.parametrize(("body", "partners", "topic"), [
    ("Niger, Mali and Burkina Faso signed a treaty on Saturday creating a confederation. The three juntas "
     "also agreed to pool their resources in energy and transport.",
     {"place/niger", "place/mali", "place/burkina-faso"}, "energy"),
    ("Kazakhstan, Uzbekistan and Kyrgyzstan signed a joint declaration in Tashkent on Friday. They agreed to "
     "expand cooperation in electricity and railways.",
     {"place/kazakhstan", "place/uzbekistan", "place/kyrgyzstan"}, "transport"),
    ("The foreign ministers of Chile, Peru and Colombia met in Lima. The three governments will cooperate on "
     "trade and energy.", {"place/chile", "place/peru", "place/colombia"}, "trade"),
    ("China, Pakistan and Afghanistan agreed to deepen cooperation on railways. They also agreed to strengthen "
     "cooperation in trade.", {"place/china", "place/pakistan", "place/afghanistan"}, "trade"),
])
def test_extract_cooperation_three_sides_carry_on(extractor: Extractor, body: str, partners: set[str],
                                                  topic: str) -> None:
    """Three sides named together are the sides a later ``they`` or ``the three governments`` means,
    not the first two of them."""
    assert (frozenset(partners), topic) in _pairs(_read(extractor, body))


@pytest.mark.parametrize(("sentence", "topic"), [
    ("Putin welcomed Modi at the airport, and the two leaders discussed trade.", "transport"),
    ("Erdogan met Sudani at the airport on Monday and they agreed to cooperate.", "transport"),
    ("Macron and Scholz spoke to reporters outside the embassy after agreeing to cooperate on energy.",
     "diplomacy"),
    ("Lula greeted Xi near the university campus and the two agreed to work together on trade.", "education"),
])
def test_extract_cooperation_venue_is_no_topic(extractor: Extractor, sentence: str, topic: str) -> None:
    """A topic word naming where something happened (``at the airport``) is not what the sides work on."""
    assert topic not in {t for _, t in _pairs(_read(extractor, sentence))}


@pytest.mark.parametrize(("sentence", "partners", "topic"), [
    ("The transport ministers of Turkey, Iraq, Qatar and the United Arab Emirates signed a memorandum on a new "
     "railway to the Gulf.", {"place/turkey", "place/iraq", "place/qatar", "place/united-arab-emirates"},
     "transport"),
    ("Kenya and Ethiopia signed a memorandum of understanding on electricity exports.",
     {"place/kenya", "place/ethiopia"}, "energy"),
    ("Argentina and Chile signed an accord on critical minerals.", {"place/argentina", "place/chile"}, "trade"),
])
def test_extract_cooperation_signed_documents_are_cues(extractor: Extractor, sentence: str, partners: set[str],
                                                       topic: str) -> None:
    """Signing a memorandum or an accord on a topic is working together on it."""
    assert (frozenset(partners), topic) in _pairs(_read(extractor, sentence))


def test_extract_cooperation_a_countrys_own_body_is_no_bloc(extractor: Extractor) -> None:
    """``Iraq's National Security Council`` is Iraq's body: the partners of ``the two governments``
    are still Turkey and Iraq."""
    pairs = _pairs(_read(extractor, "Turkey and Iraq opened talks. Iraq's National Security Council banned the "
                                    "group, and the two governments agreed to set up a joint committee on "
                                    "counter-terrorism."))
    assert (frozenset({"place/turkey", "place/iraq"}), "security") in pairs


@pytest.mark.parametrize(("sentence", "partners"), [
    ("Kyrgyzstan and Tajikistan signed a border demarcation treaty on Thursday.",
     {"place/kyrgyzstan", "place/tajikistan"}),
    ("Japan and the Philippines agreed to hold joint coast guard patrols in the South China Sea.",
     {"place/japan", "place/philippines"}),
    ("Armenia and Azerbaijan signed a peace agreement in Washington.", {"place/armenia", "place/azerbaijan"}),
    ("Indonesia and Australia agreed to expand military cooperation.", {"place/indonesia", "place/australia"}),
])
def test_extract_cooperation_security_in_news_words(extractor: Extractor, sentence: str,
                                                    partners: set[str]) -> None:
    """Border settlements, coast guards, peace agreements and military cooperation are security."""
    assert (frozenset(partners), "security") in _pairs(_read(extractor, sentence))


@pytest.mark.parametrize(("sentence", "matter"), [
    ("Japan and South Korea agreed to keep up regular visits and to work closely on North Korea.",
     "place/north-korea"),
    ("Seoul, Tokyo and Washington will coordinate closely on North Korea's nuclear and missile programmes under "
     "their security cooperation framework.", "place/north-korea"),
    ("France and Germany agreed to deepen energy cooperation during talks over Ukraine.", "place/ukraine"),
    ("Brazil and Argentina pledged closer defence cooperation regarding Venezuela.", "place/venezuela"),
])
def test_extract_cooperation_country_talked_about_is_no_partner(extractor: Extractor, sentence: str,
                                                                matter: str) -> None:
    """A country the sides deal with as a matter (``on North Korea``, ``over Ukraine``) is not a partner,
    and the sides that act still cooperate."""
    pairs = _pairs(_read(extractor, sentence))
    assert pairs and not any(matter in p for p, _ in pairs)


@pytest.mark.parametrize(("body", "partners", "topic", "not_topic"), [
    ("Seoul, Tokyo and Washington will coordinate closely on North Korea's nuclear and missile programmes under "
     "their security cooperation framework.", {"place/south-korea", "place/japan", "place/united-states"},
     "security", "weapons"),
    ("Japan, South Korea and the United States signed a security pact. The pact commits the allies to "
     "share warning data on North Korean missile launches and to hold joint exercises.",
     {"place/south-korea", "place/japan", "place/united-states"}, "military-training", "weapons"),
    ("India and France agreed to share intelligence on Pakistan's drone programme and to expand trade.",
     {"place/india", "place/france"}, "trade", "drones"),
])
def test_extract_cooperation_the_matters_things_are_no_topic(extractor: Extractor, body: str, partners: set[str],
                                                             topic: str, not_topic: str) -> None:
    """``on North Korea's missile programmes``: the matter's missiles are not what the sides work on,
    and the matter's country is not a partner."""
    pairs = _pairs(_read(extractor, body))
    assert (frozenset(partners), topic) in pairs
    assert not any(t == not_topic for _, t in pairs)
    assert not any("place/north-korea" in p or "place/pakistan" in p for p, _ in pairs)


def test_extract_cooperation_country_naming_a_link_is_a_side(extractor: Extractor) -> None:
    """``a memorandum on an India-Gulf-Europe railway``: a country at one end of a hyphenated link
    is a side, not a matter."""
    pairs = _pairs(_read(extractor, "India, Saudi Arabia and Greece signed a memorandum on an India-Gulf-Europe "
                                    "railway corridor."))
    assert (frozenset({"place/india", "place/saudi-arabia", "place/greece"}), "transport") in pairs
