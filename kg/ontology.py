"""The ontology as data: where its files live, its namespaces, and readers for them.

``ontology/`` holds what people edit: ``newskg.ttl`` (OWL), ``topics.ttl`` (the SKOS
cooperation-topic scheme, with the words that signal each topic as ``skos:hiddenLabel``),
``shapes.ttl`` (SHACL), ``lexicon.yaml`` (role words, event triggers, attribution cues)
and ``gazetteer/*.yaml`` (reference entities). ``$KG_ONTOLOGY_DIR`` points elsewhere.
In a checkout these are the top-level ``ontology/`` and ``queries/`` folders; an installed
wheel carries the same files as package data (``kg/_data/``, see setup.py), read through
``importlib.resources``, so nothing a user needs lives only in the source tree.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import GazetteerError

NKG = "https://w3id.org/newskg/ontology#"
ID = "https://w3id.org/newskg/id/"
TOPIC = ID + "topic/"
WD = "http://www.wikidata.org/entity/"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS = "http://purl.org/dc/terms/"
GENID = "https://w3id.org/newskg/.well-known/genid/"  # skolem IRIs for the ontology's blank nodes (RDF 1.1, 3.5)


def data_dir(name: str) -> Path:
    """The shipped folder ``name`` (``ontology`` or ``queries``): package data when installed
    from a wheel, else the checkout's top-level folder (source tree or editable install)."""
    packaged = resources.files("kg") / "_data" / name
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def ontology_dir() -> Path:
    """The folder of ontology files: ``$KG_ONTOLOGY_DIR``, else the shipped ``ontology/``."""
    env = os.environ.get("KG_ONTOLOGY_DIR")
    return Path(env) if env else data_dir("ontology")


def queries_dir() -> Path:
    """The saved SPARQL queries (``queries/*.rq``) that ship with kg."""
    return data_dir("queries")


def ontology_files() -> list[Path]:
    """The OWL ontology files (everything ``*.ttl`` but topics and shapes)."""
    skip = {"topics.ttl", "shapes.ttl"}
    return sorted(p for p in ontology_dir().glob("*.ttl") if p.name not in skip)


def topics_file() -> Path:
    return ontology_dir() / "topics.ttl"


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"


def lexicon_file() -> Path:
    return ontology_dir() / "lexicon.yaml"


def offices_file() -> Path:
    """Who held which office when (``offices.yaml``)."""
    return ontology_dir() / "offices.yaml"


def gazetteer_files() -> list[Path]:
    return sorted((ontology_dir() / "gazetteer").glob("*.yaml"))


def read_turtle(path: Path) -> list[ox.Triple]:
    """Parse a Turtle file; a syntax error names the file and line.

    Blank nodes (the ontology's lists and restrictions) become skolem IRIs named by the
    file and their order of appearance (``GENID + "newskg-b3"``), not labels the parser or
    the store draws at random, so the same files give the same graph, byte for byte, in
    every build and in every store (a SPARQL update would relabel blank nodes anyway).
    """
    try:
        triples = [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    except (SyntaxError, OSError) as err:
        raise GazetteerError(f"{path}: {err}") from err
    return _skolemised(triples, re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-") or "file")


def _skolemised(triples: list[ox.Triple], scope: str) -> list[ox.Triple]:
    iris: dict[ox.BlankNode, ox.NamedNode] = {}

    def stable(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return iris.setdefault(term, ox.NamedNode(f"{GENID}{scope}-b{len(iris)}"))
        return term

    return [ox.Triple(stable(t.subject), t.predicate, stable(t.object)) for t in triples]


@dataclass(frozen=True, slots=True)
class Topic:
    """A cooperation topic with the words that signal it."""

    slug: str
    label: str
    triggers: tuple[str, ...]
    broader: str | None
    weak: tuple[str, ...] = ()  # triggers that count only beside an explicit word of cooperation


@lru_cache(maxsize=8)
def _load_topics(path: Path, mtime: float) -> tuple[Topic, ...]:
    labels: dict[str, str] = {}
    triggers: dict[str, list[str]] = {}
    broader: dict[str, str] = {}
    weak: dict[str, list[str]] = {}
    for t in read_turtle(path):
        s = t.subject.value if isinstance(t.subject, ox.NamedNode) else ""
        if not s.startswith(TOPIC):
            continue
        slug, p, o = s[len(TOPIC):], t.predicate.value, t.object
        if p == SKOS + "prefLabel" and isinstance(o, ox.Literal):
            labels[slug] = o.value
        elif p == SKOS + "hiddenLabel" and isinstance(o, ox.Literal):
            triggers.setdefault(slug, []).append(o.value)
        elif p == NKG + "weakCue" and isinstance(o, ox.Literal):
            weak.setdefault(slug, []).append(o.value)
        elif p == SKOS + "broader" and isinstance(t.object, ox.NamedNode):
            broader[slug] = t.object.value[len(TOPIC):]
    return tuple(
        Topic(slug, labels.get(slug, slug), tuple(sorted(set(triggers[slug]))), broader.get(slug),
              tuple(sorted(set(weak.get(slug, [])))))
        for slug in sorted(triggers)
    )


def load_topics(path: Path | None = None) -> tuple[Topic, ...]:
    """Topics that have trigger words (group concepts without triggers are left out)."""
    path = path or topics_file()
    return _load_topics(path, path.stat().st_mtime)


def fingerprint(extra: list[Path] | None = None) -> str:
    """A hash of every file that shapes extraction, to know when a rebuild is due."""
    h = hashlib.sha256()
    files = [topics_file(), lexicon_file(), offices_file(), *gazetteer_files(), *(extra or [])]
    for p in sorted(set(files)):
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.exists() else b"")
    return h.hexdigest()[:16]
