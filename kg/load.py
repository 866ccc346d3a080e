"""``kg load``: RDF files a user brings (reference data, an extract of another graph) into the store.

Turtle, TriG, N-Triples, N-Quads, JSON-LD and RDF/XML, told apart by the file's extension or
named with ``fmt`` (the names and aliases of :mod:`kg.formats`). Where the triples go:

- a file's default graph (all of a Turtle, N-Triples or RDF/XML file) goes into ``graph``,
  else into ``https://w3id.org/newskg/graph/loaded/<file name>``, so it is part of the
  union every query reads;
- a dataset's named graphs (TriG, N-Quads, JSON-LD) keep their names; default-graph triples
  that repeat one of them (kg's own TriG export puts the union there) are not loaded twice.

Each graph a load fills is replaced by what the files of this load hold for it, so loading
the same file again replaces it, never duplicates it (blank nodes included). Every file is
parsed whole before anything is written and goes in as one transaction: a malformed file
raises LoadError naming the file and line, and leaves the store as it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg import formats
from kg.errors import KGError, LoadError
from kg.store import GRAPH_BASE, GraphStore, Triple

LOADED_BASE = GRAPH_BASE + "loaded/"
KINDS = (formats.GRAPH, formats.DATASET)


@dataclass
class LoadSummary:
    """What a load did: files read, triples written, graphs filled, files refused (one line each)."""

    files: int = 0
    triples: int = 0
    graphs: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


def load(store: GraphStore, paths: Sequence[Path], *, graph: str | None = None, fmt: str | None = None) -> LoadSummary:
    """Load every file, one transaction each; a bad file is reported in ``errors`` and skipped.

    Raises LoadError for a bad ``graph`` or ``fmt`` (then nothing is loaded).
    """
    if graph is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+", graph):
        raise LoadError(graph, "--graph needs an absolute IRI, such as https://example.org/my-graph")
    forced = _format(fmt) if fmt else None
    summary = LoadSummary()
    for path in paths:
        try:
            written = load_file(store, path, graph=graph, fmt=forced, replaced=summary.graphs)
        except KGError as err:
            summary.errors.append(str(err))
            continue
        summary.files += 1
        summary.triples += sum(written.values())
        summary.graphs |= set(written)
    return summary


def load_file(store: GraphStore, path: Path, *, graph: str | None = None, fmt: formats.Format | None = None,
              replaced: set[str] | None = None) -> dict[str, int]:
    """Load one file in one transaction; ``{graph: triples written}``.

    Graphs in ``replaced`` (filled earlier in the same load) are added to, others replaced.
    Raises LoadError when the file cannot be read or parsed, or holds no triple.
    """
    found = fmt or formats.for_extension(path.name, *KINDS)
    if found is None or found.rdf is None:
        raise LoadError(str(path), "unknown RDF format: name it with --format "
                        f"({', '.join(formats.names(*KINDS))}) or use its usual extension")
    groups = _groups(_parse(path, found.rdf), default=graph or LOADED_BASE + _slug(path.name))
    if not groups:
        raise LoadError(str(path), "holds no triples")
    done = replaced or set()
    fresh = [g for g in groups if g not in done]
    first = fresh[0] if fresh else next(iter(groups))
    kept: list[Triple] = [] if fresh else [(q.subject, q.predicate, q.object) for q in store.quads(first)]  # type: ignore[misc]
    store.replace_graph(first, [*kept, *groups[first]], add={g: t for g, t in groups.items() if g != first},
                        drop=fresh[1:])
    return {g: len(t) for g, t in groups.items()}


def _format(name: str) -> formats.Format:
    found = formats.find(name, *KINDS)
    if found is None or found.rdf is None:
        raise LoadError(name, f"unknown RDF format (one of {', '.join(formats.names(*KINDS))})")
    return found


def _parse(path: Path, rdf: ox.RdfFormat) -> list[ox.Quad]:
    """Every quad of the file; LoadError with the parser's line and column."""
    try:
        return list(ox.parse(path=str(path), format=rdf, base_iri=path.resolve().as_uri()))
    except SyntaxError as err:
        raise LoadError(str(path), f"not valid {rdf.name}: {str(err).splitlines()[0] if str(err) else err}") from err
    except (OSError, ValueError) as err:
        raise LoadError(str(path), f"cannot read it: {getattr(err, 'strerror', None) or err}") from err


def _groups(quads: list[ox.Quad], *, default: str) -> dict[str, list[Triple]]:
    """Triples per target graph; default-graph triples that a named graph repeats are dropped."""
    named = {q.triple for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    groups: dict[str, list[Triple]] = {}
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            target = q.graph_name.value
        elif q.triple in named:
            continue
        else:  # the default graph (or a blank-node graph name, which no store keeps)
            target = default
        groups.setdefault(target, []).append((q.subject, q.predicate, q.object))  # type: ignore[arg-type]
    return groups


def _slug(name: str) -> str:
    """A file name as an IRI segment: ``My Places.ttl`` -> ``my-places.ttl``."""
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "file"
