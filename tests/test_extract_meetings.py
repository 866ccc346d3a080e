"""Meetings, calls and invitations, one construction per test, on invented sentences.

Each test reads a few sentences of its own (real public names, invented events) and asserts
who the principals are, who only sat in (``nkg:delegate``), who invited whom, or that there
is no meeting at all. The last test holds the SHACL shape (a meeting has two parties) over a
store of every article in ``eval/articles`` and ``seeds``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.model import Article, Event, Extraction
from kg.pipeline import build, load_project_resources
from kg.store import Store
from kg.validate import validate
from tests.conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_project_resources())


def _read(extractor: Extractor, text: str) -> Extraction:
    return extractor.extract(Article(body=text, path="invented.txt", date="2025-05-12"))


def _meetings(extractor: Extractor, text: str) -> list[Event]:
    return [e for e in _read(extractor, text).events if e.cls in {"Meeting", "PhoneCall"}]


def _who(events: list[Event]) -> list[set[str]]:
    return [{k.rsplit("/", 1)[-1] for k in e.participants} for e in events]


def _names(keys: list[str]) -> set[str]:
    return {k.rsplit("/", 1)[-1] for k in keys}


def _invitations(extractor: Extractor, text: str) -> list[tuple[set[str], set[str]]]:
    return [(_names(e.initiator), _names(e.participants)) for e in _read(extractor, text).events
            if e.cls == "Invitation"]


# --- one-sided meetings: resolve the counterpart or emit none ---

def test_extract_meetings_counterpart_of_that_country_is_the_named_minister(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Indonesian Foreign Minister Sugiono said on Monday that trade would top the agenda. "
                              "Russian Foreign Minister Sergei Lavrov met his Indonesian counterpart in Jakarta on Tuesday.")
    assert _who(ms) == [{"sergey-lavrov", "sugiono"}]


def test_extract_meetings_possessive_counterpart(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Chinese Foreign Minister Wang Yi arrived in Moscow on Sunday, and Russian Foreign "
                              "Minister Sergei Lavrov welcomed him. Vladimir Putin met Lavrov's Chinese "
                              "counterpart in the Kremlin on Monday.")
    assert _who(ms) == [{"vladimir-putin", "wang-yi"}]


def test_extract_meetings_bare_title_is_the_one_holder(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Qatar's emir, Sheikh Tamim bin Hamad Al Thani, welcomed the envoys on Saturday. "
                              "Steve Witkoff met the emir in Doha on Sunday.")
    assert _who(ms) == [{"steve-witkoff", "tamim-bin-hamad-al-thani"}]


def test_extract_meetings_side_is_its_named_principal(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Iranian Foreign Minister Abbas Araghchi flew in on Sunday. "
                              "Russian Foreign Minister Sergei Lavrov held talks with the Iranian side in Tehran.")
    assert _who(ms) == [{"sergey-lavrov", "abbas-araghchi"}]


def test_extract_meetings_unresolved_counterpart_makes_no_meeting(extractor: Extractor) -> None:
    assert _meetings(extractor, "Sergei Lavrov met his Indonesian counterpart in Jakarta on Tuesday.") == []


@pytest.mark.parametrize("text", ["Vladimir Putin received Wang Yi in the Kremlin on Monday.",
                                  "Xi Jinping welcomed Vladimir Putin at the Great Hall of the People."])
def test_extract_meetings_receiving_a_person_is_meeting(extractor: Extractor, text: str) -> None:
    assert len(_meetings(extractor, text)) == 1


@pytest.mark.parametrize("text", ["Volodymyr Zelensky received a letter from Donald Trump.",
                                  "Narendra Modi welcomed the initiative of Vladimir Putin."])
def test_extract_meetings_receiving_a_thing_is_not_meeting(extractor: Extractor, text: str) -> None:
    assert _meetings(extractor, text) == []


# --- who sat at the table ---

def test_extract_meetings_delegation_leaders_are_the_principals(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Talks between delegations led by Sergei Lavrov and Marco Rubio were held in Riyadh.")
    assert _who(ms) == [{"sergey-lavrov", "marco-rubio"}]


def test_extract_meetings_mediator_is_a_principal(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Russian and Ukrainian delegations held talks in Istanbul, "
                              "with Turkish Foreign Minister Hakan Fidan mediating.")
    assert _who(ms) == [{"hakan-fidan", "russia", "ukraine"}]


def test_extract_meetings_presence_of_a_sides_own_minister_is_a_delegate(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Vladimir Putin met Narendra Modi in the presence of Russian Foreign Minister Sergei Lavrov.")
    assert _who(ms) == [{"vladimir-putin", "narendra-modi"}]
    assert _names(ms[0].delegates) == {"sergey-lavrov"}


def test_extract_meetings_readout_lists_each_sides_delegates(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Vladimir Putin and Xi Jinping held talks in Moscow. Present at the talks from the "
                              "Russian side were Sergei Lavrov, Andrei Belousov and Yuri Ushakov. "
                              "The Chinese delegation included Wang Yi and Dong Jun.")
    assert _who(ms) == [{"vladimir-putin", "xi-jinping"}]
    assert _names(ms[0].delegates) == {"sergey-lavrov", "andrey-belousov", "yury-ushakov", "wang-yi", "dong-jun"}


def test_extract_meetings_accompanied_by_are_delegates(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Vladimir Putin, accompanied by Sergei Lavrov and Yuri Ushakov, met Narendra Modi in New Delhi.")
    assert _who(ms) == [{"vladimir-putin", "narendra-modi"}]
    assert _names(ms[0].delegates) == {"sergey-lavrov", "yury-ushakov"}


# --- meetings that are not one ---

def test_extract_meetings_two_bilaterals_in_one_sentence(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Vladimir Putin met Narendra Modi, and later Xi Jinping.")
    assert sorted(map(sorted, _who(ms))) == [["narendra-modi", "vladimir-putin"], ["vladimir-putin", "xi-jinping"]]


def test_extract_meetings_separately_with_a_second_counterpart(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Joe Biden spoke by phone with Emmanuel Macron, and separately with Olaf Scholz, "
                              "the White House said.")
    assert sorted(map(sorted, _who(ms))) == [["emmanuel-macron", "joe-biden"], ["joe-biden", "olaf-scholz"]]


def test_extract_meetings_each_separately_then_a_trilateral(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Abiy Ahmed and Hassan Sheikh Mohamud arrived in Ankara on Wednesday. "
                              "Recep Tayyip Erdogan first received each leader separately and then brought them "
                              "together for a trilateral meeting.")
    assert sorted(map(sorted, _who(ms))) == [["abiy-ahmed", "hassan-sheikh-mohamud", "recep-tayyip-erdogan"],
                                             ["abiy-ahmed", "recep-tayyip-erdogan"],
                                             ["hassan-sheikh-mohamud", "recep-tayyip-erdogan"]]


def test_extract_meetings_received_by_then_met_are_two_meetings(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Sergei Lavrov was received by Luiz Inacio Lula da Silva, and later in the day he met "
                              "with the president's adviser Celso Amorim.")
    assert sorted(map(sorted, _who(ms))) == [["celso-amorim", "sergey-lavrov"], ["luiz-inacio-lula-da-silva", "sergey-lavrov"]]


def test_extract_meetings_courtesy_call_is_a_meeting_but_urging_is_not(extractor: Extractor) -> None:
    assert _who(_meetings(extractor, "Wang Yi called on Prime Minister Narendra Modi on Tuesday.")) == \
        [{"wang-yi", "narendra-modi"}]
    assert _meetings(extractor, "Donald Trump called on Volodymyr Zelensky to agree to a ceasefire.") == []


def test_extract_meetings_a_possessor_is_not_at_the_table(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Sheikh Tamim bin Hamad Al Thani received Steve Witkoff and Brett McGurk, "
                              "Joe Biden's Middle East coordinator, in Doha.")
    assert _who(ms) == [{"tamim-bin-hamad-al-thani", "steve-witkoff", "brett-mcgurk"}]


def test_extract_meetings_a_principals_company_are_delegates(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Marco Rubio and Sergei Lavrov arrived on Monday. Later the two ministers were received "
                              "by Donald Trump, who was joined by JD Vance.")
    assert _who(ms) == [{"marco-rubio", "sergey-lavrov", "donald-trump"}]
    assert _names(ms[0].delegates) == {"jd-vance"}


def test_extract_meetings_attending_one_summit_is_not_meeting(extractor: Extractor) -> None:
    text = "Vladimir Putin and Xi Jinping attended the summit in Kazan and posed for a family photo."
    assert _meetings(extractor, text) == []


def test_extract_meetings_attending_a_session_is_not_meeting(extractor: Extractor) -> None:
    text = "Narendra Modi and Xi Jinping attended the plenary meeting of the forum on Tuesday."
    assert _meetings(extractor, text) == []


def test_extract_meetings_a_panel_discussion_is_not_meeting(extractor: Extractor) -> None:
    text = "Antony Blinken and Wang Yi spoke at a panel discussion in Munich."
    assert _meetings(extractor, text) == []


@pytest.mark.parametrize("text", [
    "Vladimir Putin proposed a meeting with Volodymyr Zelensky, but Zelensky refused.",
    "The talks between Vladimir Putin and Recep Tayyip Erdogan were cancelled.",
    "Volodymyr Zelensky refused to meet Vladimir Putin.",
    "Vladimir Putin has not met Volodymyr Zelensky since 2019.",
    "Donald Trump called for talks with Vladimir Putin.",
    "Donald Trump is ready to meet Vladimir Putin.",
])
def test_extract_meetings_planned_refused_cancelled_are_not_held(extractor: Extractor, text: str) -> None:
    assert _meetings(extractor, text) == []


def test_extract_meetings_summit_with_a_leader_is_a_meeting(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Yoon Suk Yeol travelled to Tokyo for a summit with Prime Minister Fumio Kishida.")
    assert _who(ms) == [{"yoon-suk-yeol", "fumio-kishida"}]


def test_extract_meetings_signing_together_is_meeting(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Emmanuel Macron and Donald Tusk signed a friendship treaty in Nancy on Friday.")
    assert _who(ms) == [{"emmanuel-macron", "donald-tusk"}]


def test_extract_meetings_phoning_someone_is_a_call(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Donald Trump said he interrupted the talks to phone Vladimir Putin.")
    assert [e.cls for e in ms] == ["PhoneCall"] and _who(ms) == [{"donald-trump", "vladimir-putin"}]


def test_extract_meetings_title_of_several_words_and_a_later_counterpart(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Qatar's Prime Minister and Foreign Minister Sheikh Mohammed bin Abdulrahman Al Thani "
                              "spoke on Tuesday. Sources said the Qatari prime minister met the Hamas delegation "
                              "headed by Khalil al-Hayya in the afternoon, and later the Israeli negotiating team "
                              "led by Mossad chief David Barnea.")
    assert sorted(map(sorted, _who(ms))) == [["david-barnea", "mohammed-bin-abdulrahman-al-thani"],
                                             ["khalil-al-hayya", "mohammed-bin-abdulrahman-al-thani"]]


def test_extract_meetings_after_talks_the_clause_subjects_met(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Mark Carney arrived in Mexico City on Thursday to see Claudia Sheinbaum. After talks at "
                              "the National Palace, the two leaders announced a strategic partnership.")
    assert _who(ms) == [{"mark-carney", "claudia-sheinbaum"}]


def test_extract_meetings_an_hour_of_talks_and_a_summit_of_one_of_them(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Donald Trump and Volodymyr Zelensky held about an hour of talks in the Oval Office, "
                              "three days after Trump's summit with Vladimir Putin in Alaska.")
    assert sorted(map(sorted, _who(ms))) == [["donald-trump", "vladimir-putin"], ["donald-trump", "volodymyr-zelensky"]]


def test_extract_meetings_two_of_a_multilateral_holding_talks_meet_on_their_own(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Donald Trump hosted Volodymyr Zelensky, Keir Starmer, Emmanuel Macron and Giorgia "
                              "Meloni in the East Room. Earlier, Trump and Zelensky held talks in the Oval Office.")
    assert sorted(map(len, _who(ms))) == [2, 5] and {"donald-trump", "volodymyr-zelensky"} in _who(ms)


def test_extract_meetings_talks_are_not_the_call_told_before(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Donald Trump spoke by phone with Vladimir Putin on Monday. "
                              "On Wednesday Trump and Putin held talks in Anchorage.")
    assert [e.cls for e in ms] == ["PhoneCall", "Meeting"]


def test_extract_meetings_the_meeting_is_the_one_told_last_in_a_live_blog(extractor: Extractor) -> None:
    text = ("Trump meets Syrian President Ahmed al-Sharaa in Riyadh\n\n20:45 Doha\n\nQatari Emir Sheikh Tamim bin "
            "Hamad Al Thani received Donald Trump at Lusail Palace.\n\n12:10 Riyadh\n\nTrump met al-Sharaa in "
            "Riyadh. The Syrian presidency said the meeting discussed the lifting of sanctions.")
    ms = _meetings(extractor, text)
    assert [len(e.evidence) for e in ms] == [3, 1] and len(_who(ms)[1]) == 2


def test_extract_meetings_a_mediator_meets_each_delegation_in_turn(extractor: Extractor) -> None:
    text = ("The Iranian delegation led by Foreign Minister Abbas Araghchi and the U.S. team headed by Steve Witkoff "
            "sat in separate rooms. Omani Foreign Minister Badr Albusaidi met each delegation in turn. "
            "Araghchi and Witkoff later spoke directly in the presence of Albusaidi.")
    assert sorted(map(sorted, _who(_meetings(extractor, text)))) == [
        ["abbas-araghchi", "badr-albusaidi"], ["abbas-araghchi", "badr-albusaidi", "steve-witkoff"],
        ["badr-albusaidi", "steve-witkoff"]]


def test_extract_meetings_countries_holding_talks_do_not_seat_whoever_is_named(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Iran and the United States held their first talks under President Donald Trump in "
                              "Oman, with Omani Foreign Minister Badr Albusaidi passing messages between them.")
    assert ms == []


@pytest.mark.parametrize("text", [
    "Sanae Takaichi and Lee Jae-myung held their first summit in Gyeongju.",
    "Donald Trump and Xi Jinping have shaken hands in Busan, their first face-to-face meeting since 2019.",
])
def test_extract_meetings_a_summit_or_meeting_the_subjects_held(extractor: Extractor, text: str) -> None:
    assert len(_meetings(extractor, text)) == 1


def test_extract_meetings_a_meeting_one_is_to_hold_is_not_held(extractor: Extractor) -> None:
    assert _meetings(extractor, "Faisal bin Farhan and Hossein Amir-Abdollahian are to meet to arrange the return "
                                "of ambassadors.") == []


def test_extract_meetings_sitting_in_a_car_is_not_sitting_in_on_talks(extractor: Extractor) -> None:
    ms = _meetings(extractor, "On Sunday, Narendra Modi held a bilateral meeting with Xi Jinping. A day later Modi rode "
                              "with Vladimir Putin to their bilateral talks, and the two sat in the car for an hour.")
    assert [e.delegates for e in ms] == [[] for _ in ms]


def test_extract_meetings_the_two_presidents_are_the_call_just_told(extractor: Extractor) -> None:
    text = ("Donald Trump spoke by phone with Vladimir Putin and began arrangements for a meeting between Putin and "
            "Volodymyr Zelensky. "
            "Yuri Ushakov said the two presidents discussed raising the level of the delegations.")
    assert {"vladimir-putin", "volodymyr-zelensky"} not in _who(_meetings(extractor, text))


def test_extract_meetings_a_line_break_sentence_is_not_split_before_and(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Donald Trump welcomed Volodymyr Zelensky on Monday.\n\n15:10 EDT - Zelensky in the "
                              "Oval Office\n\nTrump and Zelensky held about an hour of talks in the Oval Office.")
    assert [e.text[:9] for e in ms[0].evidence] == ["Donald Tr", "Trump and"]


def test_extract_meetings_a_bare_title_among_a_roles_offices(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Saudi Crown Prince Mohammed bin Salman greeted the press. Donald Trump and the crown "
                              "prince signed an economic partnership at Al-Yamamah Palace.")
    assert _who(ms) == [{"donald-trump", "mohammed-bin-salman"}]


def test_extract_meetings_who_attended_the_meeting_told_before(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Donald Trump met Syrian President Ahmed al-Sharaa in Riyadh. "
                              "Saudi Crown Prince Mohammed bin Salman attended, an aide said.")
    assert _who(ms) == [{"donald-trump", "ahmed-al-sharaa", "mohammed-bin-salman"}]
    ms = _meetings(extractor, "Vladimir Putin met Narendra Modi in Moscow. Sergei Lavrov attended, the Kremlin said.")
    assert _who(ms) == [{"vladimir-putin", "narendra-modi"}] and _names(ms[0].delegates) == {"sergey-lavrov"}


def test_extract_meetings_their_talks_of_a_new_pair_are_a_new_meeting(extractor: Extractor) -> None:
    ms = _meetings(extractor, "On Sunday, Narendra Modi held talks with Xi Jinping in Tianjin. On Monday Modi "
                              "drove with Vladimir Putin to their talks.")
    assert sorted(map(sorted, _who(ms))) == [["narendra-modi", "vladimir-putin"], ["narendra-modi", "xi-jinping"]]


def test_extract_meetings_two_of_a_trilateral_who_sign_meet_on_their_own(extractor: Extractor) -> None:
    ms = _meetings(extractor, "Donald Trump met Ahmed al-Sharaa and Saudi Crown Prince Mohammed bin Salman in Riyadh. "
                              "A day earlier, Trump and Mohammed bin Salman signed a strategic economic partnership.")
    assert sorted(map(len, _who(ms))) == [2, 3]


@pytest.mark.parametrize(("text", "met"), [
    ("Valery Gerasimov reported to Vladimir Putin on the course of the offensive.", 1),
    ("Sergei Shoigu briefed Vladimir Putin on the exercises at the Kremlin.", 1),
    ("Sergei Lavrov briefed reporters in Moscow.", 0),
    ("The envoy reported to the United Nations Security Council on Monday.", 0),
])
def test_extract_meetings_reporting_to_a_person_is_meeting(extractor: Extractor, text: str, met: int) -> None:
    assert len(_meetings(extractor, text)) == met


# --- invitations in wire phrasing ---

@pytest.mark.parametrize(("text", "inviter", "guests"), [
    ("Emmanuel Macron invited Narendra Modi and Luiz Inacio Lula da Silva to visit Paris.",
     {"emmanuel-macron"}, {"narendra-modi", "luiz-inacio-lula-da-silva"}),
    ("Narendra Modi accepted an invitation to visit Moscow from Vladimir Putin.", {"vladimir-putin"}, {"narendra-modi"}),
    ("Abiy Ahmed and Hassan Sheikh Mohamud arrived in Ankara at the invitation of Recep Tayyip Erdogan.",
     {"recep-tayyip-erdogan"}, {"abiy-ahmed", "hassan-sheikh-mohamud"}),
    ("Narendra Modi accepted Vladimir Putin's invitation to attend the summit.", {"vladimir-putin"}, {"narendra-modi"}),
    ("William Ruto extended an invitation to Joe Biden to visit Kenya.", {"william-ruto"}, {"joe-biden"}),
    ("Sergei Lavrov reaffirmed the invitation of Vladimir Putin for Kim Jong Un to visit Moscow.",
     {"vladimir-putin"}, {"kim-jong-un"}),
])
def test_extract_meetings_invitations(extractor: Extractor, text: str, inviter: set[str], guests: set[str]) -> None:
    assert _invitations(extractor, text) == [(inviter, guests)]


def test_extract_meetings_invitation_to_his_counterparts(extractor: Extractor) -> None:
    text = ("Xi Jinping, Kassym-Jomart Tokayev and Shavkat Mirziyoyev signed the declaration in Astana. "
            "Xi invited his two counterparts to attend the next summit.")
    assert _invitations(extractor, text) == [({"xi-jinping"}, {"kassym-jomart-tokayev", "shavkat-mirziyoyev"})]


def test_extract_meetings_an_accepted_invitation_to_attend_is_not_a_meeting(extractor: Extractor) -> None:
    assert _meetings(extractor, "Narendra Modi accepted Vladimir Putin's invitation to attend the summit.") == []


def test_extract_meetings_invitation_without_an_invitee_is_not_recorded(extractor: Extractor) -> None:
    assert _invitations(extractor, "Vladimir Putin sent out invitations on Monday.") == []


# --- the SHACL shape: no meeting node with fewer than two participants ---

@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Every eval article and the seeds, in one store."""
    store = Store(tmp_path_factory.mktemp("all") / "store")
    build(store, [ROOT / "eval" / "articles", SEEDS])
    return store


def test_extract_meetings_every_meeting_has_two_parties_in_all_articles(everything: Store) -> None:
    report = validate(everything)
    assert report.conforms, report.text[:3000]  # no violation, and no invitation without an invitee either


def eval_folders() -> list[Path]:
    """Every folder of articles under eval/: the dev set, each set-aside part, each event-identity part."""
    evals = ROOT / "eval"
    return [evals / "articles", *sorted(evals.glob("heldout*/articles")),
            *sorted(p for p in (evals / "events").iterdir() if p.is_dir())]


def test_extract_meetings_every_meeting_has_two_parties_in_every_eval_article(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """The shape holds on one store of every article under eval/ and the seeds (it may warn about
    other things there: an article without a date, an entity two articles name differently)."""
    folders = eval_folders()
    assert len(folders) >= 6  # the dev set, the set-aside parts, the event-identity parts
    store = Store(tmp_path_factory.mktemp("every") / "store")
    build(store, [*folders, SEEDS])
    report = validate(store)
    assert report.violations == 0 and "two parties" not in report.text, report.text[:3000]


def test_extract_meetings_shape_refuses_a_one_sided_meeting(tmp_path: Path) -> None:
    """The shape itself bites: a store with a one-participant meeting does not conform."""
    import pyoxigraph as ox

    from kg.ontology import ID, NKG, RDF

    store = Store(tmp_path / "store")
    build(store, [SEEDS])
    meeting, graph = ox.NamedNode(ID + "event/invented-meeting"), ox.NamedNode(ID + "article/invented")
    store.replace_graph(graph.value, [
        ox.Triple(meeting, ox.NamedNode(RDF + "type"), ox.NamedNode(NKG + "Meeting")),
        ox.Triple(meeting, ox.NamedNode(NKG + "participant"), ox.NamedNode(ID + "person/vladimir-putin")),
    ])
    report = validate(store)
    assert not report.conforms and "two parties" in report.text


def test_two_presidents_after_a_dateline_and_blank_lines(extractor: Extractor) -> None:
    """``the two presidents`` looks one sentence back among the body's sentences, not by the
    parser's count, which includes the dateline and blank runs (this once raised IndexError)."""
    text = ("MOSCOW, December 30. /TASS/.\n\n\n\n\n\n\n\n\n\nVladimir Putin and Joe Biden held a telephone"
            " conversation.\n\n\n\n\n\nThe two presidents discussed security.")
    assert _who(_meetings(extractor, text)) == [{"vladimir-putin", "joe-biden"}]
