"""Article -> Extraction: named stages run in order over a spaCy document.

A stage is one decorated function in one module of this package (or of an installed
package, through the ``kg.stages`` entry-point group)::

    from kg.extract.registry import stage

    @stage("my-rules", requires=["mentions"], assigns=["claims"], version="1")
    def my_rules(ctx):
        ...  # read ctx.sents / ctx.doc, append to ctx.extraction

Every module of this package is imported here, so its stages register; the default
order (:data:`DEFAULT_STAGES`) follows from what each stage requires and assigns, and
the extractor's :func:`fingerprint` (stage names and versions) goes into the build key.
An :class:`Extractor` satisfies the one Protocol the pipeline knows,
:class:`ArticleExtractor`: it takes articles and returns Extractions.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from kg.extract.context import Context
from kg.extract.registry import STAGES, Stage, check_order, default_stages, get_stage, resolve, stage
from kg.extract.registry import fingerprint as _fingerprint
from kg.extract.resources import Resources
from kg.model import Article, Extraction

for _mod in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_mod.name}")  # each module's @stage functions register

DEFAULT_STAGES = default_stages()


def fingerprint(stages: Sequence[str] | None = None) -> str:
    """The stage names and versions of an extractor (the default one unless ``stages``)."""
    return _fingerprint(stages or DEFAULT_STAGES)


VERSION = fingerprint()


class ArticleExtractor(Protocol):
    """What the pipeline needs of an extractor."""

    name: str

    def extract_all(self, articles: Iterable[Article]) -> Iterator[Extraction]: ...


class Extractor:
    """spaCy plus the named stages, over one article or a stream of them."""

    name = "spacy-rules"

    def __init__(self, resources: Resources, *, stages: Sequence[str] | None = None,
                 model: str | None = None, batch_size: int = 32) -> None:
        """Raises ExtractionError for an unknown stage or one listed before what it requires."""
        from kg.extract.nlp import load_model  # spaCy loads only when an extractor is made

        self.resources = resources
        self.stages = resolve(stages or DEFAULT_STAGES)
        self.stage_names = tuple(s.name for s in self.stages)
        self.nlp = load_model(model)
        self.batch_size = batch_size

    def extract(self, article: Article) -> Extraction:
        """Read one article."""
        return next(self.extract_all([article]))

    def extract_all(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Read a stream of articles, batching the model (``nlp.pipe``)."""
        pairs = ((a.body, a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            ctx = Context(article, doc, self.resources)
            for st in self.stages:
                st.fn(ctx)
            yield ctx.extraction


__all__ = ["DEFAULT_STAGES", "STAGES", "VERSION", "ArticleExtractor", "Extractor", "Stage", "check_order",
           "fingerprint", "get_stage", "resolve", "stage"]
