"""The embedded store: an Oxigraph (RocksDB) database in a folder, or in memory.

Every write is one SPARQL Update (``DROP SILENT GRAPH`` then ``INSERT DATA``) that
Oxigraph applies in one transaction, so an interrupted build leaves each named graph
fully old or fully new. This module and ``snapshot`` are the only ones that open
pyoxigraph's Store.
"""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.store.base import PREFIXES, QueryResult, TripleLike
from kg.store.updates import drop_update, replace_update

BUILD_KEY = "https://w3id.org/newskg/ontology#buildKey"
_UNION_CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


class Store:
    """An Oxigraph store in a directory; ``Store(None)`` is an in-memory store."""

    def __init__(self, location: str | Path | None, *, read_only: bool = False) -> None:
        self.location = None if location is None else Path(location)
        self.read_only = read_only
        try:
            if self.location is None:
                self._db: ox.Store | None = ox.Store()
            elif read_only:
                if not self.location.exists():
                    raise StoreError(f"no store at {self.location}: run `kg build` first, or pass --store DIR")
                self._db = ox.Store.read_only(str(self.location))
            else:
                self._db = ox.Store(str(self.location))
        except (OSError, RuntimeError) as err:  # pyoxigraph reports some RocksDB failures as RuntimeError
            raise StoreError(f"cannot open the store at {self.location}: {err}") from err

    @property
    def _ox(self) -> ox.Store:
        if self._db is None:
            raise StoreError(f"the store at {self.location or 'memory'} was closed")
        return self._db

    def query(self, sparql: str, *, union: bool = True, default_graphs: Sequence[str] = (),
              named_graphs: Sequence[str] = (), prefixes: Mapping[str, str] | None = None) -> QueryResult:
        """Run a query (see :class:`kg.store.base.GraphStore`); QueryError for bad SPARQL."""
        try:
            return self._ox.query(sparql, prefixes=dict(prefixes) if prefixes else None,
                                  use_default_graph_as_union=union and not default_graphs,
                                  default_graph=[ox.NamedNode(g) for g in default_graphs] or None,
                                  named_graphs=[ox.NamedNode(g) for g in named_graphs] or None)
        except SyntaxError as err:
            raise QueryError(str(err).splitlines()[0] if str(err) else "invalid query") from err
        except (OSError, RuntimeError, ValueError) as err:
            raise StoreError(f"the query failed: {err}") from err

    def replace_graph(self, graph: str, triples: Iterable[TripleLike], *,
                      add: Mapping[str, Iterable[TripleLike]] | None = None, drop: Iterable[str] = ()) -> int:
        """Atomically replace ``graph``, add to others and drop ``drop`` (one transaction)."""
        text, count = replace_update(graph, triples, add=add, drop=drop)
        self._apply(text, f"writing graph <{graph}>")
        return count

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove these named graphs in one transaction."""
        text = drop_update(graphs)
        if text:
            self._apply(text, "removing graphs")

    def update(self, sparql: str) -> None:
        """Apply a SPARQL Update in one transaction."""
        self._apply(sparql, "the update")

    def graphs(self) -> list[str]:
        """The names of all named graphs, sorted."""
        return sorted(g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad in named graphs (or in ``graph``)."""
        if graph is not None:
            return self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        return (q for q in self._ox if not isinstance(q.graph_name, ox.DefaultGraph))

    def graph_triples(self, graph: str) -> Iterator[ox.Quad]:
        """Every quad of one named graph (the older name of ``quads(graph)``)."""
        return self.quads(graph)

    def build_keys(self, graphs: Sequence[str]) -> dict[str, str]:
        """``{graph: build key}`` for those graphs that hold one."""
        keys: dict[str, str] = {}
        for g in graphs:
            node = ox.NamedNode(g)
            for q in self._ox.quads_for_pattern(node, ox.NamedNode(BUILD_KEY), None, node):
                keys[g] = str(q.object.value) if isinstance(q.object, ox.Literal) else str(q.object)
        return keys

    def __len__(self) -> int:
        return len(self._ox)

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat, *, union: bool = False) -> None:
        """Serialise the store; ``union`` merges all graphs (for triple-only formats)."""
        try:
            if union:
                # CONSTRUCT over the union graph: Oxigraph merges the graphs and drops repeats natively
                triples = self._ox.query(_UNION_CONSTRUCT, use_default_graph_as_union=True)
                assert isinstance(triples, ox.QueryTriples)
                ox.serialize(triples, out, fmt, prefixes=PREFIXES)
            else:
                self._ox.dump(out, fmt, prefixes=PREFIXES if fmt is not ox.RdfFormat.N_QUADS else None)
        except OSError as err:
            raise StoreError(f"writing the export failed: {err}") from err

    def load(self, data: bytes, fmt: ox.RdfFormat, *, graph: str | None = None) -> None:
        """Add parsed RDF (quads keep their graphs; triples go into ``graph``); StoreError if malformed."""
        try:
            self._ox.load(data, format=fmt, to_graph=ox.NamedNode(graph) if graph else None)
        except (SyntaxError, OSError, ValueError) as err:
            raise StoreError(f"loading RDF failed: {err}") from err

    def copy_in_memory(self) -> Store:
        """An in-memory copy of every quad (answers 3-8x faster than the files)."""
        memory = Store(None)
        memory._ox.bulk_extend(self._ox)
        return memory

    def flush(self) -> None:
        """Make sure everything written is on disk."""
        if self.location is not None and not self.read_only:
            self._ox.flush()

    def release_memory(self) -> None:
        """Flush, close and reopen the database: RocksDB's block caches and the table readers'
        index and filter blocks, filled by reads, grow with the store (Oxigraph sets no cap
        kg can change), and reopening empties them; then hand the freed heap back to the
        system (glibc's ``malloc_trim``, where there is one). For a long build's writer."""
        if self.location is None or self.read_only or self._db is None:
            return
        self._db.flush()
        self._db = None
        try:
            self._db = ox.Store(str(self.location))
        except (OSError, RuntimeError) as err:
            raise StoreError(f"cannot reopen the store at {self.location}: {err}") from err
        _trim_heap()

    def close(self) -> None:
        """Flush, then let go of the database (and its lock)."""
        if self._db is not None:
            self.flush()
            self._db = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _apply(self, text: str, what: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.location} was opened read-only: {what} is not allowed")
        try:
            self._ox.update(text)
        except (OSError, SyntaxError, ValueError, RuntimeError) as err:
            raise StoreError(f"{what} failed: {err}") from err


def _trim_heap() -> None:
    """Return free heap pages to the system (glibc only; elsewhere nothing to do)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
