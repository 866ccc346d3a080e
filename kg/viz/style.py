"""The class hierarchy the page relies on, and how each class looks.

The hierarchy mirrors the contract (``/work/shared/CONTRACT.md``); classes a graph adds with
``rdfs:subClassOf`` are merged in by :func:`kg.viz.convert.to_networkx` and stored in the
graph attribute ``superclasses``, so filters by ``Person`` also keep a new ``Spokesperson``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# class -> direct superclass, per the contract
PARENTS: dict[str, str] = {
    "Person": "Agent",
    "Leader": "Person",
    "Official": "Person",
    "Expert": "Person",
    "Organization": "Agent",
    "MediaOutlet": "Organization",
    "Country": "Place",
    "Region": "Place",
    "City": "Place",
    "Facility": "Place",
    "Meeting": "Event",
    "PhoneCall": "Meeting",
    "Summit": "Event",
    "Visit": "Event",
    "Invitation": "Event",
    "MilitaryOperation": "Event",
    "Agreement": "Event",
    "Training": "Event",
    "CooperationTopic": "Topic",
}

# nodes that stand for an n-ary relation between their parties
NARY_ROOTS = frozenset({"Event", "Cooperation", "Claim"})
TOPIC = "Topic"
RESOURCE = "Resource"  # a linked IRI with no nkg type


@dataclass(frozen=True, slots=True)
class Look:
    """How nodes of one class are drawn (vis-network shape names)."""

    color: str
    shape: str


LOOKS: dict[str, Look] = {
    "Leader": Look("#d62728", "star"),
    "Official": Look("#ff7f0e", "dot"),
    "Expert": Look("#bcbd22", "dot"),
    "Person": Look("#e377c2", "dot"),
    "Agent": Look("#7f7f7f", "dot"),
    "Organization": Look("#9467bd", "square"),
    "MediaOutlet": Look("#8c564b", "square"),
    "Country": Look("#1f77b4", "hexagon"),
    "Region": Look("#6baed6", "hexagon"),
    "City": Look("#17becf", "triangle"),
    "Facility": Look("#2ca02c", "triangleDown"),
    "Place": Look("#9ecae1", "hexagon"),
    "Meeting": Look("#ff9896", "diamond"),
    "PhoneCall": Look("#f7b6d2", "diamond"),
    "Summit": Look("#e7969c", "diamond"),
    "Visit": Look("#ffbb78", "diamond"),
    "Invitation": Look("#dbdb8d", "diamond"),
    "MilitaryOperation": Look("#843c39", "diamond"),
    "Agreement": Look("#98df8a", "diamond"),
    "Training": Look("#c5b0d5", "diamond"),
    "Event": Look("#fdd0a2", "diamond"),
    "Cooperation": Look("#31a354", "star"),
    "Claim": Look("#c49c94", "triangle"),
    "Topic": Look("#74c476", "square"),
    "Article": Look("#c7c7c7", "square"),
    "Resource": Look("#d9d9d9", "dot"),
}
DEFAULT_LOOK = Look("#bdbdbd", "dot")
LEGEND_ORDER = list(LOOKS)

# what a folded event is called on the edge between its parties
FOLD_VERBS: dict[str, str] = {
    "Meeting": "met",
    "PhoneCall": "phoned",
    "Summit": "met",
    "Visit": "visited",
    "Invitation": "invited",
    "Agreement": "agreed",
    "Training": "trained",
    "MilitaryOperation": "military operation",
}


def look(cls: str, parents: Mapping[str, str] = PARENTS) -> Look:
    """The look of a class, or of its nearest styled superclass."""
    seen: set[str] = set()
    current: str | None = cls
    while current is not None and current not in seen:
        if current in LOOKS:
            return LOOKS[current]
        seen.add(current)
        current = parents.get(current)
    return DEFAULT_LOOK


def ancestors(cls: str, parents: Mapping[str, str] = PARENTS) -> list[str]:
    """The class itself, then its superclasses up to the root (cycle-safe)."""
    chain: list[str] = []
    current: str | None = cls
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def depth(cls: str, parents: Mapping[str, str] = PARENTS) -> int:
    """How far below a root a class sits: the most specific class is the deepest."""
    return len(ancestors(cls, parents))


def is_a(cls: str, wanted: Iterable[str], parents: Mapping[str, str] = PARENTS) -> bool:
    """True when ``cls`` is one of ``wanted`` or a subclass of one (case-insensitive)."""
    targets = {w.casefold() for w in wanted}
    return any(c.casefold() in targets for c in ancestors(cls, parents))


def is_nary(cls: str, parents: Mapping[str, str] = PARENTS) -> bool:
    """True for events, cooperation and claims: nodes that stand between their parties."""
    return any(c in NARY_ROOTS for c in ancestors(cls, parents))


def fold_verb(cls: str, parents: Mapping[str, str] = PARENTS) -> str:
    """The edge label a folded event of this class gets."""
    for c in ancestors(cls, parents):
        if c in FOLD_VERBS:
            return FOLD_VERBS[c]
    return cls.lower()


def hierarchy(graph_attrs: Mapping[str, object]) -> Mapping[str, str]:
    """The class hierarchy ``to_networkx`` stored on a graph (the contract's, if absent)."""
    parents = graph_attrs.get("superclasses")
    return parents if isinstance(parents, Mapping) else PARENTS
