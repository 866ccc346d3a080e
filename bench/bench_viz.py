"""How long the graph page takes to write and to settle in headless Chromium.

    .venv/bin/python bench/bench_viz.py [--sizes 500,2000,5000] [--keep DIR]

Builds synthetic knowledge graphs shaped like the pipeline's output (fixed seed; a news-like
class mix: people, countries, places, events, cooperation, claims, topics; about two edges per
node; a few hub countries and leaders), converts them with ``to_networkx``, writes the page,
opens it from ``file://`` with the network blocked and measures the time from navigation
until ``window.kgReady`` (drawn, and settled when physics is on). Needs /usr/bin/chromium and
/usr/bin/chromedriver (Debian: chromium, chromium-driver).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kg.visualize import to_networkx, write_page  # noqa: E402
from tests.browser import (  # noqa: E402
    chromium_missing_reason,
    open_page,
    quit_chromium,
    remote_urls,
    requested_urls,
    severe_console_errors,
    start_chromium,
    wait_ready,
)

NKG = Namespace("https://w3id.org/newskg/ontology#")
ID = "https://w3id.org/newskg/id/"
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
# share of all nodes per class
MIX = {
    "Leader": 0.03, "Official": 0.09, "Expert": 0.06, "Person": 0.02, "Organization": 0.05,
    "MediaOutlet": 0.02, "Country": 0.05, "Region": 0.03, "City": 0.04, "Facility": 0.02,
    "Meeting": 0.09, "PhoneCall": 0.03, "Summit": 0.01, "Visit": 0.04, "Invitation": 0.02,
    "MilitaryOperation": 0.03, "Agreement": 0.03, "Training": 0.02, "Cooperation": 0.12,
    "Claim": 0.19,
}
TOPICS = ["weapons", "drones", "electronic-warfare", "space-technology", "military-training",
          "medical-care", "demining", "construction", "tourism", "trade", "energy", "transport",
          "education", "science", "security", "diplomacy", "military-personnel"]
PERSONS = ("Leader", "Official", "Expert", "Person")
AGENTS = (*PERSONS, "Organization", "Country")
EVENTS = ("Meeting", "PhoneCall", "Summit", "Visit", "Invitation", "MilitaryOperation", "Agreement", "Training")


@dataclass
class Synthetic:
    """A synthetic graph and a pick-by-class helper with heavy-tailed popularity."""

    rng: random.Random
    graph: Graph
    by_class: dict[str, list[URIRef]]

    def pick(self, *classes: str) -> URIRef:
        pool = [node for cls in classes for node in self.by_class.get(cls, [])]
        # skewed: the first of each pool (big countries, top leaders) become hubs
        return pool[int(len(pool) * self.rng.random() ** 2.5)]


def synthetic_graph(nodes: int, *, seed: int = 42) -> Graph:
    """About ``nodes`` drawable nodes (plus articles and evidence, which are not drawn)."""
    syn = Synthetic(random.Random(seed), Graph(), {})
    for name in TOPICS:
        topic = URIRef(f"{ID}topic/{name}")
        syn.graph.add((topic, RDF.type, NKG.CooperationTopic))
        syn.graph.add((topic, SKOS.prefLabel, Literal(name.replace("-", " "), lang="en")))
        syn.by_class.setdefault("Topic", []).append(topic)
    counts = {cls: max(1, round(share * (nodes - len(TOPICS)))) for cls, share in MIX.items()}
    for cls, count in counts.items():
        for i in range(count):
            node = URIRef(f"{ID}{cls.lower()}/{cls.lower()}-{i}")
            syn.graph.add((node, RDF.type, NKG[cls]))
            syn.by_class.setdefault(cls, []).append(node)
    for cls, members in syn.by_class.items():
        for i, node in enumerate(members):
            _describe(syn, cls, node, i)
    return syn.graph


def _describe(syn: Synthetic, cls: str, node: URIRef, i: int) -> None:
    g, rng = syn.graph, syn.rng
    if cls == "Topic":
        return
    g.add((node, RDFS.label, Literal(f"{cls} {i}", lang="en")))
    if cls in PERSONS:
        g.add((node, SKOS.altLabel, Literal(f"{cls[0]}. {i}")))
        g.add((node, NKG.role, Literal(rng.choice(["President", "Minister", "analyst", "envoy"]))))
        g.add((node, NKG.affiliation, syn.pick("Country")))
        if rng.random() < 0.5:
            g.add((node, OWL.sameAs, WD[f"Q{rng.randrange(1, 10**7)}"]))
    elif cls in ("Region", "City", "Facility"):
        g.add((node, NKG.locatedIn, syn.pick("Country")))
    elif cls in EVENTS:
        parties: list[tuple[URIRef, tuple[str, ...]]] = [(NKG.participant, AGENTS)] * rng.choice((2, 2, 3))
        _fact(syn, node, i, [(NKG.initiator, AGENTS), *parties[1:]] if cls in ("Visit", "Invitation") else parties)
        g.add((node, NKG.date, Literal(f"20{rng.randrange(18, 26)}-{rng.randrange(1, 13):02d}", datatype=XSD.gYearMonth)))
        if rng.random() < 0.5:
            g.add((node, NKG.location, syn.pick("Country", "City")))
    elif cls == "Cooperation":
        _fact(syn, node, i, [(NKG.partner, ("Country",)), (NKG.partner, ("Country",)), (NKG.topic, ("Topic",))])
        if rng.random() < 0.3:
            g.add((node, NKG.provider, syn.pick("Country")))
    elif cls == "Claim":
        _fact(syn, node, i, [(NKG.claimant, PERSONS), *[(NKG.about, AGENTS)] * rng.choice((1, 2))])
        if rng.random() < 0.3:
            g.add((node, NKG.reportedBy, syn.pick("MediaOutlet")))
        g.add((node, NKG.quote, Literal(f"Claim {i} says something about the region.")))


def _fact(syn: Synthetic, node: URIRef, i: int, links: list[tuple[URIRef, tuple[str, ...]]]) -> None:
    """Links to parties, plus an article and an evidence sentence (neither drawn)."""
    g = syn.graph
    for prop, classes in links:
        g.add((node, prop, syn.pick(*classes)))
    article = URIRef(f"{ID}article/{i % 97:016x}")
    g.add((article, RDF.type, NKG.Article))
    g.add((article, SCHEMA.headline, Literal(f"Synthetic article {i % 97}")))
    g.add((article, SCHEMA.datePublished, Literal("2025-09-05", datatype=XSD.date)))
    evidence = URIRef(f"{node}/evidence")
    g.add((node, PROV.wasDerivedFrom, article))
    g.add((node, NKG.evidence, evidence))
    g.add((evidence, RDF.type, NKG.Evidence))
    g.add((evidence, NKG.text, Literal(f"A sentence of about the usual length that supports fact {i}.")))


def measure(driver: object, size: int, folder: Path) -> tuple[int, int, float, float, float, float]:
    """nodes, edges, KB, convert s, write s, settle s for one synthetic graph."""
    graph = synthetic_graph(size)
    t0 = time.perf_counter()
    nxg = to_networkx(graph)
    t1 = time.perf_counter()
    stats = write_page(nxg, folder / f"bench-{size}.html", title=f"bench {size}")
    t2 = time.perf_counter()
    open_page(driver, stats.path or folder)
    settle_ms = wait_ready(driver, timeout=120)
    remote = remote_urls(requested_urls(driver))
    errors = severe_console_errors(driver)
    if remote or errors:
        raise SystemExit(f"remote requests {remote[:3]}, console errors {errors[:3]}")
    return stats.nodes, stats.edges, stats.bytes / 1024, t1 - t0, t2 - t1, settle_ms / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,5000")
    parser.add_argument("--keep", type=Path, help="write the pages here and keep them")
    args = parser.parse_args()
    if reason := chromium_missing_reason():
        raise SystemExit(reason)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    driver = start_chromium()
    try:
        print(f"{'nodes':>6} {'edges':>6} {'KB':>7} {'convert s':>9} {'write s':>8} {'settle s':>9}")
        for size in (int(s) for s in args.sizes.split(",")):
            row = measure(driver, size, folder)
            print(f"{row[0]:>6} {row[1]:>6} {row[2]:>7.0f} {row[3]:>9.2f} {row[4]:>8.2f} {row[5]:>9.2f}", flush=True)
    finally:
        quit_chromium(driver)


if __name__ == "__main__":
    main()
