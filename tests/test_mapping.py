"""kg.mapping on hand-made extractions: IRIs are stable and readable, every fact has provenance,
dates carry the datatype of their precision, and only web URLs become IRIs."""

from __future__ import annotations

import pyoxigraph as ox

from kg import mapping
from kg.model import Article, Claim, Cooperation, Entity, Event, Evidence, Extraction, Mention
from kg.ontology import ID, NKG, PROV, RDF, SCHEMA, SKOS, TOPIC, XSD

BODY = "Leader A met Leader B in Capital C. Analyst D said the talks went well."


def _extraction(*, url: str | None = "https://news.example/a", date: str | None = "2025-09-05") -> Extraction:
    art = Article(body=BODY, path="news/a.txt", title="A meets B", date=date, source="Example Wire", url=url)
    a = Entity("person/leader-a", "Leader A", "Leader", aliases={"A", "leader a"}, wikidata="Q1", role="President",
               affiliation="place/country-x")
    b = Entity("person/leader-b", "Leader B", "Leader", reference=True, aliases={"B"})
    d = Entity("person/analyst-d", "Analyst D", "Expert")
    meeting = Event("meeting-1", "Meeting", "Meeting of Leader A and Leader B", evidence=[Evidence(0, 34, BODY[:34])],
                    participants=["person/leader-a", "person/leader-b", "person/leader-a"], location=["place/capital-c"],
                    date="2025-09")
    coop = Cooperation("cooperation-1", "trade", ["place/country-x", "place/country-y"], evidence=[Evidence(0, 34, BODY[:34])],
                       provider="place/country-x")
    claim = Claim("claim-1", "person/analyst-d", BODY[35:], evidence=[Evidence(35, len(BODY), BODY[35:])],
                  about=["meeting-1", "cooperation-1", "person/leader-a"], certainty="hedged", cue="said")
    mentions = [Mention("person/leader-a", 0, 8, "Leader A"), Mention("person/leader-b", 13, 21, "Leader B"),
                Mention("person/leader-a", 0, 8, "Leader A")]
    return Extraction(art, entities={e.key: e for e in (a, b, d)}, mentions=mentions, events=[meeting],
                      cooperations=[coop], claims=[claim])


def _objects(triples: list[mapping.Triple], s: str, p: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
    return [o for (subj, pred, o) in triples if subj.value == s and pred.value == p]


def test_mapping_is_deterministic_and_iris_are_readable() -> None:
    first, again = mapping.extraction_triples(_extraction()), mapping.extraction_triples(_extraction())
    assert first == again
    art = mapping.article_iri(_extraction().article)
    assert art == f"{ID}article/{_extraction().article.id}" and len(_extraction().article.id) == 16
    subjects = {s.value for s, _, _ in first}
    assert f"{ID}event/{_extraction().article.id}-meeting-1" in subjects
    assert f"{ID}claim/{_extraction().article.id}-claim-1" in subjects
    assert all(isinstance(s, ox.NamedNode) and " " not in s.value for s, _, _ in first)  # no blank nodes


def test_mapping_mentions_each_entity_once() -> None:
    triples = mapping.extraction_triples(_extraction())
    art = mapping.article_iri(_extraction().article)
    mentioned = _objects(triples, art, NKG + "mentions")
    assert sorted(o.value for o in mentioned) == [ID + "person/leader-a", ID + "person/leader-b"]


def test_mapping_every_fact_has_its_article_and_evidence_offsets() -> None:
    ex = _extraction()
    triples = mapping.extraction_triples(ex)
    art = mapping.article_iri(ex.article)
    facts = {s.value for s, p, o in triples if p.value == RDF + "type"
             and o.value in {NKG + "Meeting", NKG + "Cooperation", NKG + "Claim"}}
    assert len(facts) == 3
    for fact in facts:
        assert [o.value for o in _objects(triples, fact, PROV + "wasDerivedFrom")] == [art]
        (evidence,) = _objects(triples, fact, NKG + "evidence")
        begin, end = (_objects(triples, evidence.value, NKG + k)[0] for k in ("beginIndex", "endIndex"))
        text = _objects(triples, evidence.value, NKG + "text")[0]
        assert isinstance(begin, ox.Literal) and begin.datatype.value == XSD + "integer"
        assert ex.article.body[int(begin.value):int(end.value)] == text.value


def test_mapping_event_participants_are_deduplicated_and_claims_point_at_facts() -> None:
    ex = _extraction()
    triples = mapping.extraction_triples(ex)
    event = f"{ID}event/{ex.article.id}-meeting-1"
    assert [o.value for o in _objects(triples, event, NKG + "participant")] == [ID + "person/leader-a", ID + "person/leader-b"]
    about = {o.value for o in _objects(triples, f"{ID}claim/{ex.article.id}-claim-1", NKG + "about")}
    assert about == {event, f"{ID}cooperation/{ex.article.id}-cooperation-1", ID + "person/leader-a"}
    coop = f"{ID}cooperation/{ex.article.id}-cooperation-1"
    assert [o.value for o in _objects(triples, coop, NKG + "topic")] == [TOPIC + "trade"]
    assert [o.value for o in _objects(triples, coop, NKG + "provider")] == [ID + "place/country-x"]


def test_mapping_dates_carry_the_datatype_of_their_precision() -> None:
    assert mapping.date_literal("2025-09-05").datatype.value == XSD + "date"
    assert mapping.date_literal("2025-09").datatype.value == XSD + "gYearMonth"
    assert mapping.date_literal("2025").datatype.value == XSD + "gYear"
    triples = mapping.extraction_triples(_extraction(date="2025-09"))
    (published,) = _objects(triples, mapping.article_iri(_extraction(date="2025-09").article), SCHEMA + "datePublished")
    assert isinstance(published, ox.Literal) and published.datatype.value == XSD + "gYearMonth"


def test_mapping_only_web_urls_become_iris() -> None:
    for url, is_iri in (("https://news.example/a", True), ("http://news.example/b?x=1", True),
                        ("javascript://%0aalert(1)", False), ("file:///etc/passwd", False), ("not a url", False)):
        ex = _extraction(url=url)
        (value,) = _objects(mapping.extraction_triples(ex), mapping.article_iri(ex.article), SCHEMA + "url")
        assert isinstance(value, ox.NamedNode) is is_iri, url
        assert value.value == url


def test_mapping_entities_graph_holds_new_entities_whole_and_only_aliases_of_known_ones() -> None:
    ex = _extraction()
    triples = mapping.entity_graph_triples(ex)
    known = [(p.value, o.value) for s, p, o in triples if s.value == ID + "person/leader-b"]
    assert known == [(SKOS + "altLabel", "B")]  # a reference entity: its description is in the reference graph
    new = {(p.value, o.value) for s, p, o in triples if s.value == ID + "person/leader-a"}
    assert (RDF + "type", NKG + "Leader") in new and (NKG + "role", "President") in new
    assert (SKOS + "altLabel", "A") in new
    assert (SKOS + "altLabel", "leader a") not in new  # the label again, in another case, is no alias
