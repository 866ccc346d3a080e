"""Pick the part of the graph a page shows: a focus and its neighbourhood, classes, dates.

The steps run in this order: news filter, date filter, fold, neighbourhood of the focus,
class filter.
``depth`` counts steps between entities: an event, claim or cooperation node stands
between its parties and costs no step, so ``focus="Putin", depth=1`` shows the meetings
Putin took part in *and* whom he met. Folded graphs have no such nodes left, so there
``depth`` is the plain radius.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import deque
from collections.abc import Hashable, Sequence

import networkx as nx

from kg.errors import ExportError
from kg.viz.fold import fold_nary
from kg.viz.style import LOOKS, hierarchy, is_a, is_nary

DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


def select(
    nxg: nx.MultiDiGraph[Hashable],
    *,
    focus: str | None = None,
    depth: int = 1,
    types: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    fold: bool = False,
    news_only: bool = False,
) -> nx.MultiDiGraph[Hashable]:
    """A new graph restricted as the module docstring says; the input is not changed.

    ``focus`` is a label, an alias or an IRI, matched ignoring case, accents, spaces and
    hyphens. ``types`` keeps nodes of those classes or their subclasses (the focus stays).
    ``since``/``until`` are ISO dates (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) compared
    on their common prefix; undated facts are kept. ``news_only`` drops reference data
    that no article mentions and no fact involves (a store's gazetteer of places, say).
    Raises ExportError for an unknown focus (naming close matches), an unknown type, a bad
    date or a negative depth.
    """
    parents = hierarchy(nxg.graph)
    _check_options(nxg, depth=depth, types=types, since=since, until=until)
    center = find_node(nxg, focus) if focus is not None else None
    graph = _in_the_news(nxg, keep=center) if news_only else nxg
    graph = _within_dates(graph, since, until) if since or until else graph
    if center is not None and center not in graph:
        raise ExportError(f"{focus!r} is dated outside --since/--until")
    if fold:
        graph = fold_nary(graph, keep={center} if center is not None else set())
    if center is not None:
        graph = graph.subgraph(neighbourhood(graph, center, depth=depth))
    if types:
        kept = [n for n, cls in graph.nodes(data="cls") if n == center or is_a(str(cls), types, parents)]
        graph = graph.subgraph(kept)
    result: nx.MultiDiGraph[Hashable] = nx.MultiDiGraph(graph)
    if center is not None:
        result.graph["focus"] = center  # the page selects it once drawn
    return result


def normalise(name: str) -> str:
    """Lower case, accents dropped, only letters and digits: 'Kim Jong-un' -> 'kimjongun'."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed.casefold() if c.isalnum() and not unicodedata.combining(c))


def find_node(nxg: nx.MultiDiGraph[Hashable], name: str) -> Hashable:
    """The node a user means by ``name``: IRI, then label, then alias, then IRI tail.

    Several matches are resolved towards the best-connected node. Raises ExportError
    listing close matches when nothing matches.
    """
    if name in nxg:
        return name
    wanted = normalise(name)
    tiers: tuple[list[Hashable], ...] = ([], [], [])
    for node, data in nxg.nodes(data=True):
        if normalise(str(data.get("label", ""))) == wanted:
            tiers[0].append(node)
        elif any(normalise(a) == wanted for a in data.get("aliases") or []):
            tiers[1].append(node)
        elif str(node).endswith("/" + name.strip("/")):
            tiers[2].append(node)
    matches = next((tier for tier in tiers if tier), [])
    if not wanted or not matches:
        raise ExportError(_not_found_message(nxg, name))
    return max(sorted(matches, key=str), key=nxg.degree)


def _not_found_message(nxg: nx.MultiDiGraph[Hashable], name: str) -> str:
    names: dict[str, str] = {}
    for _node, data in nxg.nodes(data=True):
        shown = f"{data.get('label')} ({data.get('cls')})"
        for candidate in [data.get("label") or "", *(data.get("aliases") or [])]:
            names.setdefault(normalise(candidate), shown)
    wanted = normalise(name)
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.6)
    if wanted:
        close += [key for key in sorted(names) if wanted in key and key not in close]
    suggestions = list(dict.fromkeys(names[key] for key in close if key))[:5]
    if suggestions:
        return f"no node named {name!r} in the graph; close matches: {', '.join(suggestions)}"
    return f"no node named {name!r} among {nxg.number_of_nodes()} nodes, and nothing close"


def neighbourhood(nxg: nx.MultiDiGraph[Hashable], center: Hashable, *, depth: int) -> set[Hashable]:
    """Nodes within ``depth`` entity steps of ``center``, edges read both ways.

    A 0-1 breadth-first search: stepping onto an event, claim or cooperation costs 0,
    onto anything else 1. Such n-ary nodes are kept only below ``depth``, so none hangs
    at the rim without its parties.
    """
    parents = hierarchy(nxg.graph)
    nary = {n for n, cls in nxg.nodes(data="cls") if is_nary(str(cls), parents)}
    dist: dict[Hashable, int] = {center: 0}
    queue: deque[Hashable] = deque([center])
    while queue:
        node = queue.popleft()
        for other in set(nxg.successors(node)) | set(nxg.predecessors(node)):
            step = 0 if other in nary else 1
            if dist[node] + step > depth or dist.get(other, depth + 1) <= dist[node] + step:
                continue
            dist[other] = dist[node] + step
            if step == 0:
                queue.appendleft(other)
            else:
                queue.append(other)
    return {n for n, d in dist.items() if n == center or n not in nary or d < depth}


def _check_options(
    nxg: nx.MultiDiGraph[Hashable],
    *,
    depth: int,
    types: Sequence[str] | None,
    since: str | None,
    until: str | None,
) -> None:
    if depth < 0:
        raise ExportError(f"depth must be 0 or more, not {depth}")
    for bound in (since, until):
        if bound is not None and not DATE.match(bound):
            raise ExportError(f"bad date {bound!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    if types:
        parents = hierarchy(nxg.graph)
        known = set(parents) | set(parents.values()) | set(LOOKS)
        known |= {str(cls) for _, cls in nxg.nodes(data="cls")}
        unknown = [t for t in types if t.casefold() not in {k.casefold() for k in known}]
        if unknown:
            raise ExportError(
                f"unknown type {', '.join(map(repr, unknown))}; known types: {', '.join(sorted(known))}"
            )


def _in_the_news(nxg: nx.MultiDiGraph[Hashable], *, keep: Hashable | None) -> nx.MultiDiGraph[Hashable]:
    """Nodes an article mentions, facts, and whatever a fact links to (and ``keep``)."""
    parents = hierarchy(nxg.graph)
    nary = {n for n, cls in nxg.nodes(data="cls") if is_nary(str(cls), parents)}
    kept = set(nary) | ({keep} if keep is not None else set())
    for node in nary:
        kept.update(nxg.successors(node), nxg.predecessors(node))
    kept.update(n for n, count in nxg.nodes(data="mentions") if count)
    return nx.MultiDiGraph(nxg.subgraph(kept))


def _within_dates(nxg: nx.MultiDiGraph[Hashable], since: str | None, until: str | None) -> nx.MultiDiGraph[Hashable]:
    """Drop events, claims and cooperation dated outside [since, until]."""
    parents = hierarchy(nxg.graph)

    def inside(date: str) -> bool:
        after = since is None or date[: len(since)] >= since[: len(date)]
        before = until is None or date[: len(until)] <= until[: len(date)]
        return after and before

    dropped = [
        node
        for node, data in nxg.nodes(data=True)
        if is_nary(str(data.get("cls")), parents)
        and (date := data.get("date") or data.get("reported"))
        and not inside(str(date))
    ]
    graph: nx.MultiDiGraph[Hashable] = nx.MultiDiGraph(nxg)
    graph.remove_nodes_from(dropped)
    return graph
