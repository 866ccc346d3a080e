"""Extraction across processes: workers read articles into N-Triples lines, one place writes.

Each worker loads spaCy once (in its initializer) and receives small chunks of articles;
at most ``2 x workers`` chunks are in flight, so memory stays flat however large the
corpus. Results come back in submission order, as plain strings, so the writing process
does no RDF work but the store update. Workers ignore Ctrl-C: the parent stops them.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context

from kg import mapping
from collections.abc import Sequence

from kg.extract import ArticleExtractor, Extractor
from kg.identity.report import Report, reports_of
from kg.extract.resources import Resources
from kg.model import Article, Extraction


@dataclass(frozen=True, slots=True)
class Rendered:
    """One article's extraction, ready to write."""

    article: Article
    graph_lines: list[str]  # the article's named graph, N-Triples
    entity_lines: list[str]  # additions to the shared entities graph
    entities: int
    reports: list[Report]  # its events, for identity across articles (kg.identity)


def render(ex: Extraction) -> Rendered:
    """Map an extraction to N-Triples lines (in whichever process extracted it)."""
    lines = [f"{s} {p} {o} ." for s, p, o in mapping.extraction_triples(ex)]
    extra = [f"{s} {p} {o} ." for s, p, o in mapping.entity_graph_triples(ex)]
    return Rendered(ex.article, lines, extra, len(ex.entities), reports_of(ex))


_WORKER: ArticleExtractor | None = None


def _init(resources: Resources, stages: Sequence[str] | None = None) -> None:
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = Extractor(resources, stages=stages)


def _work(chunk: list[Article]) -> list[Rendered]:
    assert _WORKER is not None
    return [render(ex) for ex in _WORKER.extract_all(chunk)]


def extract_parallel(articles: Iterable[Article], resources: Resources, *, workers: int,
                     chunk: int = 8, stages: Sequence[str] | None = None) -> Iterator[Rendered]:
    """Extract ``articles`` in ``workers`` processes, yielding results in input order."""
    ctx = get_context("fork")  # workers inherit the loaded gazetteer instead of pickling it
    stream = iter(articles)
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=(resources, stages)) as pool:
        pending: deque[Future[list[Rendered]]] = deque()
        try:
            while True:
                while len(pending) < 2 * workers:
                    batch = list(islice(stream, chunk))
                    if not batch:
                        break
                    pending.append(pool.submit(_work, batch))
                if not pending:
                    return
                yield from pending.popleft().result()
        except BaseException:
            for fut in pending:
                fut.cancel()
            _terminate(pool)
            raise


def extract_serial(articles: Iterable[Article], resources: Resources, *,
                   stages: Sequence[str] | None = None) -> Iterator[Rendered]:
    """The same, in this process (small builds: no model load per worker)."""
    extractor: ArticleExtractor = Extractor(resources, stages=stages)
    for ex in extractor.extract_all(articles):
        yield render(ex)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop workers now (Ctrl-C or an error), not after their queued chunks."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def worker_count(requested: int | None, todo: int, *, per_worker: int = 12) -> int:
    """How many processes are worth starting: each costs a model load (about a second)."""
    cores = requested if requested and requested > 0 else (os.cpu_count() or 1)
    return max(1, min(cores, todo // per_worker))


