"""The store interface every backend implements, and the names every backend shares.

::

    GraphStore                 the Protocol: what pipeline, query, export, serve use
    ├── embedded.Store         an Oxigraph database in a folder (or in memory)
    └── remote.RemoteStore     any SPARQL 1.1 Protocol + Graph Store Protocol server,
                               with a small dialect per product (dialects.py)

Errors crossing this interface are ``kg.errors`` ones: a query the engine rejects raises
QueryError (its message is the engine's first line), anything else that fails (I/O, HTTP,
a closed store) raises StoreError. Queries run over the union of kg's graphs unless the
caller names a dataset.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Protocol, runtime_checkable

import pyoxigraph as ox

DEFAULT_LOCATION = ".kg"
GRAPH_BASE = "https://w3id.org/newskg/graph/"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
TOPICS_GRAPH = GRAPH_BASE + "topics"
REFERENCE_GRAPH = GRAPH_BASE + "reference"
ENTITIES_GRAPH = GRAPH_BASE + "entities"  # what articles taught about entities (new people, new aliases)
META_GRAPH = GRAPH_BASE + "build"  # bookkeeping: which inputs built each article
ARTICLE_BASE = "https://w3id.org/newskg/id/article/"  # each article's graph is named by its IRI
KG_GRAPH_BASES = (GRAPH_BASE, ARTICLE_BASE)  # every graph kg writes starts with one of these

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]
TripleLike = Triple | ox.Triple | str  # a str is an N-Triples line rendered elsewhere
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def default_location() -> str:
    """``$KG_STORE`` if set, else ``.kg`` in the working directory."""
    return os.environ.get("KG_STORE") or DEFAULT_LOCATION


def is_kg_graph(name: str) -> bool:
    """Whether a graph name is one kg writes (servers add graphs of their own, e.g. Virtuoso's)."""
    return name.startswith(KG_GRAPH_BASES)


@runtime_checkable
class GraphStore(Protocol):
    """A quad store kg can build into and read from."""

    read_only: bool

    @property
    def location(self) -> object:
        """Where the store is: a folder Path, None for memory, or a URL."""
        ...

    def query(self, sparql: str, *, union: bool = True, default_graphs: Sequence[str] = (),
              named_graphs: Sequence[str] = (), prefixes: Mapping[str, str] | None = None) -> QueryResult:
        """Run a read-only query. The default graph is the merge of ``default_graphs`` if given,
        else the union of kg's graphs (``union``), else the store's own default graph;
        ``named_graphs`` restricts ``GRAPH ?g``. QueryError if rejected, StoreError if it fails."""
        ...

    def replace_graph(self, graph: str, triples: Iterable[TripleLike], *,
                      add: Mapping[str, Iterable[TripleLike]] | None = None, drop: Iterable[str] = ()) -> int:
        """Replace graph ``graph`` by ``triples``, add ``add``'s triples to other graphs and drop
        the graphs ``drop``, in one transaction; returns the count of ``triples``."""
        ...

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove these named graphs (absent ones are ignored), in one transaction."""
        ...

    def update(self, sparql: str) -> None:
        """Apply a SPARQL Update (one transaction where the product allows it)."""
        ...

    def graphs(self) -> list[str]:
        """The names of kg's named graphs, sorted."""
        ...

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad in kg's named graphs (or in one of them)."""
        ...

    def build_keys(self, graphs: Sequence[str]) -> dict[str, str]:
        """``{graph: build key}`` for those of ``graphs`` that hold one (one round trip per batch)."""
        ...

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat, *, union: bool = False) -> None:
        """Serialise kg's graphs; ``union`` merges them (for triple-only formats)."""
        ...

    def flush(self) -> None:
        """Make sure everything written is durable."""
        ...

    def release_memory(self) -> None:
        """Flush, and give back what the store holds in this process for reading (caches)."""
        ...

    def close(self) -> None:
        """Let go of the store (files, locks, connections); later calls raise StoreError."""
        ...

    def __len__(self) -> int:
        """Quads in kg's named graphs."""
        ...


PREFIXES = {
    "nkg": "https://w3id.org/newskg/ontology#",
    "person": "https://w3id.org/newskg/id/person/",
    "place": "https://w3id.org/newskg/id/place/",
    "org": "https://w3id.org/newskg/id/org/",
    "article": "https://w3id.org/newskg/id/article/",
    "event": "https://w3id.org/newskg/id/event/",
    "cooperation": "https://w3id.org/newskg/id/cooperation/",
    "claim": "https://w3id.org/newskg/id/claim/",
    "evidence": "https://w3id.org/newskg/id/evidence/",
    "topic": "https://w3id.org/newskg/id/topic/",
    "kgid": "https://w3id.org/newskg/id/",
    "wd": "http://www.wikidata.org/entity/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
