"""ingest -> extract -> mapping -> store: what ``kg build`` does.

The ontology, topic scheme and gazetteer go into graphs of their own on every build;
each article's facts go into the graph named by its IRI, written in one transaction.
An article is skipped when its content and everything that shapes its extraction
(gazetteer, lexicon, topics, extractor version) are unchanged since it was built, wherever
its file now lies (:mod:`kg.planning`); planning loads neither spaCy nor the gazetteer.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    from kg.extract.resources import Resources

from kg import identity, ingest, mapping, ontology, parallel, planning
from kg.errors import ExtractionError, IngestError, KGError
from kg.model import Article
from kg.readcache import Entry, ReadCache
from kg.remove import gone, remove_graphs
from kg.store import ENTITIES_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, TOPICS_GRAPH, GraphStore, replace_update

log = logging.getLogger(__name__)
FLUSH_EVERY = 100  # articles written between flushes of the embedded store's write buffers (RocksDB memtables)
RELEASE_EVERY = 250  # articles written between releases of the store's read caches (Store.release_memory)
Progress = Callable[[Article], None]
_BUILD_KEY = ox.NamedNode(ontology.NKG + "buildKey")
_MARKER = ontology.OWL + "versionInfo"  # on the ontology graph: an annotation, no domain to infer from


@dataclass
class BuildSummary:
    """What a build did."""

    read: int = 0
    built: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: list[KGError] = field(default_factory=list)  # files, records and articles left out, each with why
    triples: int = 0
    entities: int = 0
    pruned: int = 0
    seconds: float = 0.0


def load_project_resources(extra_gazetteers: Sequence[Path] = ()) -> Resources:
    """Gazetteer, lexicon and topics from ``ontology/`` (plus the user's gazetteer files)."""
    from kg.extract.resources import load_resources

    loaded = ontology.load_topics()
    return load_resources(lexicon=ontology.lexicon_file(), gazetteer=[*ontology.gazetteer_files(), *extra_gazetteers],
                          topics={t.slug: t.triggers for t in loaded}, weak=[w for t in loaded for w in t.weak],
                          offices=ontology.offices_file())


def load_ontology(store: GraphStore, resources: Resources, *, stamp: str = "", force: bool = False) -> None:
    """(Re)write the ontology, topic scheme and reference graphs, unless ``stamp`` (a hash of
    the files they come from) says the store holds them already."""
    marker = ox.NamedNode(_MARKER)
    if not force and stamp and _ask_literal(store, f"<{ONTOLOGY_GRAPH}> <{_MARKER}> ?k") == stamp:
        return
    onto = [t for p in ontology.ontology_files() for t in ontology.read_turtle(p)]
    onto.append(ox.Triple(ox.NamedNode(ONTOLOGY_GRAPH), marker, ox.Literal(stamp)))
    # one transaction: the stamp is never written without the graphs it vouches for
    store.replace_graph(ONTOLOGY_GRAPH, onto, drop=[TOPICS_GRAPH, REFERENCE_GRAPH], add={
        TOPICS_GRAPH: ontology.read_turtle(ontology.topics_file()),
        REFERENCE_GRAPH: mapping.reference_triples(resources.gazetteer.entities.values())})


def _scan(paths: Sequence[Path], stamp: str, summary: BuildSummary, cache: ReadCache) -> Iterator[Entry]:
    """First pass: every readable article once (by content hash) as (path relative to the folder
    holding its root, :func:`kg.planning.relative`; id; build key), from ``cache`` where its
    file is unchanged, else read; unreadable files go to the summary."""
    seen: set[str] = set()
    for root in paths:
        base = planning.base_of(Path(root))
        for file in ingest.iter_files([root]):
            held = None if isinstance(file, IngestError) else cache.known(file)
            name = "" if isinstance(file, IngestError) else ingest.path_text(file)
            for record, id_, key in held if held is not None else _read(file, name, stamp, summary, cache):
                if id_ in seen:
                    summary.duplicates += 1
                else:
                    seen.add(id_)
                    yield planning.relative_path(name + record, base), id_, key


def _read(file: Path | IngestError, name: str, stamp: str, summary: BuildSummary, cache: ReadCache) -> list[Entry]:
    """The entries of a file read now, each with its record's ``#N`` (or nothing) after the
    file's ``name``; cached when the file read without error."""
    results = [file] if isinstance(file, IngestError) else ingest.read_results(file)
    errors = [r for r in results if isinstance(r, IngestError)]
    for error in errors:
        log.warning("skipped %s", error)
        summary.skipped.append(error)
    entries = [(a.path[len(name):] if a.path.startswith(name) else "", a.id, planning.article_key(a, stamp))
               for a in results if isinstance(a, Article)]
    if not errors and isinstance(file, Path):
        cache.remember(file, entries)
    return entries


def _unique(paths: Sequence[Path], todo: set[str], cache: ReadCache) -> Iterator[Article]:
    """Second pass: the articles whose ids are in ``todo``, each once, with relative paths;
    a file the cache says holds none of them is not read."""
    seen: set[str] = set()
    for root in paths:
        base = planning.base_of(Path(root))
        for file in ingest.iter_files([root]):
            held = None if isinstance(file, IngestError) else cache.known(file)
            if isinstance(file, IngestError) or (held is not None and not any(e[1] in todo for e in held)):
                continue
            for item in ingest.read_results(file):
                if isinstance(item, Article) and item.id in todo and item.id not in seen:
                    seen.add(item.id)
                    yield dataclasses.replace(item, path=planning.relative_path(item.path, base))


def _plan(store: GraphStore, paths: Sequence[Path], stamp: str, force: bool, summary: BuildSummary,
          cache: ReadCache) -> set[str]:
    """Find the ids of the articles that need (re)building. Keys are asked for
    ``planning.BATCH`` articles at a time; an unchanged article whose file moved only has its
    ``nkg:sourceFile`` rewritten."""
    todo: set[str] = set()
    for batch in planning.batches(_scan(paths, stamp, summary, cache)):
        summary.read += len(batch)
        graphs = {mapping.article_graph(id_): (path, id_, key) for path, id_, key in batch}
        keys = {} if force else store.build_keys(list(graphs))
        same = {g: path for g, (path, _, key) in graphs.items() if keys.get(g) == key}
        todo.update(id_ for g, (_, id_, _) in graphs.items() if g not in same)
        summary.unchanged += len(same)
        known = planning.stored_sources(store, list(same))
        moved = {g: path for g, path in same.items() if known.get(g, path) != path}
        if moved:
            store.update(planning.move_update(moved))
    if not summary.read and not summary.duplicates:
        if len(summary.skipped) == 1:
            raise summary.skipped[0]
        reason = f"{len(summary.skipped)} file(s) skipped" if summary.skipped else "no article files found"
        raise IngestError(", ".join(str(p) for p in paths), f"nothing could be read ({reason})")
    cache.save(paths)
    return todo


def _stamps(store: GraphStore, gazetteers: Sequence[Path], stages: Sequence[str] | None,
            force: bool) -> tuple[str, str, bool]:
    """(the key stamp, the store's marker for the ontology graphs, whether they must be
    written). The key stamp comes from the store when the cheap stamp matches it."""
    cheap = planning.cheap_stamp(gazetteers, stages)
    held = (_ask_literal(store, f"<{ONTOLOGY_GRAPH}> <{_MARKER}> ?k") or "").split(" ")
    if not force and len(held) == 2 and held[0] == cheap:
        return held[1], " ".join(held), False
    real = planning.real_stamp(gazetteers, stages)
    return real, f"{cheap} {real}", True


def build(store: GraphStore, paths: Sequence[Path], *, gazetteers: Sequence[Path] = (), force: bool = False,
          prune: bool = False, workers: int | None = None, progress: Progress | None = None,
          stages: Sequence[str] | None = None, article_timeout: float | None = parallel.DEFAULT_BUDGET,
          on_articles: Callable[[int], None] | None = None, scheduler: str | None = None) -> BuildSummary:
    """Read ``paths`` into ``store``; raises IngestError only when nothing could be read.

    Two streaming passes over the input (so memory does not grow with the corpus): the first
    finds what changed, the second extracts it, in ``workers`` processes (default: one per
    core, fewer for small builds), while this process writes each article in one transaction.
    ``prune`` then removes the articles built from files under ``paths`` that are gone.
    An article whose extraction fails or takes more than ``article_timeout`` seconds (None:
    no limit) is skipped with its reason in ``summary.skipped``; the build goes on.
    Interrupted, it leaves every article fully written or untouched; the next build resumes.
    ``scheduler`` (a Dask scheduler's address) extracts on that cluster instead (kg.distributed).
    """
    started = time.perf_counter()
    summary = BuildSummary()
    stamp, marker, stale = _stamps(store, gazetteers, stages, force)
    cache = ReadCache.beside(store, stamp)
    todo = _plan(store, paths, stamp, force, summary, cache)
    if len(todo) == summary.read:  # every file is read again: what the cache holds would only take memory
        cache = ReadCache(None, stamp)
    resources = load_project_resources(gazetteers) if todo or stale else None
    if stale and resources is not None:
        load_ontology(store, resources, stamp=marker, force=True)
    if on_articles:
        on_articles(len(todo))
    stream = _unique(paths, todo, cache)
    results = (_extractions(stream, resources, len(todo), workers=workers, stages=stages, budget=article_timeout,
                            scheduler=scheduler, stamp=stamp) if resources is not None and todo else ())
    world = identity.load_world(store) if todo or prune else None
    reports = identity.ReportIndex.over(store) if todo else None  # identity's lookups, kept here as we write
    for done in results:
        assert world is not None
        if isinstance(done, parallel.Skipped):
            where = planning.shown(done.article.path, paths)
            log.warning("skipped %s: %s", where, done.reason)
            summary.skipped.append(ExtractionError(f"{where}: {done.reason}"))
        else:
            _write(store, done, stamp, summary, world, reports)
            if summary.built % RELEASE_EVERY == 0:
                store.release_memory()  # the writer's memory stays flat: the store's caches grow with it
            elif summary.built % FLUSH_EVERY == 0:
                store.flush()  # the store's write buffers go to disk
        if progress:
            progress(done.article)
    if prune:
        summary.pruned = len(remove_graphs(store, gone(store, paths), world=world).articles)
    store.flush()
    summary.seconds = time.perf_counter() - started
    return summary


def _extractions(stream: Iterator[Article], resources: Resources, todo: int, *, workers: int | None,
                 stages: Sequence[str] | None, budget: float | None, scheduler: str | None,
                 stamp: str) -> Iterator[parallel.Outcome]:
    """The outcomes of extracting ``stream``: on a Dask cluster, in worker processes, or here."""
    if scheduler:
        from kg.distributed import extract_dask

        return extract_dask(stream, resources, address=scheduler, stages=stages, budget=budget, inputs=stamp)
    n = parallel.worker_count(workers, todo)
    if n > 1:
        return parallel.extract_parallel(stream, resources, workers=n, stages=stages, budget=budget)
    return parallel.extract_serial(stream, resources, stages=stages, budget=budget)


def _write(store: GraphStore, done: parallel.Rendered, stamp: str, summary: BuildSummary, world: identity.World,
           reports: identity.ReportIndex | None = None) -> None:
    """One article, with what it changes about events across articles, in one transaction
    (``reports``: the store's reports, kept up to date here; else identity asks the store)."""
    graph = mapping.article_iri(done.article)
    key = f"<{graph}> <{_BUILD_KEY.value}> {ox.Literal(planning.article_key(done.article, stamp))} ."
    earlier = _earlier_versions(store, done.article)
    change = identity.plan(store, world, done.reports, replaced=[graph, *earlier], reports=reports)
    text, count = replace_update(graph, change.rename_lines([*done.graph_lines, key]),
                                 add={ENTITIES_GRAPH: done.entity_lines}, drop=earlier)
    more = identity.update_text(store, change)
    store.update(text + (" ;\n" + more if more else ""))
    if reports is not None:
        reports.apply(done.reports, change.renamed, change.rewrites, removed=[graph, *earlier])
    summary.triples += count
    summary.entities += done.entities
    summary.built += 1


def _earlier_versions(store: GraphStore, article: Article) -> list[str]:
    """Graphs built from the same file (or record) when its text was different: an edited
    article replaces its old version instead of living beside it."""
    source = ox.Literal(article.path)
    res = store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g <{ontology.NKG}sourceFile> {source} }} }}")
    graphs = [sol["g"] for sol in res] if isinstance(res, ox.QuerySolutions) else []
    return [g.value for g in graphs if isinstance(g, ox.NamedNode)]


def _ask_literal(store: GraphStore, pattern: str) -> str | None:
    """The literal ``?k`` of one triple pattern, if any. A query, not a quad lookup, so a remote
    store (kg.store.remote) answers it too."""
    res = store.query(f"SELECT ?k WHERE {{ {pattern} }} LIMIT 1")
    for sol in res if isinstance(res, ox.QuerySolutions) else ():
        key = sol["k"]
        return str(key.value) if isinstance(key, ox.Literal) else None
    return None


__all__ = ["BuildSummary", "build", "load_project_resources"]
