"""Extraction -> triples of the article's named graph. IRI minting lives here, and only here.

IRIs are readable and stable: entities are ``id/<kind>/<slug>`` (the same in every
article), facts are ``id/<fact>/<article-hash>-<key>`` (``event/77014082e09430c1-meeting-1``)
and evidence is ``id/evidence/<article-hash>-<begin>-<end>``, so rebuilding an article gives
the same graph, and every IRI has a prefix in Turtle (``person:vladimir-putin``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.model import Article, Claim, Cooperation, Entity, Event, Evidence, Extraction
from kg.ontology import ID, NKG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, TOPIC, WD, XSD
from kg.store import Triple

_TYPE = ox.NamedNode(RDF + "type")
_LABEL = ox.NamedNode(RDFS + "label")
_DATE_TYPES = {10: XSD + "date", 7: XSD + "gYearMonth", 4: XSD + "gYear"}


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def nkg(local: str) -> ox.NamedNode:
    return ox.NamedNode(NKG + local)


def article_iri(article: Article) -> str:
    """The article's IRI, which is also the name of the graph holding its facts."""
    return article_graph(article.id)


def article_graph(article_id: str) -> str:
    """The IRI (and graph name) of the article whose content hash is ``article_id``."""
    return f"{ID}article/{article_id}"


def entity_iri(key: str) -> ox.NamedNode:
    return ox.NamedNode(ID + key)


def en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def date_literal(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=n(_DATE_TYPES.get(len(value), XSD + "string")))


def entity_triples(ent: Entity, *, aliases: Iterable[str] = ()) -> Iterator[Triple]:
    """Type, names, link and relations of one entity."""
    s = entity_iri(ent.key)
    yield s, _TYPE, nkg(ent.cls)
    yield s, _LABEL, en(ent.label)
    for alias in sorted({a for a in [*ent.aliases, *aliases] if a and a.casefold() != ent.label.casefold()}):
        yield s, n(SKOS + "altLabel"), en(alias)
    if ent.wikidata:
        yield s, n(OWL + "sameAs"), n(WD + ent.wikidata)
    if ent.role:
        yield s, nkg("role"), en(ent.role)
    if ent.affiliation:
        yield s, nkg("affiliation"), entity_iri(ent.affiliation)
    if ent.located_in:
        yield s, nkg("locatedIn"), entity_iri(ent.located_in)


def reference_triples(entities: Iterable[Entity]) -> Iterator[Triple]:
    """The gazetteer as triples, for the reference graph."""
    for ent in entities:
        yield from entity_triples(ent)


def extraction_triples(ex: Extraction) -> list[Triple]:
    """Every triple of one article's named graph."""
    art = n(article_iri(ex.article))
    out: list[Triple] = list(_article(ex.article, art))
    for key in dict.fromkeys(m.key for m in ex.mentions):
        out.append((art, nkg("mentions"), entity_iri(key)))
    out += [(art, nkg(p), entity_iri(k)) for p, k in (("filedBy", ex.filed_by), ("filedFrom", ex.filed_from)) if k]
    prefix = f"{ID}{{}}/{ex.article.id}-"
    events = {e.key: n(prefix.format("event") + e.key) for e in ex.events}
    for ev in ex.events:
        out.extend(_event(ev, events, art, ex.article))
    for coop in ex.cooperations:
        out.extend(_cooperation(coop, n(prefix.format("cooperation") + coop.key), art, ex))
    for claim in ex.claims:
        out.extend(_claim(claim, n(prefix.format("claim") + claim.key), art, ex, events))
    return out


def entity_graph_triples(ex: Extraction) -> list[Triple]:
    """What the article teaches about entities, for the shared entities graph: full descriptions
    of entities the gazetteer lacks, and only the new aliases of those it knows. Each fact about
    an entity is then stored once, however many articles name it, so union-graph joins do not
    multiply (Oxigraph's union default graph repeats a triple once per graph that holds it)."""
    out: list[Triple] = []
    for ent in ex.entities.values():
        if ent.reference:
            s = entity_iri(ent.key)
            out += [(s, n(SKOS + "altLabel"), en(a)) for a in sorted(ent.aliases) if a.casefold() != ent.label.casefold()]
        else:
            out.extend(entity_triples(ent))
    return out


def _article(article: Article, art: ox.NamedNode) -> Iterator[Triple]:
    yield art, _TYPE, nkg("Article")
    yield art, n(SCHEMA + "headline"), en(article.title or article.body[:80].split("\n")[0])
    if article.date:
        yield art, n(SCHEMA + "datePublished"), date_literal(article.date)
    if article.url:
        yield art, n(SCHEMA + "url"), _web_iri(article.url) or ox.Literal(article.url)
    if article.source:
        yield art, n(SCHEMA + "publisher"), ox.Literal(article.source)
    yield art, n(SCHEMA + "articleBody"), ox.Literal(article.body)
    yield art, nkg("sourceFile"), ox.Literal(article.path)


def _web_iri(url: str) -> ox.NamedNode | None:
    """An http(s) URL as an IRI; anything else (``javascript:``, ``file:``, not an IRI) is None."""
    if not re.match(r"(?i)https?://[^\s/?#]+", url):
        return None
    try:
        return ox.NamedNode(url)
    except ValueError:
        return None


def _provenance(s: ox.NamedNode, art: ox.NamedNode, article: Article, evidence: list[Evidence]) -> Iterator[Triple]:
    yield s, n(PROV + "wasDerivedFrom"), art
    for ev in evidence:
        e = n(f"{ID}evidence/{article.id}-{ev.start}-{ev.end}")
        yield s, nkg("evidence"), e
        yield e, _TYPE, nkg("Evidence")
        yield e, nkg("text"), ox.Literal(ev.text)
        yield e, nkg("beginIndex"), ox.Literal(str(ev.start), datatype=n(XSD + "integer"))
        yield e, nkg("endIndex"), ox.Literal(str(ev.end), datatype=n(XSD + "integer"))


def _event(ev: Event, events: dict[str, ox.NamedNode], art: ox.NamedNode, article: Article) -> Iterator[Triple]:
    s = events[ev.key]
    yield s, _TYPE, nkg(ev.cls)
    # the article's own name and key for its account; the event's one rdfs:label is reconciled
    # across its reports in the events graph (kg.identity), where the node's name is decided
    yield s, nkg("reportLabel"), en(ev.label)
    yield s, nkg("reportKey"), ox.Literal(f"{article.id}-{ev.key}")
    for prop, keys in (("participant", ev.participants), ("initiator", ev.initiator), ("delegate", ev.delegates),
                       ("location", ev.location), ("destination", ev.destination)):
        for key in dict.fromkeys(keys):
            yield s, nkg(prop), entity_iri(key)
    for slug in ev.topics:
        yield s, nkg("topic"), n(TOPIC + slug)
    if ev.date:  # the date this article gives; the event's one nkg:date is reconciled (kg.identity)
        yield s, nkg("reportDate"), date_literal(ev.date)
    if ev.part_of and ev.part_of in events:
        yield s, nkg("partOf"), events[ev.part_of]
    yield from _provenance(s, art, article, ev.evidence)


def _label(ex: Extraction, key: str | None) -> str:
    ent = ex.entities.get(key or "")
    return ent.label if ent else (key or "?").rsplit("/", 1)[-1]


def _cooperation(coop: Cooperation, s: ox.NamedNode, art: ox.NamedNode, ex: Extraction) -> Iterator[Triple]:
    yield s, _TYPE, nkg("Cooperation")
    sides = " – ".join(_label(ex, p) for p in coop.partners)
    yield s, _LABEL, en(f"{sides}: {coop.topic.replace('-', ' ')}")
    for key in coop.partners:
        yield s, nkg("partner"), entity_iri(key)
    yield s, nkg("topic"), n(TOPIC + coop.topic)
    if coop.provider:
        yield s, nkg("provider"), entity_iri(coop.provider)
    if coop.recipient:
        yield s, nkg("recipient"), entity_iri(coop.recipient)
    yield from _provenance(s, art, ex.article, coop.evidence)


def _claim(claim: Claim, s: ox.NamedNode, art: ox.NamedNode, ex: Extraction,
           events: dict[str, ox.NamedNode]) -> Iterator[Triple]:
    yield s, _TYPE, nkg("Claim")
    yield s, _LABEL, en(f"Claim by {_label(ex, claim.claimant)}")
    yield s, nkg("claimant"), entity_iri(claim.claimant)
    if claim.reported_by:
        yield s, nkg("reportedBy"), entity_iri(claim.reported_by)
    coops = {c.key for c in ex.cooperations}
    prefix = f"{ID}cooperation/{ex.article.id}-"
    for key in claim.about:
        yield s, nkg("about"), events.get(key) or (n(prefix + key) if key in coops else entity_iri(key))
    yield s, nkg("quote"), ox.Literal(claim.text)
    yield s, nkg("certainty"), ox.Literal(claim.certainty)
    if claim.cue:
        yield s, nkg("cue"), ox.Literal(claim.cue)
    yield from _provenance(s, art, ex.article, claim.evidence)
