"""Taking articles out of the store: ``kg remove`` and ``kg build --prune``.

An article leaves with everything it contributed, in one SPARQL Update: its named graph, its
reports of events (the events it shared with other articles are clustered again without it,
and their reconciled facts rebuilt), and the entity descriptions no remaining article needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg import identity
from kg.errors import KGError
from kg.ontology import ID, NKG
from kg.planning import locate
from kg.store import ENTITIES_GRAPH, REFERENCE_GRAPH, GraphStore

ARTICLE_BASE = ID + "article/"


@dataclass
class RemoveSummary:
    """What a removal did."""

    articles: list[str] = field(default_factory=list)  # the graphs removed
    events: int = 0  # events whose reports changed


def sources(store: GraphStore) -> dict[str, str]:
    """Article graph -> the file (or ``file#record``) it was built from."""
    res = store.query(f"SELECT ?g ?f WHERE {{ GRAPH ?g {{ ?g <{NKG}sourceFile> ?f }} }}")
    pairs: list[ox.QuerySolution] = list(res) if isinstance(res, ox.QuerySolutions) else []
    return {sol["g"].value: str(sol["f"].value) for sol in pairs}


def resolve_targets(store: GraphStore, targets: Sequence[str]) -> list[str]:
    """Article graphs named by ``targets``: article IRIs (or ``article:<id>``), files or folders
    they were built from. Raises KGError naming a target that matches no article."""
    known = sources(store)
    found: list[str] = []
    for target in targets:
        if target.startswith(("http://", "https://", "article:")):
            graph = ARTICLE_BASE + target[len("article:"):] if target.startswith("article:") else target
            hits = [graph] if graph in known else []
        else:
            hits = [g for g, f in known.items() if _under(f, Path(target))]
        if not hits:
            raise KGError(f"{target}: no article in the store {store.location} comes from it "
                          "(give a file or folder it was built from, or an article IRI)")
        found += [g for g in sorted(hits) if g not in found]
    return found


def _under(source: str, root: Path) -> bool:
    """Whether a source file (``file#record`` counts as its file; relative to the folder holding
    what was built, see :func:`kg.planning.locate`) is ``root`` or lies inside it."""
    try:
        return locate(source, root) is not None
    except (OSError, ValueError):
        return False


def gone(store: GraphStore, roots: Iterable[Path]) -> list[str]:
    """Article graphs built from files under ``roots`` that no longer exist (for ``--prune``)."""
    roots = list(roots)
    found = ((g, [locate(f, r) for r in roots]) for g, f in sources(store).items())
    return sorted(g for g, places in found if any(places) and not any(p.exists() for p in places if p))


def remove(store: GraphStore, targets: Sequence[str], *, world: identity.World | None = None) -> RemoveSummary:
    """Remove the articles ``targets`` name (see :func:`resolve_targets`) in one transaction."""
    return remove_graphs(store, resolve_targets(store, targets), world=world)


def remove_graphs(store: GraphStore, graphs: Sequence[str], *, world: identity.World | None = None) -> RemoveSummary:
    """Remove article graphs, their reports and the entity facts only they needed, atomically."""
    if not graphs:
        return RemoveSummary()
    change = identity.plan(store, world or identity.load_world(store), [], replaced=graphs)
    ops = [f"DROP SILENT GRAPH <{g}>" for g in graphs]
    rest = identity.update_text(store, change)
    ops += [rest] if rest else []
    named = _mentioned(store, graphs)
    ops += [_orphans_update(named)] if named else []
    store.update(" ;\n".join(ops))
    return RemoveSummary(articles=list(graphs), events=len(change.stale))


def _mentioned(store: GraphStore, graphs: Sequence[str]) -> list[str]:
    values = " ".join(f"<{g}>" for g in graphs)
    res = store.query(f"SELECT DISTINCT ?s WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?g <{NKG}mentions> ?s }} }}")
    return sorted(sol["s"].value for sol in res) if isinstance(res, ox.QuerySolutions) else []


def _orphans_update(named: Sequence[str]) -> str:
    """Delete what the entities graph says about entities the removed articles named, unless a
    remaining article names them too or the reference data describes them. (Runs after the
    graphs are dropped, in the same update, so "remaining" is exact.)"""
    values = " ".join(f"<{s}>" for s in named)
    return (f"DELETE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {values} }} "
            f"GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?a <{NKG}mentions> ?s }} }} "
            f"FILTER NOT EXISTS {{ GRAPH <{REFERENCE_GRAPH}> {{ ?s ?q ?r }} }} }}")
