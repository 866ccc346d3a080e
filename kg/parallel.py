"""Extraction across processes: workers read articles into N-Triples lines, one place writes.

Each worker loads spaCy once and receives small chunks of articles (:mod:`kg.pool` starts
workers afresh from a fork server, keeps results in input order, reads at most ``2 x workers``
chunks ahead, and replaces a worker that dies or overruns). Results come back as plain strings, so the writing process does no
RDF work but the store update.

One bad article never stops a build: an article whose extraction raises (a sentence nested
too deeply, a text the model refuses) or runs past its time budget comes back as
:class:`Skipped`, with the reason, and the others go on. The budget is kept inside the
process doing the work (an alarm signal, so the pool survives); a worker stuck where the
alarm cannot reach is killed by the parent after ``budget x (chunk + 1) + 30`` seconds.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING

from kg import mapping
from kg.errors import ExtractionError
from kg.identity.report import Report, key_lines, reports_of
from kg.model import Article, Extraction
from kg.pool import ordered_map

if TYPE_CHECKING:  # kg.extract imports spaCy: only where something is extracted
    from kg.extract import ArticleExtractor
    from kg.extract.registry import Stage
    from kg.extract.resources import Resources

DEFAULT_BUDGET = 60.0  # seconds of extraction per article (kg build --article-timeout)
_GRACE = 30.0  # seconds a worker may lag behind its own alarm before the parent kills it
RECYCLE = 40  # chunks a worker answers before a fresh process replaces it (flat memory)


@dataclass(frozen=True, slots=True)
class Rendered:
    """One article's extraction, ready to write."""

    article: Article
    graph_lines: list[str]  # the article's named graph, N-Triples
    entity_lines: list[str]  # additions to the shared entities graph
    entities: int
    reports: list[Report]  # its events, for identity across articles (kg.identity)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An article that could not be extracted, and why (one line)."""

    article: Article
    reason: str


Outcome = Rendered | Skipped


class BudgetExceeded(BaseException):
    """Raised by the alarm when an article's time is up (a BaseException, so no ``except
    Exception`` in a stage swallows it)."""


def render(ex: Extraction) -> Rendered:
    """Map an extraction to N-Triples lines (in whichever process extracted it)."""
    lines = [f"{s} {p} {o} ." for s, p, o in mapping.extraction_triples(ex)]
    extra = [f"{s} {p} {o} ." for s, p, o in mapping.entity_graph_triples(ex)]
    reports = reports_of(ex)
    return Rendered(ex.article, lines + key_lines(reports), extra, len(ex.entities), reports)


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise BudgetExceeded in this block after ``seconds`` (no limit when None or 0, or off
    the main thread, where no alarm can be delivered)."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise BudgetExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_chunk(extractor: ArticleExtractor, chunk: list[Article], budget: float | None) -> list[Outcome]:
    """Extract ``chunk`` in one model batch; when the batch fails or overruns ``budget``
    seconds, the articles not yet done are tried one at a time, each with its own budget."""
    done: list[Outcome] = []
    try:
        with time_budget(budget):
            for ex in extractor.extract_all(chunk):
                done.append(render(ex))
    except (Exception, BudgetExceeded) as exc:
        rest = chunk[len(done):]
        if len(rest) == 1:  # no need to try it again to know which one failed
            return [*done, Skipped(rest[0], _reason(exc, budget))]
    return done + [_extract_one(extractor, article, budget) for article in chunk[len(done):]]


def _extract_one(extractor: ArticleExtractor, article: Article, budget: float | None) -> Outcome:
    try:
        with time_budget(budget):
            return next(render(ex) for ex in extractor.extract_all([article]))
    except (Exception, BudgetExceeded) as exc:
        return Skipped(article, _reason(exc, budget))


def _reason(exc: BaseException, budget: float | None) -> str:
    """One line saying why an article's extraction failed."""
    if isinstance(exc, BudgetExceeded):
        return f"extraction took longer than {budget:g} s (raise --article-timeout to allow more)"
    if isinstance(exc, RecursionError):
        return "extraction failed: a sentence is nested too deeply to analyse (RecursionError)"
    words = " ".join(str(exc).split())
    first = words.split(". ", 1)[0]  # spaCy's messages go on for a paragraph
    return f"extraction failed: {type(exc).__name__}: {first[:300]}"


def _setup(resources: Resources, stages: Sequence[str] | None, budget: float | None,
           registered: Mapping[str, Stage] | None = None) -> partial[list[Outcome]]:
    """In a worker: load the model once; the handler extracts one chunk."""
    from kg.extract import Extractor
    from kg.extract.registry import STAGES

    STAGES.update(registered or {})
    return partial(extract_chunk, Extractor(resources, stages=stages), budget=budget)


def _registered(stages: Sequence[str] | None) -> dict[str, Stage]:
    """The requested stages this process has registered (a plugin registered at run time, not
    through the ``kg.stages`` entry points): workers start afresh (kg.pool), so they are sent
    along, by reference. Raises ExtractionError for one that cannot be (defined in a function,
    or in the script being run)."""
    registry = sys.modules.get("kg.extract.registry")  # not imported: only built-in and entry-point stages
    if not stages or registry is None:
        return {}
    found: dict[str, Stage] = {name: registry.STAGES[name] for name in stages if name in registry.STAGES}
    for name, st in found.items():
        try:
            pickle.loads(pickle.dumps(st))
        except (pickle.PicklingError, AttributeError, TypeError, ImportError) as err:
            raise ExtractionError(f"extraction stage {name!r} cannot be sent to worker processes ({err}): "
                                  "define it at a module's top level or in a kg.stages entry point, "
                                  "or build with --workers 1") from None
    return found


def _lost(article: Article, reason: str) -> Outcome:
    return Skipped(article, reason)


def extract_parallel(articles: Iterable[Article], resources: Resources, *, workers: int, chunk: int = 8,
                     stages: Sequence[str] | None = None,
                     budget: float | None = DEFAULT_BUDGET, recycle: int | None = RECYCLE) -> Iterator[Outcome]:
    """Extract ``articles`` in ``workers`` processes, yielding outcomes in input order; each
    process is replaced after ``recycle`` chunks (``None``: never).

    Raises ExtractionError when the workers cannot start (no spaCy model, an unknown stage).
    """
    stream = iter(articles)
    chunks = iter(lambda: list(islice(stream, chunk)), [])
    limit = (lambda n: budget * (n + 1) + _GRACE) if budget else (lambda n: None)
    yield from ordered_map(chunks, partial(_setup, resources, stages, budget, _registered(stages)), workers=workers,
                           deadline=limit, lost=_lost, recycle=recycle)


def extract_serial(articles: Iterable[Article], resources: Resources, *, stages: Sequence[str] | None = None,
                   budget: float | None = DEFAULT_BUDGET, chunk: int = 32) -> Iterator[Outcome]:
    """The same, in this process (small builds: no model load per worker)."""
    from kg.extract import Extractor

    extractor: ArticleExtractor = Extractor(resources, stages=stages)
    stream = iter(articles)
    while batch := list(islice(stream, chunk)):
        yield from extract_chunk(extractor, batch, budget)


def worker_count(requested: int | None, todo: int, *, per_worker: int = 12) -> int:
    """How many processes are worth starting: each costs a model load (about a second)."""
    cores = requested if requested and requested > 0 else (os.cpu_count() or 1)
    return max(1, min(cores, todo // per_worker))
