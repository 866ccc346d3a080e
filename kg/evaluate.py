"""Score the store against hand-written gold facts, agreeing with ``shared/tools/kgeval.py``.

``kg eval`` must give the scorer's tp/fp/fn per measure on the same graph, so this module
follows its rules, not the project's idea of a match: names match after folding accents, case,
a leading "the" and punctuation, against ``rdfs:label``/``skos:prefLabel``/``skos:altLabel``/
``schema:name``; entities are what an ``nkg:Article`` ``nkg:mentions`` with an ``nkg:`` type
under Agent or Place (contract hierarchy only), and unmatched ones are false positives; meetings
match by exact set of gold persons; cooperation by (gold countries among partners or their
``nkg:affiliation``, topic slug); claims by claimant; invitations by (initiator, invitee).
Gold entries marked ``optional`` are neither misses nor false positives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, Dataset, Graph, Namespace
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from kg.gold import CoopKey, FactSet, Gold, GoldEntity, GoldMeeting, InviteKey, Score, load_gold, normalise_label  # noqa: F401

NKG = Namespace("https://w3id.org/newskg/ontology#")
SCHEMA = Namespace("https://schema.org/")
TOPIC = "https://w3id.org/newskg/id/topic/"
WD = "http://www.wikidata.org/entity/"

# The contract's hierarchy, fixed here rather than read from ontology/: the scorer ignores
# subclasses the project adds, and reading them would make the two disagree.
PARENT: dict[str, str] = {
    "Leader": "Person", "Official": "Person", "Expert": "Person", "Person": "Agent",
    "MediaOutlet": "Organization", "Organization": "Agent",
    "Country": "Place", "Region": "Place", "City": "Place", "Facility": "Place",
    "PhoneCall": "Meeting", "Meeting": "Event", "Summit": "Event", "Visit": "Event",
    "Invitation": "Event", "MilitaryOperation": "Event", "Agreement": "Event", "Training": "Event",
}
ENTITY_ROOTS = frozenset({"Agent", "Place"})
PERSON_TYPES = frozenset({"Leader", "Official", "Expert", "Person"})
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SCHEMA.name)
MEASURES = ("entities_typed", "entities_untyped", "meetings", "cooperation", "claims", "invitations")

def type_ancestors(name: str) -> list[str]:
    """``name`` and its superclasses in the contract's hierarchy, most specific first."""
    return [name, *type_ancestors(PARENT[name])] if name in PARENT else [name]


def _local(iri: object) -> str:
    return str(iri).split("#")[-1].split("/")[-1]


@dataclass(frozen=True)
class ArticleResult:
    """The scores for one gold file; field names and order are the scorer's JSON keys."""

    file: str
    articles: int
    article_date_ok: bool
    article_title_ok: bool
    entities_typed: Score
    entities_untyped: Score
    entities_missing: list[str]
    entities_spurious: list[str]
    entities_wrong_type: list[str]
    linking: dict[str, Any]  # gold_with_qid_found, correct, wrong (list of "label: found != gold")
    meetings: Score
    meetings_system: list[list[str]]
    cooperation: Score
    cooperation_missing: list[str]
    cooperation_spurious: list[str]
    claims: Score
    invitations: Score
    provenance: dict[str, int]  # facts, with_article_and_evidence
    meetings_location_ok: int  # the scorer reports it inside "meetings"


@dataclass(frozen=True)
class EvalReport:
    """Per-gold-file results, and the summary in the scorer's JSON layout."""

    articles: list[ArticleResult]
    summary: dict[str, Any]


# ---- graph lookups ---------------------------------------------------------------------------

class _View:
    """Read-only lookups over the union of all graphs, with ``nkg:`` types indexed once."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._types: dict[Node, set[str]] = {}
        for node, cls in graph.subject_objects(RDF.type):
            if str(cls).startswith(str(NKG)):
                self._types.setdefault(node, set()).add(_local(cls))

    def types(self, node: Node) -> set[str]:
        return self._types.get(node, set())

    def of_type(self, cls: str) -> list[Node]:
        """Nodes typed ``cls`` or a subclass, in a stable order."""
        found = [n for n, ts in self._types.items() if any(cls in type_ancestors(t) for t in ts)]
        return sorted(found, key=str)

    def objects(self, node: Node, prop: Node) -> list[Node]:
        return list(self.graph.objects(node, prop))

    def labels(self, node: Node) -> set[str]:
        return {normalise_label(o) for p in LABEL_PROPERTIES for o in self.objects(node, p)}

    def sameas(self, node: Node) -> set[str]:
        found = (str(o) for p in (OWL.sameAs, SCHEMA.sameAs) for o in self.objects(node, p))
        return {q[len(WD):] for q in found if q.startswith(WD)}


@dataclass
class _Context:
    """One gold file against the graph: maps nodes to gold entity labels."""

    view: _View
    gold: Gold
    index: dict[str, str] = field(default_factory=dict)
    by_label: dict[str, GoldEntity] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for ent in self.gold.entities:
            for name in (ent.label, *ent.aliases):
                self.index.setdefault(normalise_label(name), ent.label)  # first entry wins a name
            self.by_label[ent.label] = ent  # last entry wins a label, as in the scorer

    def node_gold(self, node: Node) -> set[str]:
        return {self.index[n] for n in self.view.labels(node) if n in self.index}

    def gold_of_all(self, nodes: Iterable[Node]) -> set[str]:
        return {label for node in nodes for label in self.node_gold(node)}

    def country_of(self, node: Node) -> set[str]:
        """Gold names for a partner: itself, or whom it is affiliated with."""
        return self.node_gold(node) | self.gold_of_all(self.view.objects(node, NKG.affiliation))


# ---- measures --------------------------------------------------------------------------------

@dataclass
class _EntityTally:
    typed: set[str] = field(default_factory=set)
    untyped: set[str] = field(default_factory=set)
    unmatched: list[str] = field(default_factory=list)
    wrong_type: list[str] = field(default_factory=list)
    linked_ok: int = 0
    linked_wrong: list[str] = field(default_factory=list)


def _tally_entities(ctx: _Context) -> _EntityTally:
    tally = _EntityTally()
    view = ctx.view
    mentioned = {o for a in view.of_type("Article") for o in view.objects(a, NKG.mentions)}
    for node in sorted(mentioned, key=str):
        types = view.types(node)
        if not any(ENTITY_ROOTS.intersection(type_ancestors(t)) for t in types):
            continue
        hits = ctx.node_gold(node)
        if not hits:
            name = min(map(str, view.objects(node, RDFS.label)), default=str(node))
            tally.unmatched.append(f"{name} ({'/'.join(sorted(types))})")
        for label in sorted(hits):
            _tally_hit(ctx, tally, node, ctx.by_label[label])
    return tally


def _tally_hit(ctx: _Context, tally: _EntityTally, node: Node, ent: GoldEntity) -> None:
    types = ctx.view.types(node)
    tally.untyped.add(ent.label)
    if ent.type == "Thing" or any(ent.type in type_ancestors(t) for t in types):
        tally.typed.add(ent.label)
    else:
        tally.wrong_type.append(f"{ent.label}: gold {ent.type}, got {'/'.join(sorted(types))}")
    if ent.wikidata:
        qids = ctx.view.sameas(node)
        if ent.wikidata in qids:
            tally.linked_ok += 1
        elif qids:
            tally.linked_wrong.append(f"{ent.label}: {sorted(qids)} != {ent.wikidata}")


def _system_meetings(ctx: _Context) -> list[tuple[frozenset[str], set[str]]]:
    out = []
    for event in ctx.view.of_type("Meeting"):
        found = ctx.gold_of_all(ctx.view.objects(event, NKG.participant))
        persons = frozenset(x for x in found if ctx.by_label[x].type in PERSON_TYPES)
        places = {n for place in ctx.view.objects(event, NKG.location) for n in ctx.view.labels(place)}
        out.append((persons, places))
    return out


def _match_meetings(system: list[tuple[frozenset[str], set[str]]],
                    gold: list[GoldMeeting]) -> tuple[Score, int]:
    """Greedy exact-set matching; returns the score and how many hits had a right location."""
    matched: set[int] = set()
    tp = fp = location_ok = 0
    for persons, places in system:
        hit = next((i for i, m in enumerate(gold) if m.participants == persons and i not in matched), None)
        if hit is None:
            fp += len(persons) >= 2  # a "meeting" of fewer than two known people is not held against it
            continue
        matched.add(hit)
        if not gold[hit].optional:
            tp += 1
            location_ok += not gold[hit].locations or bool(places & gold[hit].locations)
    fn = sum(1 for i, m in enumerate(gold) if not m.optional and i not in matched)
    return Score(tp, fp, fn), location_ok


def _topic_slug(topic: Node) -> str:
    text = str(topic)
    return text[len(TOPIC):] if text.startswith(TOPIC) else normalise_label(text)


def _system_cooperation(ctx: _Context) -> set[CoopKey]:
    out: set[CoopKey] = set()
    for coop in ctx.view.of_type("Cooperation"):
        sides = {x for p in ctx.view.objects(coop, NKG.partner) for x in ctx.country_of(p)}
        partners = frozenset(x for x in sides if ctx.by_label[x].type == "Country")
        out.update((partners, _topic_slug(t)) for t in ctx.view.objects(coop, NKG.topic))
    return out


def _coop_name(key: CoopKey) -> str:
    return f"{'+'.join(sorted(key[0]))}:{key[1]}"


def _system_claimants(ctx: _Context) -> set[str]:
    out: set[str] = set()
    for claim in ctx.view.of_type("Claim"):
        for who in ctx.view.objects(claim, NKG.claimant):
            out |= ctx.node_gold(who) or {f"?{min(ctx.view.labels(who), default=str(who))}"}
    return out


def _system_invitations(ctx: _Context) -> set[InviteKey]:
    out: set[InviteKey] = set()
    for event in ctx.view.of_type("Invitation"):
        hosts: set[str | None] = set(ctx.gold_of_all(ctx.view.objects(event, NKG.initiator))) or {None}
        guests: set[str | None] = set(ctx.gold_of_all(ctx.view.objects(event, NKG.participant)))
        out.update((a, b) for a in hosts for b in (guests - {a}) or {None})
    return out


def _provenance(view: _View) -> tuple[int, int]:
    """(facts, facts with both a source article and evidence)."""
    facts = {*view.of_type("Event"), *view.of_type("Cooperation"), *view.of_type("Claim")}
    sourced = [f for f in facts if view.objects(f, PROV.wasDerivedFrom) and view.objects(f, NKG.evidence)]
    return len(facts), len(sourced)


def _article_meta(ctx: _Context) -> tuple[int, bool, bool]:
    """(articles in the graph, gold date among their dates, gold title among their titles)."""
    view = ctx.view
    articles = view.of_type("Article")
    dates = {str(o)[:10] for a in articles for p in (SCHEMA.datePublished, DCTERMS.date) for o in view.objects(a, p)}
    titles = {normalise_label(o) for a in articles
              for p in (SCHEMA.headline, DCTERMS.title, SCHEMA.name) for o in view.objects(a, p)}
    return len(articles), ctx.gold.date in dates, normalise_label(ctx.gold.title) in titles


# ---- scoring ---------------------------------------------------------------------------------

def _entity_fields(ctx: _Context) -> dict[str, Any]:
    """The entity and linking fields of an ``ArticleResult``."""
    tally = _tally_entities(ctx)
    ents = ctx.gold.entities
    gold = FactSet(frozenset(e.label for e in ents if not e.optional), frozenset(e.label for e in ents if e.optional))
    spurious = Score(fp=len(tally.unmatched))
    found = sum(1 for e in ents if e.wikidata and e.label in tally.untyped)
    return {"entities_typed": gold.score(tally.typed) + spurious,
            "entities_untyped": gold.score(tally.untyped) + spurious,
            "entities_missing": sorted(gold.required - tally.untyped), "entities_spurious": sorted(tally.unmatched),
            "entities_wrong_type": tally.wrong_type,
            "linking": {"gold_with_qid_found": found, "correct": tally.linked_ok, "wrong": tally.linked_wrong}}


def _meeting_fields(ctx: _Context) -> dict[str, Any]:
    system = _system_meetings(ctx)
    score, location_ok = _match_meetings(system, ctx.gold.meetings)
    return {"meetings": score, "meetings_system": [sorted(p) for p, _ in system], "meetings_location_ok": location_ok}


def _cooperation_fields(ctx: _Context) -> dict[str, Any]:
    system, gold = _system_cooperation(ctx), ctx.gold.cooperation
    return {"cooperation": gold.score(system),
            "cooperation_missing": sorted(map(_coop_name, gold.required - system)),
            "cooperation_spurious": sorted(map(_coop_name, system - gold.required - gold.optional))}


def _score_gold(view: _View, gold: Gold) -> ArticleResult:
    """Score the graph against one gold file."""
    ctx = _Context(view, gold)
    articles, date_ok, title_ok = _article_meta(ctx)
    facts, sourced = _provenance(view)
    return ArticleResult(
        file=gold.file, articles=articles, article_date_ok=date_ok, article_title_ok=title_ok,
        **_entity_fields(ctx), **_meeting_fields(ctx), **_cooperation_fields(ctx),
        claims=gold.claims.score(_system_claimants(ctx)), invitations=gold.invitations.score(_system_invitations(ctx)),
        provenance={"facts": facts, "with_article_and_evidence": sourced})


def summarise(results: Sequence[ArticleResult]) -> dict[str, Any]:
    """Counts summed over gold files with P/R/F1 derived from the sums; the scorer's layout."""
    out: dict[str, Any] = {k: sum((getattr(r, k) for r in results), Score()).as_dict() for k in MEASURES}
    out["linking_correct"] = f"{sum(r.linking['correct'] for r in results)}/" \
                             f"{sum(r.linking['gold_with_qid_found'] for r in results)}"
    out["linking_wrong"] = sum(len(r.linking["wrong"]) for r in results)
    out["article_meta_ok"] = f"{sum(r.article_date_ok and r.article_title_ok for r in results)}/{len(results)}"
    out["provenance"] = f"{sum(r.provenance['with_article_and_evidence'] for r in results)}/" \
                        f"{sum(r.provenance['facts'] for r in results)}"
    return out


def _union(graph: Graph) -> Graph:
    """A plain graph holding every triple of every named graph.

    A ``Dataset`` only looks into its named graphs when built with ``default_union``, and its
    lookups are slower; copying once makes both kinds of input behave the same.
    """
    if not isinstance(graph, Dataset):
        return graph
    union = Graph()
    for s, p, o, _ in graph.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def evaluate_store(graph: Graph, gold_paths: Sequence[Path]) -> EvalReport:
    """Score a graph (usually ``kg.export.to_rdflib(store)``) against gold files.

    A ``Dataset`` is read as the union of its graphs. Every gold file is read before any
    scoring, so a bad one fails fast with a ``ValidationError`` naming it. Like the scorer,
    this reads every article in the graph: score a store built from the gold articles alone.
    """
    golds = [load_gold(Path(p)) for p in gold_paths]
    view = _View(_union(graph))
    results = [_score_gold(view, gold) for gold in golds]
    return EvalReport(results, summarise(results))


# ---- output ----------------------------------------------------------------------------------

def _article_json(result: ArticleResult) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(result):
        value = getattr(result, f.name)
        out[f.name] = value.as_dict() if isinstance(value, Score) else value
    out["meetings"]["location_ok"] = out.pop("meetings_location_ok")
    return out


def report_json(report: EvalReport) -> dict[str, Any]:
    """The scorer's ``--json`` document: ``per_article`` results and the ``summary``."""
    return {"per_article": [_article_json(r) for r in report.articles], "summary": report.summary}


def report_text(report: EvalReport) -> str:
    """The scorer's table: one line per measure, a summary line, then per-file problems."""
    s = report.summary
    lines = [f"{'measure':<18}{'P':>7}{'R':>7}{'F1':>7}   tp/fp/fn"]
    for key in MEASURES:
        m = s[key]
        lines.append(f"{key:<18}{m['p']:>7.3f}{m['r']:>7.3f}{m['f1']:>7.3f}   {m['tp']}/{m['fp']}/{m['fn']}")
    lines.append(f"wikidata links right {s['linking_correct']} (wrong {s['linking_wrong']}); "
                 f"article title+date {s['article_meta_ok']}; facts with provenance {s['provenance']}")
    for r in report.articles:
        lines.append(f"-- {r.file}")
        for key in ("entities_missing", "entities_spurious", "entities_wrong_type",
                    "cooperation_missing", "cooperation_spurious"):
            if getattr(r, key):
                lines.append(f"   {key}: {'; '.join(getattr(r, key))}")
        if r.linking["wrong"]:
            lines.append(f"   wikidata_wrong: {'; '.join(r.linking['wrong'])}")
    return "\n".join(lines)
