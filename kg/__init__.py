"""kg: news articles in, a knowledge graph of leaders, events, cooperation and claims out.

The Python API is the one the command line uses::

    import kg
    store = kg.open_store(".kg")
    kg.build(store, ["seeds/"])
    rows = kg.sparql(store, "SELECT ?l WHERE { ?p a nkg:Leader ; rdfs:label ?l }").dicts()
    kg.serialize(store, "turtle", "out/graph.ttl")
    nxg = kg.networkx(store)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.store import GraphStore, Store

if TYPE_CHECKING:
    from kg.pipeline import BuildSummary
    from kg.query import Result

__all__ = ["KGError", "GraphStore", "Store", "open_store", "build", "sparql", "serialize", "networkx"]


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> GraphStore:
    """Open (or create) a store: a folder, or a SPARQL endpoint URL; ``None`` is ``$KG_STORE`` or ``.kg``."""
    from kg.store import open_store as open_any

    return open_any(location, read_only=read_only)


def build(store: GraphStore, paths: list[str | Path], *, force: bool = False, workers: int | None = None) -> BuildSummary:
    """Read articles from files or folders into the store (``workers`` extraction processes)."""
    from kg.pipeline import build as run

    return run(store, [Path(p) for p in paths], force=force, workers=workers)


def sparql(store: GraphStore, text: str) -> Result:
    """Run a read-only SPARQL query; ``.dicts()`` gives rows for pandas."""
    from kg.query import run

    return run(store, text)


def serialize(store: GraphStore, fmt: str, out: str, *, everything: bool = False) -> None:
    """Write the store as turtle, ntriples, rdfxml, trig, nquads, jsonld, graphml or gexf (missing
    folders are created); ``everything`` adds unmentioned reference entities to graphml and gexf."""
    from kg.export import export as run

    run(store, fmt, out, everything=everything)


def networkx(store: GraphStore) -> Any:
    """The graph as a ``networkx.MultiDiGraph`` (entities, events, cooperation, claims)."""
    from kg.export import to_rdflib
    from kg.visualize import to_networkx

    return to_networkx(to_rdflib(store))
