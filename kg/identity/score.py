"""Event identity scored against a gold clustering of reports: B-cubed precision, recall, F1.

The gold file (``eval/events/*/clusters.yaml``) lists real events, each with the article
files that report it. For each report, its predicted cluster is the gold reports that share
the event node kg gives it: among the event nodes of that article's graph that name any of
the gold participants, one of a type compatible with the gold type (as identity has it: the
hierarchy, or nkg:compatibleEventClass)
first (a report may call a summit of two leaders their meeting, so the type ranks, it does not
exclude), then the one whose participants in the article's account cover the gold
participants (of the gold type itself before a merely compatible one: a call the article also
tells as "their conversation"), else overlap them most, with the fewest others; with no such node the report is
alone. Precision and recall are averaged over reports (Bagga and Baldwin's B-cubed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from kg.errors import ValidationError
from kg.gold import normalise_label
from kg.identity.report import World
from kg.identity.storage import load_world
from kg.ontology import NKG, RDFS, SKOS
from kg.remove import sources
from kg.store import GraphStore


@dataclass(frozen=True)
class GoldEvent:
    id: str
    type: str
    participants: frozenset[str]  # normalised labels
    reports: tuple[str, ...]  # file names, relative to the gold file's folder


@dataclass
class IdentityScore:
    """B-cubed scores over the reports of one gold file, and where each report went."""

    file: str
    precision: float
    recall: float
    f1: float
    reports: int
    assigned: dict[str, str] = field(default_factory=dict)  # report file -> event node ('' if none)
    missing: list[str] = field(default_factory=list)  # report files the store does not hold


def is_clusters_file(path: Path) -> bool:
    """Whether a gold YAML file is an event clustering (top-level ``events`` with ``reports``)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(raw, dict) and isinstance(raw.get("events"), list) and all(
        isinstance(e, dict) and "reports" in e for e in raw["events"])


def load_clusters(path: Path) -> list[GoldEvent]:
    """Read a clusters file; ValidationError naming the file and entry when it is malformed."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ValidationError(f"{path}: cannot read the clusters file: {err}") from err
    out = []
    for i, entry in enumerate(raw.get("events", []) if isinstance(raw, dict) else []):
        if not isinstance(entry, dict) or not entry.get("reports") or not entry.get("type"):
            raise ValidationError(f"{path}: event {i + 1} needs a type and a list of reports")
        out.append(GoldEvent(str(entry.get("id", i + 1)), str(entry["type"]),
                             frozenset(normalise_label(p) for p in entry.get("participants") or []),
                             tuple(str(r) for r in entry["reports"])))
    if not out:
        raise ValidationError(f"{path}: no events listed")
    return out


def score_clusters(store: GraphStore, path: Path) -> IdentityScore:
    """Score the store's event nodes against the clusters file ``path``."""
    gold = load_clusters(path)
    world = load_world(store)
    graphs = _graphs_by_file(store, path.parent, [r for ev in gold for r in ev.reports])
    assigned: dict[str, str] = {}
    for ev in gold:
        for report in ev.reports:
            graph = graphs.get(report)
            assigned[report] = _choose(store, graph, ev, world) if graph else ""
    gold_of = {r: ev.id for ev in gold for r in ev.reports}
    p_sum = r_sum = 0.0
    for report, node in assigned.items():
        predicted = {x for x, n in assigned.items() if node and n == node} or {report}
        truth = {x for x, g in gold_of.items() if g == gold_of[report]}
        p_sum += len(predicted & truth) / len(predicted)
        r_sum += len(predicted & truth) / len(truth)
    n = len(assigned)
    p, r = p_sum / n, r_sum / n
    return IdentityScore(str(path), p, r, 2 * p * r / (p + r) if p + r else 0.0, n, assigned,
                         sorted(x for x in assigned if x not in graphs))


def _graphs_by_file(store: GraphStore, folder: Path, files: list[str]) -> dict[str, str]:
    """Report file name -> article graph, matching the source files the store was built from."""
    out: dict[str, str] = {}
    by_name: dict[str, list[tuple[str, str]]] = {}
    for graph, source in sources(store).items():
        by_name.setdefault(Path(source.split("#", 1)[0]).name, []).append((graph, source))
    for name in files:
        hits = by_name.get(Path(name).name, [])
        exact = [g for g, s in hits if Path(s).resolve() == (folder / name).resolve()]
        if exact or len(hits) == 1:
            out[name] = (exact or [hits[0][0]])[0]
    return out


def _choose(store: GraphStore, graph: str, gold: GoldEvent, world: World) -> str:
    """The event node of ``graph`` that stands for the gold event (see the module docstring)."""
    res = store.query(f"""SELECT ?e ?c (GROUP_CONCAT(DISTINCT ?name; separator="\\t") AS ?names) WHERE {{
        GRAPH <{graph}> {{ ?e <{NKG}reportKey> ?k ; a ?c }}
        OPTIONAL {{ GRAPH <{graph}> {{ ?e <{NKG}participant>|<{NKG}initiator> ?p }} ?p <{RDFS}label>|<{SKOS}altLabel> ?name }}
    }} GROUP BY ?e ?c""")
    best: tuple[tuple[int, int, int, int, int], str] | None = None
    for sol in res if isinstance(res, ox.QuerySolutions) else []:
        cls = str(sol["c"].value).removeprefix(NKG)
        fits = world.compatible_classes(gold.type, cls)
        names = {normalise_label(x) for x in str(sol["names"].value if sol["names"] else "").split("\t") if x}
        overlap = len(gold.participants & names)
        if not overlap:
            continue
        node = str(sol["e"].value)
        rank = (int(fits), int(overlap == len(gold.participants)), int(cls == gold.type), overlap,
                -len(names - gold.participants))
        if best is None or rank > best[0] or (rank == best[0] and node < best[1]):
            best = (rank, node)
    return best[1] if best else ""


def score_text(s: IdentityScore) -> str:
    """A short report: the B-cubed line, then each report's event node."""
    lines = [f"event identity ({s.file}): B-cubed over {s.reports} reports: "
             f"precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}"]
    for report, node in sorted(s.assigned.items()):
        lines.append(f"  {report:32} {node.rsplit('/', 1)[-1] if node else '(no event)'}")
    if s.missing:
        lines.append(f"  not in the store: {', '.join(s.missing)}")
    return "\n".join(lines)
