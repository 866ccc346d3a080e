"""Article -> Extraction: a registry of named stages run over a spaCy document.

Every stage, built-in or a third party's, is a function ``stage(ctx: Context) -> None``
registered by name::

    from kg.extract import register

    @register("my-rules")
    def my_rules(ctx):
        ...  # read ctx.sents / ctx.doc, append to ctx.extraction

Stages from installed packages are found through the ``kg.stages`` entry-point group.
An :class:`Extractor` runs a list of stage names (``DEFAULT_STAGES`` unless told
otherwise) and satisfies the one Protocol the pipeline knows: it takes articles and
returns Extractions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib.metadata import entry_points
from typing import Protocol

from kg.errors import ExtractionError
from kg.extract.claims import find_claims
from kg.extract.context import Context
from kg.extract.cooperation import find_cooperation
from kg.extract.entities import find_entities
from kg.extract.events import find_events
from kg.extract.resources import Resources
from kg.model import Article, Evidence, Extraction

Stage = Callable[[Context], None]
STAGES: dict[str, Stage] = {}
DEFAULT_STAGES = ("entities", "claims", "events", "cooperation", "claim-targets")
VERSION = "1"  # bump when extraction output changes, so incremental builds redo articles


class ArticleExtractor(Protocol):
    """What the pipeline needs of an extractor."""

    name: str

    def extract_all(self, articles: Iterable[Article]) -> Iterator[Extraction]: ...


def register(name: str) -> Callable[[Stage], Stage]:
    """Register a stage under ``name`` (decorator)."""
    def deco(fn: Stage) -> Stage:
        STAGES[name] = fn
        return fn
    return deco


def get_stage(name: str) -> Stage:
    """A registered stage, loading entry points on first miss."""
    if name not in STAGES:
        for ep in entry_points(group="kg.stages"):
            if ep.name == name:
                STAGES[name] = ep.load()
    if name not in STAGES:
        raise ExtractionError(f"unknown extraction stage {name!r} (known: {', '.join(sorted(STAGES))})")
    return STAGES[name]


def _claim_targets(ctx: Context) -> None:
    """What each claim is about: the entities and facts read from its sentence."""
    facts: list[tuple[str, list[Evidence]]] = [(e.key, e.evidence) for e in ctx.extraction.events]
    facts += [(c.key, c.evidence) for c in ctx.extraction.cooperations]
    for claim in ctx.extraction.claims:
        span = (claim.evidence[0].start, claim.evidence[0].end)
        sent = ctx.sentence_at(span[0])
        keys = [m.key for m in (sent.mentions if sent else []) if m.key not in {claim.claimant, claim.reported_by}]
        keys += [key for key, evidence in facts if any((e.start, e.end) == span for e in evidence)]
        claim.about = list(dict.fromkeys(keys))


register("entities")(find_entities)
register("claims")(find_claims)
register("events")(find_events)
register("cooperation")(find_cooperation)
register("claim-targets")(_claim_targets)


class Extractor:
    """spaCy plus the registered stages, over one article or a stream of them."""

    name = "spacy-rules"

    def __init__(self, resources: Resources, *, stages: Sequence[str] = DEFAULT_STAGES,
                 model: str | None = None, batch_size: int = 32) -> None:
        from kg.extract.nlp import load_model  # spaCy loads only when an extractor is made

        self.resources = resources
        self.stages = [get_stage(s) for s in stages]
        self.stage_names = tuple(stages)
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
            for stage in self.stages:
                stage(ctx)
            yield ctx.extraction
