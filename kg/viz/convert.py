"""RDF knowledge graph -> networkx MultiDiGraph, one node per entity, event, claim or topic.

Node ids are IRI strings. Every node carries the same attribute keys (missing values are
``None`` or empty): ``label``, ``cls``, ``aliases``, ``wikidata``, ``role``, ``date``,
``reported`` (earliest source-article date), ``iri``, ``quote``, ``mentions`` (how many
articles name it: 0 for reference data no article used) and ``evidence``, a list of
``{"text", "article", "date"}`` read through ``nkg:evidence`` and ``prov:wasDerivedFrom``.
Other literal-valued properties become attributes named by their local name. Edges are keyed
by the relation's local name (``participant``, ``topic``, ``locatedIn``) with a ``label``.
The graph attribute ``superclasses`` maps each class to its superclass.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, Namespace
from rdflib.term import Node

from kg.viz.style import PARENTS, RESOURCE, TOPIC, depth

NKG = Namespace("https://w3id.org/newskg/ontology#")
SCHEMA = Namespace("https://schema.org/")
WIKIDATA = re.compile(r"^https?://www\.wikidata\.org/(?:entity|wiki)/(Q[0-9]+)$")
ID = "https://w3id.org/newskg/id/"
EVIDENCE_IRI = re.compile(re.escape(ID) + r"evidence/([0-9a-f]+)-\d+-\d+$")
NOT_NODES = frozenset({"Evidence", "ConceptScheme"})
# literal properties already read into named attributes
KNOWN_LITERALS = frozenset(
    {RDFS.label, SKOS.prefLabel, SKOS.altLabel, NKG.role, NKG.date, NKG.quote, SCHEMA.name,
     NKG.reportKey, NKG.reportLabel, NKG.reportDate, NKG.identityKey}  # an event's reports are read into "reports"
)
OTHER_CLASSES: dict[Node, str] = {
    SKOS.Concept: TOPIC,
    SCHEMA.NewsArticle: "Article",
    SKOS.ConceptScheme: "ConceptScheme",
}
NO_EDGE = frozenset({RDF.type, OWL.sameAs, NKG.evidence, SKOS.inScheme, RDFS.subClassOf})

Props = dict[URIRef, list[Node]]


@dataclass(slots=True)
class _Index:
    """All triples grouped by subject, and the named graphs each subject appears in."""

    props: dict[Node, Props] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    graphs: dict[Node, set[Node]] = field(default_factory=lambda: defaultdict(set))

    def values(self, subject: Node, prop: URIRef) -> list[Node]:
        """Objects of one property (empty when the subject is unknown)."""
        return self.props[subject].get(prop, []) if subject in self.props else []

    def text(self, subject: Node, prop: URIRef) -> str | None:
        """One literal value, preferring English, then the smallest (for stability)."""
        literals = [o for o in self.values(subject, prop) if isinstance(o, Literal)]
        if not literals:
            return None
        english = [o for o in literals if (o.language or "").lower().startswith("en")]
        return str(min(english or literals, key=str))


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def to_networkx(graph: Graph, *, articles: bool = False) -> nx.MultiDiGraph[Hashable]:
    """Turn a knowledge graph (Graph or Dataset, all named graphs merged) into networkx.

    With ``articles=True`` articles are nodes too (``cls`` 'Article'), linked to what they
    mention and to the facts derived from them; evidence is never a node.
    """
    index = _index(graph)
    parents = _superclasses(index)
    classes = {s: c for s in index.props if (c := _node_class(index, s, parents))}
    kept = {s: c for s, c in classes.items() if c not in NOT_NODES and (articles or c != "Article")}
    mentions = _mention_counts(index, classes)
    nxg: nx.MultiDiGraph[Hashable] = nx.MultiDiGraph(superclasses=parents)
    for subject, cls in kept.items():
        nxg.add_node(str(subject), **_attributes(index, subject, cls), mentions=mentions.get(subject, 0))
    for subject in list(kept):
        _add_edges(nxg, index, subject, kept, classes)
    return nxg


def _triples(graph: Graph) -> Iterator[tuple[Node, Node, Node, Node | None]]:
    """Every triple with its graph name; a Dataset's named graphs are all read."""
    if isinstance(graph, ConjunctiveGraph):
        for s, p, o, ctx in graph.quads((None, None, None, None)):
            yield s, p, o, getattr(ctx, "identifier", ctx)
    else:
        for s, p, o in graph.triples((None, None, None)):
            yield s, p, o, None


def _index(graph: Graph) -> _Index:
    index = _Index()
    for s, p, o, ctx in _triples(graph):
        if not isinstance(p, URIRef):
            continue
        objects = index.props[s][p]
        if o not in objects:
            objects.append(o)
        if ctx is not None:
            index.graphs[s].add(ctx)
    return index


def _mention_counts(index: _Index, classes: dict[Node, str]) -> dict[Node, int]:
    """How many articles mention each resource (``nkg:mentions``, ``schema:mentions``)."""
    counts: dict[Node, int] = defaultdict(int)
    for article in (s for s, cls in classes.items() if cls == "Article"):
        named = index.values(article, NKG.mentions) + index.values(article, SCHEMA.mentions)
        for mentioned in set(named):
            counts[mentioned] += 1
    return counts


def _superclasses(index: _Index) -> dict[str, str]:
    """The contract's hierarchy plus ``rdfs:subClassOf`` links between nkg classes."""
    parents = dict(PARENTS)
    for subject, props in index.props.items():
        for parent in props.get(RDFS.subClassOf, []):
            if str(subject).startswith(str(NKG)) and str(parent).startswith(str(NKG)):
                parents.setdefault(local_name(str(subject)), local_name(str(parent)))
    return parents


def _node_class(index: _Index, subject: Node, parents: dict[str, str]) -> str | None:
    """The most specific nkg class of a subject; 'Topic' for concepts; None otherwise."""
    names: set[str] = set()
    for t in index.values(subject, RDF.type):
        iri = str(t)
        if iri.startswith(str(NKG)):
            names.add(local_name(iri))
        elif t in OTHER_CLASSES:
            names.add(OTHER_CLASSES[t])
    if "CooperationTopic" in names:
        names = (names - {"CooperationTopic"}) | {TOPIC}
    if not names:
        return None
    return max(sorted(names), key=lambda name: depth(name, parents))


def _attributes(index: _Index, subject: Node, cls: str) -> dict[str, object]:
    """The node attributes listed in the module docstring."""
    label = _label(index, subject)
    aliases = sorted(
        {str(o) for p in (SKOS.altLabel, RDFS.label) for o in index.values(subject, p)} - {label}
    )
    roles = sorted({str(o) for o in index.values(subject, NKG.role)})
    sources = [o for o in index.values(subject, PROV.wasDerivedFrom) if isinstance(o, URIRef)]
    published = sorted(filter(None, (_article_date(index, a) for a in sources)))
    attrs: dict[str, object] = {
        "label": label,
        "cls": cls,
        "aliases": aliases,
        "wikidata": _wikidata(index, subject),
        "role": ", ".join(roles) or None,
        "date": index.text(subject, NKG.date) or index.text(subject, SCHEMA.datePublished),
        "reported": published[0] if published else None,
        "iri": str(subject),
        "quote": index.text(subject, NKG.quote),
        "evidence": _evidence(index, subject, sources),
        "reports": _reports(index, subject, sources) if NKG.reportKey in index.props[subject] else [],
    }
    for prop, objects in index.props[subject].items():
        name = local_name(str(prop))
        literals = sorted(str(o) for o in objects if isinstance(o, Literal))
        if literals and prop not in KNOWN_LITERALS and name not in attrs:
            attrs[name] = "; ".join(literals)
    return attrs


def _label(index: _Index, subject: Node) -> str:
    for prop in (RDFS.label, SKOS.prefLabel, SCHEMA.name, SCHEMA.headline):
        if (text := index.text(subject, prop)) is not None:
            return text
    quote = index.text(subject, NKG.quote)
    if quote:
        return quote if len(quote) <= 60 else quote[:59] + "…"
    return local_name(str(subject))


def _wikidata(index: _Index, subject: Node) -> str | None:
    for same in sorted(str(o) for o in index.values(subject, OWL.sameAs)):
        if match := WIKIDATA.match(same):
            return match.group(1)
    return None


def _article_date(index: _Index, article: Node) -> str | None:
    return index.text(article, SCHEMA.datePublished)


def _evidence(index: _Index, subject: Node, sources: list[URIRef]) -> list[dict[str, str]]:
    """Evidence sentences with the title and date of the article each was read from."""
    found: list[dict[str, str]] = []
    for ev in index.values(subject, NKG.evidence):
        text = index.text(ev, NKG.text)
        if not text:
            continue
        article = _evidence_article(index, ev, sources)
        item = {
            "text": text,
            "article": (index.text(article, SCHEMA.headline) or str(article)) if article else "",
            "date": (_article_date(index, article) or "") if article else "",
        }
        if item not in found:
            found.append(item)
    return sorted(found, key=lambda e: (e["date"], e["article"], e["text"]))


def _evidence_article(index: _Index, ev: Node, sources: list[URIRef]) -> Node | None:
    """The evidence's own source, else its named graph, else the article its IRI is minted
    from (``evidence/<article-id>-<begin>-<end>``), else the fact's only source."""
    own = index.values(ev, PROV.wasDerivedFrom)
    if own:
        return own[0]
    articles = set(sources)
    named = sorted((g for g in index.graphs.get(ev, set()) if g in articles), key=str)
    if named:
        return named[0]
    minted = EVIDENCE_IRI.match(str(ev))
    if minted and URIRef(ID + "article/" + minted.group(1)) in articles:
        return URIRef(ID + "article/" + minted.group(1))
    return sources[0] if len(sources) == 1 else None


def _reports(index: _Index, subject: Node, sources: list[URIRef]) -> list[dict[str, str]]:
    """An event's reports: each article that tells of it, with its outlet, date and first sentence
    about it, in publication order."""
    sentences: dict[Node, str] = {}
    for ev in sorted(index.values(subject, NKG.evidence), key=lambda e: _offset(index, e)):
        article = _evidence_article(index, ev, sources)
        text = index.text(ev, NKG.text)
        if article is not None and text and article not in sentences:
            sentences[article] = text
    out = [{"article": index.text(a, SCHEMA.headline) or str(a), "outlet": index.text(a, SCHEMA.publisher) or "",
            "date": _article_date(index, a) or "", "text": sentences.get(a, "")} for a in sorted(set(sources), key=str)]
    return sorted(out, key=lambda r: (r["date"], r["article"]))


def _offset(index: _Index, ev: Node) -> int:
    begin = index.text(ev, NKG.beginIndex)
    return int(begin) if begin and begin.isdigit() else 0


def _add_edges(
    nxg: nx.MultiDiGraph[Hashable], index: _Index, subject: Node, kept: dict[Node, str], classes: dict[Node, str]
) -> None:
    """One edge per object-valued property; untyped nkg targets become 'Resource' nodes."""
    for prop, objects in index.props[subject].items():
        if prop in NO_EDGE:
            continue
        name = local_name(str(prop))
        for obj in objects:
            if not isinstance(obj, URIRef) or obj == subject:
                continue
            if obj not in kept:
                if obj in classes or not str(prop).startswith(str(NKG)):
                    continue  # an Article, Evidence or scheme that is not drawn
                nxg.add_node(str(obj), **_attributes(index, obj, RESOURCE), mentions=0)
                kept[obj] = RESOURCE
            nxg.add_edge(str(subject), str(obj), key=name, label=name)
