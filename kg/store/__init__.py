"""The one owner of the RDF store: one interface, an embedded and a remote backend.

``open_store(location)`` gives the embedded Oxigraph store for a folder (``None`` for
``$KG_STORE`` or ``.kg``) and a :class:`RemoteStore` for an ``http(s)://`` URL; both
implement :class:`GraphStore`. ``open_snapshot`` / ``load_snapshot`` give the read-only
views ``kg serve`` answers from. Nothing outside this package opens pyoxigraph's Store or
RocksDB files.
"""

from __future__ import annotations

from pathlib import Path

from kg.store.base import (
    DEFAULT_LOCATION,
    ENTITIES_GRAPH,
    GRAPH_BASE,
    META_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    REFERENCE_GRAPH,
    TOPICS_GRAPH,
    GraphStore,
    QueryResult,
    Triple,
    TripleLike,
    default_location,
)
from kg.store.dialects import DIALECTS, Dialect, Endpoints, endpoints
from kg.store.embedded import Store
from kg.store.http import auth_header
from kg.store.remote import PushSummary, RemoteStore, push
from kg.store.snapshot import Signature, load_snapshot, open_snapshot, store_signature
from kg.store.updates import replace_update


def is_remote(location: str | Path | None) -> bool:
    """Whether a ``--store`` value names an HTTP(S) endpoint rather than a folder."""
    return isinstance(location, str) and location.startswith(("http://", "https://"))


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> GraphStore:
    """The embedded :class:`Store` for a folder, a :class:`RemoteStore` for an ``http(s)://`` URL.

    ``None`` means ``$KG_STORE`` or ``.kg``. Raises StoreError when the folder cannot be
    opened or the URL carries credentials.
    """
    where = location if location is not None else default_location()
    if is_remote(where):
        return RemoteStore(str(where), read_only=read_only)
    return Store(where, read_only=read_only)


__all__ = [
    "DEFAULT_LOCATION", "DIALECTS", "ENTITIES_GRAPH", "GRAPH_BASE", "META_GRAPH", "ONTOLOGY_GRAPH", "PREFIXES",
    "REFERENCE_GRAPH", "TOPICS_GRAPH", "Dialect", "Endpoints", "GraphStore", "PushSummary", "QueryResult",
    "RemoteStore", "Signature", "Store", "Triple", "TripleLike", "auth_header", "default_location", "endpoints",
    "is_remote", "load_snapshot", "open_snapshot", "open_store", "push", "replace_update", "store_signature",
]
