"""The one owner of the RDF store: an embedded Oxigraph database on disk.

Every write goes through :meth:`Store.replace_graph`, a single SPARQL Update
(``DROP SILENT GRAPH`` then ``INSERT DATA``) that Oxigraph applies in one
transaction, so an interrupted build leaves each named graph fully old or fully new.
Queries always run over the union of all graphs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.errors import StoreError

DEFAULT_LOCATION = ".kg"
GRAPH_BASE = "https://w3id.org/newskg/graph/"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
TOPICS_GRAPH = GRAPH_BASE + "topics"
REFERENCE_GRAPH = GRAPH_BASE + "reference"
ENTITIES_GRAPH = GRAPH_BASE + "entities"  # what articles taught about entities (new people, new aliases)
META_GRAPH = GRAPH_BASE + "build"  # bookkeeping: which inputs built each article

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]


def default_location() -> str:
    """``$KG_STORE`` if set, else ``.kg`` in the working directory."""
    return os.environ.get("KG_STORE") or DEFAULT_LOCATION


class Store:
    """An Oxigraph store in a directory; ``Store(None)`` is an in-memory store for tests."""

    def __init__(self, location: str | Path | None, *, read_only: bool = False) -> None:
        self.location = None if location is None else Path(location)
        try:
            if self.location is None:
                self._ox = ox.Store()
            elif read_only:
                if not self.location.exists():
                    raise StoreError(f"no store at {self.location}: run `kg build` first, or pass --store DIR")
                self._ox = ox.Store.read_only(str(self.location))
            else:
                self._ox = ox.Store(str(self.location))
        except OSError as err:
            raise StoreError(f"cannot open the store at {self.location}: {err}") from err

    @property
    def raw(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store`, for fast read paths (query, dump)."""
        return self._ox

    def replace_graph(self, graph: str, triples: Iterable[Triple | ox.Triple | str], *,
                      add: Mapping[str, Iterable[Triple | ox.Triple | str]] | None = None,
                      drop: Iterable[str] = ()) -> int:
        """Atomically replace the named graph ``graph`` with ``triples``, add ``add``'s triples
        to other graphs (kept if already there) and drop the graphs ``drop``, in one
        transaction; returns the triple count."""
        update, count = replace_update(graph, triples, add=add, drop=drop)
        try:
            self._ox.update(update)
        except (OSError, SyntaxError, ValueError) as err:
            raise StoreError(f"writing graph <{graph}> failed: {err}") from err
        return count

    def graphs(self) -> list[str]:
        """The names of all named graphs, sorted."""
        return sorted(g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_triples(self, graph: str) -> Iterator[ox.Quad]:
        """Every quad of one named graph."""
        return self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def __len__(self) -> int:
        return len(self._ox)

    def query(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL query over the union of all graphs (raises SyntaxError/OSError)."""
        return self._ox.query(sparql, use_default_graph_as_union=True)

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat, *, union: bool = False) -> None:
        """Serialise the store; ``union`` merges all graphs (for triple-only formats)."""
        try:
            if union:
                # CONSTRUCT over the union graph: Oxigraph merges the graphs and drops repeats natively
                triples = self._ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
                assert isinstance(triples, ox.QueryTriples)
                ox.serialize(triples, out, fmt, prefixes=PREFIXES)
            else:
                self._ox.dump(out, fmt, prefixes=PREFIXES if fmt is not ox.RdfFormat.N_QUADS else None)
        except OSError as err:
            raise StoreError(f"writing the export failed: {err}") from err

    def flush(self) -> None:
        """Make sure everything written is on disk."""
        if self.location is not None:
            self._ox.flush()


def replace_update(graph: str, triples: Iterable[Triple | ox.Triple | str], *,
                   add: Mapping[str, Iterable[Triple | ox.Triple | str]] | None = None,
                   drop: Iterable[str] = ()) -> tuple[str, int]:
    """The SPARQL Update text of :meth:`Store.replace_graph` (also sent to remote stores)."""
    lines = [_line(t) for t in triples]
    blocks = [f"GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n}"]
    for other, extra in (add or {}).items():
        more = [_line(t) for t in extra]
        if more:
            blocks.append(f"GRAPH <{other}> {{\n" + "\n".join(more) + "\n}")
    drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in drop if g != graph)
    return f"{drops}DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ " + "\n".join(blocks) + " }", len(lines)


def _line(t: Triple | ox.Triple | str) -> str:
    """A triple as an N-Triples line (lines rendered elsewhere pass through)."""
    return t if isinstance(t, str) else f"{t[0]} {t[1]} {t[2]} ."


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
