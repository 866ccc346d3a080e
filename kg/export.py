"""Serialisations of the store: RDF formats through Oxigraph, node-link files through NetworkX.

The formats are those of :mod:`kg.formats` that hold graphs, datasets or networks:

- Turtle, N-Triples and RDF/XML hold one graph: all named graphs merged (each triple once).
- N-Quads keeps every graph apart (the exact dataset: what ``kg load`` and ``kg push`` read back).
- TriG keeps every graph apart too, and its default graph is their union (what ``kg query``
  sees), so tools that query a file's default graph (Jena's ``arq --data``, rdflib) see the
  whole graph while the named graphs keep each article's provenance.
- JSON-LD keeps the graphs, compacted with the project's prefixes (:mod:`kg.jsonld`).
- GraphML and GEXF (networks) hold what articles mention and what facts link to, unless
  ``everything``; node ids are short (``n0``...) with the IRI as the ``iri`` attribute; each
  edge has a unique id and a ``weight``: how many articles state it (at least 1).

A file is written to a temporary name in its folder and renamed, so a failed export never
leaves half a file, and it gets the mode of a normal create.
"""

from __future__ import annotations

import glob
import io
import os
import secrets
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg import formats
from kg.errors import ExportError
from kg.store import GraphStore
from kg.store.base import ARTICLE_BASE

KINDS = (formats.GRAPH, formats.DATASET, formats.NETWORK)
FORMATS = tuple(formats.names(*KINDS))


def export(store: GraphStore, fmt: str, out: str, *, everything: bool = False) -> None:
    """Write the store as ``fmt`` to the path ``out`` (``-`` for standard output).

    ``everything`` puts reference entities no article mentions into GraphML and GEXF too.
    Raises ExportError for an unknown format or a file that cannot be written.
    """
    found = formats.find(fmt, *KINDS)
    if found is None:
        raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if out == "-":
        buf = io.BytesIO()
        _write(store, found, buf, everything=everything)
        sys.stdout.buffer.write(buf.getvalue())
        sys.stdout.flush()
        return
    write_atomically(Path(out), lambda fh: _write(store, found, fh, everything=everything))


def write_atomically(target: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``target`` through a temporary file in its folder, renamed into place at the end.

    Missing folders are created. The file gets the mode of a normal create (0666 less the
    umask), not the 0600 of ``mkstemp``. On Linux the temporary file has no name until it is
    complete (``O_TMPFILE``), so even a killed export leaves nothing behind; elsewhere it is
    ``.NAME.kg-export-PID.XXXX.tmp``, removed on error, and removed by the next export to the
    same file when its process is gone. Raises ExportError when the folder or file cannot be written.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"cannot write {target}: cannot create folder {target.parent} ({err.strerror or err})") from err
    _remove_stale_temporaries(target)
    tmp = target.with_name(f".{target.name}.kg-export-{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = _unnamed_file(target.parent)
        if fd is None:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as fh:
                write(fh)
        else:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
                fh.flush()
                _link(fd, tmp)  # a name only now that it is whole
        os.replace(tmp, target)
    except OSError as err:
        raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
    finally:
        tmp.unlink(missing_ok=True)


def _unnamed_file(folder: Path) -> int | None:
    """A file open for writing in ``folder`` that has no name yet (Linux ``O_TMPFILE``), or None."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o666)
    except OSError:  # a file system without O_TMPFILE
        return None


def _link(fd: int, path: Path) -> None:
    """Give the unnamed open file ``fd`` the name ``path`` (linkat with AT_SYMLINK_FOLLOW, which
    ``os.link`` uses only when given a directory descriptor)."""
    folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.link(f"/proc/self/fd/{fd}", path.name, dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


def _remove_stale_temporaries(target: Path) -> None:
    """Remove temporary files an earlier, killed export to ``target`` left (their process is gone)."""
    for stale in target.parent.glob(f".{glob.escape(target.name)}.kg-export-*.tmp"):
        pid = stale.name[len(target.name) + 12:].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            stale.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _write(store: GraphStore, fmt: formats.Format, fh: IO[bytes], *, everything: bool) -> None:
    if formats.NETWORK in fmt.kinds:
        _write_network(store, fmt.name, fh, everything=everything)
    elif fmt.name == "jsonld":
        from kg.jsonld import compact

        buf = io.BytesIO()
        store.dump(buf, ox.RdfFormat.JSON_LD)
        fh.write(compact(buf.getvalue()))
    elif fmt.name == "trig":
        store.dump(fh, ox.RdfFormat.TRIG, union=True)  # the default graph: the union
        store.dump(fh, ox.RdfFormat.TRIG)  # then every named graph
    else:
        assert fmt.rdf is not None
        store.dump(fh, fmt.rdf, union=formats.DATASET not in fmt.kinds)


def _write_network(store: GraphStore, name: str, fh: IO[bytes], *, everything: bool) -> None:
    """GraphML or GEXF of the entity graph, with edge weights counted over article graphs."""
    from kg import visualize  # NetworkX and the graph model load only for network formats

    graph, support = _graph_and_support(store)
    nxg = visualize.select(visualize.to_networkx(graph), news_only=not everything)
    writer = visualize.to_graphml if name == "graphml" else visualize.to_gexf
    writer(nxg, fh, weights=support)


def _graph_and_support(store: GraphStore) -> tuple[Any, Counter[tuple[str, str, str]]]:
    """The union as an ``rdflib.Graph`` and, per IRI-to-IRI triple, how many articles state it."""
    import rdflib

    lines: list[str] = []
    support: Counter[tuple[str, str, str]] = Counter()
    for quad in store.quads():
        lines.append(f"{quad.subject} {quad.predicate} {quad.object} .")
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(ARTICLE_BASE) and isinstance(
                quad.object, ox.NamedNode) and isinstance(quad.subject, ox.NamedNode):
            support[(quad.subject.value, quad.predicate.value, quad.object.value)] += 1
    return rdflib.Graph().parse(data="\n".join(lines), format="nt"), support


def to_rdflib(store: GraphStore):  # type: ignore[no-untyped-def]
    """The union of all graphs as an ``rdflib.Graph`` (for pyshacl, NetworkX and notebooks)."""
    import rdflib

    buf = io.BytesIO()
    store.dump(buf, ox.RdfFormat.N_TRIPLES, union=True)
    graph = rdflib.Graph()
    graph.parse(data=buf.getvalue().decode("utf-8"), format="nt")
    return graph


def construct_graph(store: GraphStore, sparql: str, *, where: str = "query", allow_service: bool = False):  # type: ignore[no-untyped-def]
    """A CONSTRUCT query's triples as an ``rdflib.Graph``, with the type and label of every node
    it names (so the page can colour and name them)."""
    import rdflib

    from kg.errors import QueryError
    from kg.query import run

    result = run(store, sparql, where=where, allow_service=allow_service)
    if result.kind != "graph":
        raise QueryError(f"{where}: a view needs a CONSTRUCT or DESCRIBE query, not {result.kind.upper()}")
    triples = list(result.triples or [])
    nodes = {t.subject for t in triples} | {t.object for t in triples if isinstance(t.object, ox.NamedNode)}
    named = " ".join(str(n) for n in nodes if isinstance(n, ox.NamedNode))
    if named:  # one query, not a lookup per node, so a remote store (kg.store.remote) answers it too
        res = store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {named} }} "
                          f"VALUES ?p {{ <{RDF_TYPE}> <{RDFS_LABEL}> }} ?s ?p ?o }}")
        triples += [ox.Triple(sol["s"], sol["p"], sol["o"]) for sol in res]  # type: ignore[union-attr]
    graph = rdflib.Graph()
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
