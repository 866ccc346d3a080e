"""Extraction stages declare themselves, like spaCy's pipeline components.

A stage is one decorated function; the decorator says what it needs and what it adds::

    @stage("claims", requires=["mentions"], assigns=["claims"], version="2", default=True)
    def find_claims(ctx: Context) -> None: ...

``requires`` and ``assigns`` name parts of the :class:`~kg.extract.context.Context`
(``doc`` and ``sents`` exist before any stage runs). :func:`check_order` refuses a
list in which a stage requires something no earlier stage assigns; :func:`default_stages`
orders the ``default=True`` stages so each comes after what it requires. A stage's
``version`` goes into the build key (:func:`fingerprint`), so changing one stage
rebuilds the articles it read. Stages of installed packages come from the ``kg.stages``
entry-point group and run when named (``kg build --stages entities,claims,my-stage``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Protocol

from kg.errors import ExtractionError

if TYPE_CHECKING:
    from kg.extract.context import Context

GIVEN = frozenset({"doc", "sents"})  # what a Context holds before the first stage
ENTRY_POINT_GROUP = "kg.stages"


class StageFn(Protocol):
    """What a stage is: it reads the context and adds to ``ctx.extraction``."""

    def __call__(self, ctx: Context, /) -> None: ...


@dataclass(frozen=True)
class Stage:
    """A registered stage: its function and its declaration."""

    name: str
    fn: StageFn
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    version: str = "1"
    default: bool = False


STAGES: dict[str, Stage] = {}


def stage(name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = (), version: str = "1",
          default: bool = False) -> Callable[[StageFn], StageFn]:
    """Register the decorated function as the stage ``name`` (``default``: run unless told otherwise)."""
    def deco(fn: StageFn) -> StageFn:
        STAGES[name] = Stage(name, fn, tuple(requires), tuple(assigns), version, default)
        return fn
    return deco


def get_stage(name: str) -> Stage:
    """A registered stage, looking in the ``kg.stages`` entry points on a miss.

    Raises ExtractionError naming the known stages when there is none of that name."""
    if name not in STAGES:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.name == name:
                _load(ep)
    if name not in STAGES:
        raise ExtractionError(f"unknown extraction stage {name!r} (known: {', '.join(sorted(STAGES))})")
    return STAGES[name]


def _load(ep: EntryPoint) -> None:
    """Import an entry point's stage. A function its module registered under another name is
    also known by the entry point's name; an undecorated one needs and adds nothing declared."""
    try:
        fn = ep.load()
    except Exception as err:  # a third party's import error, reported as one line
        raise ExtractionError(f"cannot load stage {ep.name!r} from {ep.value}: {err}") from err
    if ep.name in STAGES:
        return
    known = next((s for s in STAGES.values() if s.fn is fn), None)
    version = ep.dist.version if ep.dist is not None else "0"
    STAGES[ep.name] = (Stage(ep.name, known.fn, known.requires, known.assigns, known.version) if known
                       else Stage(ep.name, fn, version=version))


def check_order(stages: Sequence[Stage]) -> None:
    """Raise ExtractionError when a stage requires what no stage before it assigns."""
    available = set(GIVEN)
    for i, st in enumerate(stages):
        for need in st.requires:
            if need in available:
                continue
            later = [s.name for s in stages[i + 1:] if need in s.assigns]
            where = (f"stage {later[0]!r} assigns it but comes after" if later else
                     f"no stage in the list assigns it ({_assigners(need)})")
            raise ExtractionError(f"extraction stage {st.name!r} requires {need!r}: {where}")
        available.update(st.assigns)


def _assigners(need: str) -> str:
    names = [s.name for s in STAGES.values() if need in s.assigns]
    return "assigned by " + ", ".join(repr(n) for n in names) if names else "no known stage assigns it"


def resolve(names: Iterable[str]) -> list[Stage]:
    """The stages of these names, in this order, checked."""
    stages = [get_stage(n) for n in names]
    dupes = {s.name for s in stages if sum(1 for t in stages if t.name == s.name) > 1}
    if dupes:
        raise ExtractionError(f"extraction stage(s) listed twice: {', '.join(sorted(dupes))}")
    check_order(stages)
    return stages


def default_stages() -> tuple[str, ...]:
    """The default stages, each after the stages assigning what it requires (ties keep the
    order of registration)."""
    pending = [s for s in STAGES.values() if s.default]
    available = set(GIVEN)
    order: list[str] = []
    while pending:
        ready = next((s for s in pending if set(s.requires) <= available), None)
        if ready is None:
            check_order(pending)  # names the stage whose requirement nobody assigns
            raise ExtractionError("default extraction stages require each other in a cycle")
        order.append(ready.name)
        available.update(ready.assigns)
        pending.remove(ready)
    return tuple(order)


def fingerprint(names: Iterable[str]) -> str:
    """What identifies an extractor's output: its stage names and versions, in order.

    Raises ExtractionError as :func:`resolve` does."""
    return ",".join(f"{s.name}@{s.version}" for s in resolve(names))
