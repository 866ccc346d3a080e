"""Extraction on a Dask distributed cluster: ``kg build --scheduler ADDRESS``.

The client (the process running ``kg build``) reads the articles and sends them to the
cluster in chunks, with a bounded number of chunks in flight; the resources (gazetteer,
lexicon, topics) go to every worker once, and each worker process builds its extractor
(and loads the spaCy model) once per build. Results come back as :class:`kg.parallel.Rendered`
(N-Triples lines), in input order, to the one writer: the store this process opened. Each
article is still written in one transaction, so Ctrl-C or a lost worker leaves every
article fully in or out (Dask reruns the chunks a lost worker held; a chunk that keeps
killing workers comes back as skipped), and the next build resumes.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.model import Article
from kg.parallel import Outcome, Skipped, extract_chunk

if TYPE_CHECKING:
    from kg.extract import ArticleExtractor
    from kg.extract.resources import Resources

_EXTRACTORS: dict[str, ArticleExtractor] = {}  # in a worker process: this build's extractor
_LOCK = threading.Lock()  # one extraction at a time per process (the model is not shared across threads)


def extract_on_worker(chunk: list[Article], resources: Resources, build: str, stages: Sequence[str] | None,
                      budget: float | None) -> list[Outcome]:
    """Run on a Dask worker: extract one chunk with this process's extractor for ``build``
    (made, and the model loaded, on the first chunk of that build)."""
    with _LOCK:
        extractor = _EXTRACTORS.get(build)
        if extractor is None:
            from kg.extract import Extractor

            _EXTRACTORS.clear()  # an earlier build's extractor: let it go
            extractor = _EXTRACTORS[build] = Extractor(resources, stages=stages)
        return extract_chunk(extractor, chunk, budget)


def connect(address: str) -> Any:
    """A Dask client of the scheduler at ``address``; KGError when it cannot be reached."""
    from distributed import Client

    try:
        return Client(address, timeout=15, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise KGError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def extract_dask(articles: Iterable[Article], resources: Resources, *, address: str,
                 stages: Sequence[str] | None = None, budget: float | None = None, chunk: int = 8,
                 in_flight: int | None = None, inputs: str = "") -> Iterator[Outcome]:
    """Extract ``articles`` on the cluster at ``address``, yielding outcomes in input order.

    At most ``in_flight`` chunks (default: four per worker) are sent or waiting to be
    yielded at any time, so memory does not grow with the corpus. ``budget`` only holds
    where a worker runs tasks on its main thread (Dask's worker threads get no alarm).
    ``inputs`` (the build stamp) names the extractor a worker keeps between builds.
    """
    client = connect(address)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        shared = client.scatter(resources, broadcast=True, hash=False)
        build = f"{inputs}|{','.join(stages or ())}" if inputs else uuid.uuid4().hex
        stream = iter(articles)
        chunks = enumerate(iter(lambda: list(islice(stream, chunk)), []))
        yield from _ordered(client, chunks, in_flight or 4 * workers,
                            lambda batch: client.submit(extract_on_worker, batch, shared, build, stages, budget,
                                                        pure=False))
    finally:
        client.close()


def _ordered(client: Any, chunks: Iterator[tuple[int, list[Article]]], limit: int,
             submit: Any) -> Iterator[Outcome]:
    """Keep ``limit`` chunks sent or buffered; yield their outcomes in chunk order."""
    from distributed import as_completed

    sent: dict[str, tuple[int, list[Article]]] = {}
    ready: dict[int, list[Outcome]] = {}
    want = 0

    def top_up() -> list[Any]:
        futures = []
        while len(sent) + len(ready) < limit and (item := next(chunks, None)) is not None:
            futures.append(submit(item[1]))
            sent[futures[-1].key] = item
        return futures

    first = top_up()
    if not first:
        return
    pending = as_completed(first, loop=client.loop)
    for future in pending:
        number, batch = sent.pop(future.key)
        ready[number] = _outcomes(future, batch)
        while want in ready:
            yield from ready.pop(want)
            want += 1
        for future in top_up():
            pending.add(future)


def _outcomes(future: Any, batch: list[Article]) -> list[Outcome]:
    """A chunk's outcomes; when the cluster could not run it (a chunk that killed its workers,
    a worker without the model), each of its articles is skipped with the reason."""
    try:
        result: list[Outcome] = future.result()
        return result
    except Exception as exc:  # whatever the worker raised, or distributed's KilledWorker
        words = " ".join(str(exc).split())[:300]
        return [Skipped(article, f"extraction failed on the cluster: {type(exc).__name__}: {words}")
                for article in batch]
    finally:
        future.release()


__all__ = ["connect", "extract_dask", "extract_on_worker"]
