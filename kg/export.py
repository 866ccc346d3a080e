"""Serialisations of the store: RDF formats through Oxigraph, graph formats through NetworkX.

Turtle and N-Triples hold one graph, so they merge all named graphs (each triple once);
TriG, N-Quads and JSON-LD keep every article's graph. A file is written to a temporary
name and renamed, so a failed export never leaves half a file.
"""

from __future__ import annotations

import io
import os
import secrets
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.errors import ExportError
from kg.store import GraphStore

RDF_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, True),
    "ntriples": (ox.RdfFormat.N_TRIPLES, True),
    "trig": (ox.RdfFormat.TRIG, False),
    "nquads": (ox.RdfFormat.N_QUADS, False),
    "jsonld": (ox.RdfFormat.JSON_LD, False),
}
GRAPH_FORMATS = ("graphml", "gexf")
FORMATS = (*RDF_FORMATS, *GRAPH_FORMATS)
SUFFIXES = {"turtle": ".ttl", "ntriples": ".nt", "trig": ".trig", "nquads": ".nq", "jsonld": ".jsonld",
            "graphml": ".graphml", "gexf": ".gexf"}


def export(store: GraphStore, fmt: str, out: str) -> None:
    """Write the store as ``fmt`` to the path ``out`` (``-`` for standard output)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if out == "-":
        buf = io.BytesIO()
        _write(store, fmt, buf)
        sys.stdout.buffer.write(buf.getvalue())
        sys.stdout.flush()
        return
    write_atomically(Path(out), lambda fh: _write(store, fmt, fh))


def write_atomically(target: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``target`` through a temporary file in its folder, renamed into place at the end.

    Missing folders are created. The file gets the mode of a normal create (0666 less the
    umask), not the 0600 of ``mkstemp``. Raises ExportError when the folder or file cannot be written.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"cannot write {target}: cannot create folder {target.parent} ({err.strerror or err})") from err
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb") as fh:
            write(fh)
        os.replace(tmp, target)
    except OSError as err:
        raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
    finally:
        tmp.unlink(missing_ok=True)


def _write(store: GraphStore, fmt: str, fh: IO[bytes]) -> None:
    if fmt in RDF_FORMATS:
        rdf_format, union = RDF_FORMATS[fmt]
        store.dump(fh, rdf_format, union=union)
        return
    from kg import visualize  # NetworkX and the graph model load only for graph formats

    nxg = visualize.to_networkx(to_rdflib(store))
    writer = visualize.to_graphml if fmt == "graphml" else visualize.to_gexf
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"graph.{fmt}"
        writer(nxg, path)
        fh.write(path.read_bytes())


def to_rdflib(store: GraphStore):  # type: ignore[no-untyped-def]
    """The union of all graphs as an ``rdflib.Graph`` (for pyshacl, NetworkX and notebooks)."""
    import rdflib

    buf = io.BytesIO()
    store.dump(buf, ox.RdfFormat.N_TRIPLES, union=True)
    graph = rdflib.Graph()
    graph.parse(data=buf.getvalue().decode("utf-8"), format="nt")
    return graph


def construct_graph(store: GraphStore, sparql: str, *, where: str = "query"):  # type: ignore[no-untyped-def]
    """A CONSTRUCT query's triples as an ``rdflib.Graph``, with the type and label of every node
    it names (so the page can colour and name them)."""
    import rdflib

    from kg.errors import QueryError
    from kg.query import run

    result = run(store, sparql, where=where)
    if result.kind != "graph":
        raise QueryError(f"{where}: a view needs a CONSTRUCT or DESCRIBE query, not {result.kind.upper()}")
    triples = list(result.triples or [])
    nodes = {t.subject for t in triples} | {t.object for t in triples if isinstance(t.object, ox.NamedNode)}
    named = " ".join(str(n) for n in nodes if isinstance(n, ox.NamedNode))
    if named:  # one query, not a lookup per node, so a remote store (kg.store.remote) answers it too
        res = store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {named} }} VALUES ?p {{ <{RDF_TYPE}> <{RDFS_LABEL}> }} ?s ?p ?o }}")
        triples += [ox.Triple(sol["s"], sol["p"], sol["o"]) for sol in res]  # type: ignore[arg-type,union-attr]
    graph = rdflib.Graph()
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
