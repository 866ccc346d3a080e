"""What a build must do, found without loading the language model or the gazetteer.

An article's build key is its content (title, text, date, outlet, URL) and the extraction
inputs (gazetteer, lexicon, topics, stage names and versions), never its path: a corpus moved
or renamed re-extracts nothing. The graph records where an article came from as a path
relative to the folder holding the folder ``kg build`` was given (``news/2024/a.txt`` for
``kg build /home/me/news``, ``news/a.txt`` for ``kg build /home/me/news/a.txt``), so no
absolute path of the machine goes into the graph.

Stage versions live in the stage modules, and importing those imports spaCy; a cheap stamp
(a hash of the resource files and of ``kg/extract``'s sources) is kept in the store beside
the real one, so an unchanged rebuild learns the real stamp from the store instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kg import ontology
from kg.model import Article
from kg.store import GraphStore

BATCH = 500  # graphs asked about per query while planning
_EXTRACT_DIR = Path(__file__).parent / "extract"
_SOURCE = ontology.NKG + "sourceFile"
T = TypeVar("T")


def cheap_stamp(gazetteers: Sequence[Path], stages: Sequence[str] | None) -> str:
    """A hash of every file that shapes extraction or the ontology graphs, and the stages asked
    for: when it matches the store's, nothing about the inputs changed (no import of spaCy)."""
    h = hashlib.sha256(ontology.fingerprint([*gazetteers, *ontology.ontology_files()]).encode())
    h.update(",".join(stages or ()).encode())
    for path in sorted(_EXTRACT_DIR.rglob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:16]


def real_stamp(gazetteers: Sequence[Path], stages: Sequence[str] | None) -> str:
    """The extraction inputs an article's key is made of (imports the extraction stages)."""
    from kg import extract  # imports spaCy: only when the cheap stamp has changed

    return ontology.fingerprint(list(gazetteers)) + extract.fingerprint(stages)


def article_key(article: Article, stamp: str) -> str:
    """The build key: the article's content and ``stamp``, not where it was read from."""
    parts = [article.id, article.title or "", article.date or "", article.source or "", article.url or "", stamp]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def relative(article: Article, root: Path) -> Article:
    """The article with its path relative to the folder holding ``root`` (a folder), or holding
    ``root``'s folder (a file): the same path whether a file or its folder was named; records
    keep their ``#N``."""
    return dataclasses.replace(article, path=relative_path(article.path, base_of(root)))


def base_of(root: Path) -> str:
    """The folder that paths read under ``root`` are made relative to (see :func:`relative`)."""
    folder = os.path.abspath(root) if os.path.isdir(root) else os.path.dirname(os.path.abspath(root))
    return os.path.dirname(folder)


def relative_path(path: str, base: str) -> str:
    """``path`` (a file, perhaps with a record's ``#N``) relative to ``base``, with ``/``."""
    file, hash_, record = path.partition("#")
    full = os.path.abspath(file)
    head = os.path.join(base, "")
    rel = full[len(head):] if full.startswith(head) else os.path.relpath(full, base)
    if rel.startswith(os.pardir):  # not under root (cannot happen for what ingest yields)
        rel = os.path.basename(file)
    return rel.replace(os.sep, "/") + hash_ + record


def locate(source: str, root: Path) -> Path | None:
    """Where the file a relative ``source`` names would be, if it lies under ``root`` (a file or
    folder given to ``kg build`` or ``kg remove``); None when it is not under ``root``.
    Sources written by older builds (absolute paths) are matched as they are."""
    file = source.split("#", 1)[0]
    target = Path(os.path.abspath(root))
    if os.path.isabs(file):
        return Path(file) if Path(file) == target or target in Path(file).parents else None
    parts, have = Path(file).parts, target.parts
    for k in range(len(have) - 1, 0, -1):  # the source's first folder is one of root's components
        overlap = have[k:]
        if have[k] == parts[0] and parts[:len(overlap)] == overlap:
            return Path(*have[:k], *parts)
    return target / file if parts and (target / parts[0]).exists() else None  # root holds the folder


def shown(source: str, roots: Sequence[Path]) -> str:
    """A relative ``source`` as a path the user can open (for messages, never the graph)."""
    for root in roots:
        if (place := locate(source, root)) is not None:
            return str(place) + ("#" + source.split("#", 1)[1] if "#" in source else "")
    return source


def batches(stream: Iterator[T], size: int | None = None) -> Iterator[list[T]]:
    """``stream`` in lists of ``size`` (default: ``BATCH``, read at the call)."""
    while batch := list(islice(stream, size or BATCH)):
        yield batch


def stored_sources(store: GraphStore, graphs: Sequence[str]) -> dict[str, str]:
    """``{graph: nkg:sourceFile}`` for those of ``graphs`` that hold one, in one query."""
    if not graphs:
        return {}
    names = " ".join(f"<{g}>" for g in graphs)
    res = store.query(f"SELECT ?g ?f WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?g <{_SOURCE}> ?f }} }}")
    rows = list(res) if isinstance(res, ox.QuerySolutions) else []
    return {str(r["g"].value): str(r["f"].value) for r in rows}


def move_update(moved: dict[str, str]) -> str:
    """One SPARQL Update giving each graph in ``moved`` its new ``nkg:sourceFile``."""
    ops = [f"DELETE WHERE {{ GRAPH <{g}> {{ <{g}> <{_SOURCE}> ?f }} }} ; "
           f"INSERT DATA {{ GRAPH <{g}> {{ <{g}> <{_SOURCE}> {ox.Literal(path)} }} }}" for g, path in moved.items()]
    return " ;\n".join(ops)


__all__ = ["BATCH", "article_key", "base_of", "batches", "cheap_stamp", "locate", "move_update", "real_stamp",
           "relative", "relative_path", "shown", "stored_sources"]
