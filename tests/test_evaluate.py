"""Tests for kg.evaluate: hand-made graphs scored by kg and by the independent scorer must agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

from kg.errors import KGError, ValidationError
from kg.evaluate import EvalReport, Score, evaluate_store, load_gold, normalise_label, report_json, report_text

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
KGEVAL = SHARED / "tools" / "kgeval.py"
SEED_GOLD = Path(__file__).resolve().parents[1] / "eval" / "seed-gold.yaml"  # a copy of ../shared/eval/seed-gold.yaml
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

PREFIXES = """\
@prefix nkg: <https://w3id.org/newskg/ontology#> .
@prefix e: <https://w3id.org/newskg/id/t/> .
@prefix topic: <https://w3id.org/newskg/id/topic/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Every node any case uses; a node counts as an entity only when the article mentions it.
NODES = """\
e:a1 a nkg:Article ; schema:headline "Putin and Kim meet" ; schema:datePublished "2025-09-05"^^xsd:date .
e:putin a nkg:Leader ; rdfs:label "Vladimir Putin"@en ; skos:altLabel "Putin" ; owl:sameAs wd:Q7747 .
e:kim a nkg:Leader ; rdfs:label "Kim Jong-un" ; owl:sameAs wd:Q56226 .
e:lavrov a nkg:Official ; rdfs:label "Sergei Lavrov" .
e:dmitriev a nkg:Expert ; rdfs:label "Andrey Dmitriev" .
e:russia a nkg:Country ; rdfs:label "Russia" ; owl:sameAs wd:Q159 .
e:nk a nkg:Country ; rdfs:label "DPRK" ; owl:sameAs wd:Q423 .
e:china a nkg:Country ; rdfs:label "China" ; owl:sameAs wd:Q148 .
e:tsargrad a nkg:MediaOutlet ; rdfs:label "Tsargrad" .
e:kursk a nkg:Region ; rdfs:label "The Kursk Region" .
e:moscow a nkg:City ; rdfs:label "Moscow" .
e:xi a nkg:Leader ; rdfs:label "Xi Jinping" .
e:beijing a nkg:City ; rdfs:label "Beijing" .
"""

GOLD = """\
file: a1.txt
date: 2025-09-05
title: Putin and Kim meet
entities:
  - {label: Vladimir Putin, type: Leader, aliases: [Putin], wikidata: Q7747}
  - {label: Kim Jong Un, type: Leader, aliases: [Kim Jong-un], wikidata: Q56226}
  - {label: Sergei Lavrov, type: Official, aliases: [Lavrov]}
  - {label: Andrey Dmitriev, type: Expert}
  - {label: Russia, type: Country, wikidata: Q159}
  - {label: North Korea, type: Country, wikidata: Q423, aliases: [DPRK]}
  - {label: China, type: Country, wikidata: Q148}
  - {label: Tsargrad, type: MediaOutlet}
  - {label: Kursk region, type: Region, aliases: [Kursk]}
  - {label: Moscow, type: City, optional: true}
meetings:
  - {participants: [Vladimir Putin, Kim Jong Un], location: [China]}
  - {participants: [Vladimir Putin, Kim Jong Un, Sergei Lavrov], optional: true}
cooperation:
  - {partners: [Russia, North Korea], topic: drones}
  - {partners: [Russia, North Korea], topic: military-personnel}
  - {partners: [Russia, China], topic: trade, optional: true}
claims:
  - {claimant: Andrey Dmitriev}
  - {claimant: Vladimir Putin}
  - {claimant: Tsargrad, optional: true}
invitations:
  - {initiator: Vladimir Putin, invitee: Kim Jong Un}
"""

# case -> (triples added to the article's graph, expected {measure: (tp, fp, fn)} and summary values)
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "matches": (
        "e:a1 nkg:mentions e:putin, e:kim, e:lavrov, e:dmitriev, e:russia, e:nk, e:china, e:tsargrad, e:kursk .",
        {"entities_typed": (9, 0, 0), "entities_untyped": (9, 0, 0), "meetings": (0, 0, 1),
         "linking_correct": "5/5", "article_meta_ok": "1/1", "provenance": "0/0"}),
    "misses_and_optional": (
        "e:a1 nkg:mentions e:putin, e:moscow .",
        {"entities_typed": (1, 0, 8), "entities_untyped": (1, 0, 8), "linking_correct": "1/1"}),
    "wrong_types": (
        """e:a1 nkg:mentions e:putin2, e:russia2, e:kim, e:event, e:diplomat .
        e:putin2 a nkg:Person ; rdfs:label "Putin" ; owl:sameAs wd:Q1 .
        e:russia2 a nkg:City ; schema:name "Russia" ; owl:sameAs wd:Q159 .
        e:event a nkg:Summit ; rdfs:label "Sergei Lavrov" .
        e:diplomat a nkg:Diplomat ; rdfs:label "Sergei Lavrov" .""",
        {"entities_typed": (1, 0, 8), "entities_untyped": (3, 0, 6), "linking_correct": "2/3", "linking_wrong": 1}),
    "spurious": (
        "e:a1 nkg:mentions e:putin, e:xi, e:beijing, e:untyped .\n e:untyped rdfs:label \"Somebody\" .",
        {"entities_typed": (1, 2, 8), "entities_untyped": (1, 2, 8)}),
    "meetings": (
        """e:m1 a nkg:Meeting ; nkg:participant e:putin, e:kim ; nkg:location e:china ;
             prov:wasDerivedFrom e:a1 ; nkg:evidence e:ev1 .
        e:m2 a nkg:PhoneCall ; nkg:participant e:putin, e:kim ; nkg:location e:china ; prov:wasDerivedFrom e:a1 .
        e:m3 a nkg:Meeting ; nkg:participant e:putin, e:kim, e:lavrov .
        e:m4 a nkg:Meeting ; nkg:participant e:putin, e:russia .
        e:m5 a nkg:Summit ; nkg:participant e:xi, e:kim .
        e:m6 a nkg:Meeting ; nkg:participant e:putin, e:xi .""",
        {"meetings": (1, 1, 0), "provenance": "1/6"}),
    "cooperation_via_affiliation": (
        """e:putin nkg:affiliation e:russia .
        e:kim nkg:affiliation e:nk .
        e:c1 a nkg:Cooperation ; nkg:partner e:russia, e:nk ; nkg:topic topic:drones .
        e:c2 a nkg:Cooperation ; nkg:partner e:putin, e:kim ; nkg:topic topic:military-personnel, topic:weapons .
        e:c3 a nkg:Cooperation ; nkg:partner e:russia, e:china ; nkg:topic topic:trade .
        e:c4 a nkg:Cooperation ; nkg:partner e:russia ; nkg:topic topic:energy .
        e:c5 a nkg:Cooperation ; nkg:partner e:russia, e:nk ; nkg:topic "Military Training" .""",
        {"cooperation": (2, 3, 0)}),
    "claims": (
        """e:cl1 a nkg:Claim ; nkg:claimant e:dmitriev .
        e:cl2 a nkg:Claim ; nkg:claimant e:tsargrad .
        e:cl3 a nkg:Claim ; nkg:claimant e:xi .
        e:cl4 a nkg:Claim ; nkg:claimant e:anonymous .
        e:cl5 a nkg:Claim ; nkg:claimant e:putin .
        e:cl6 a nkg:Claim ; nkg:claimant e:putin .""",
        {"claims": (2, 2, 0), "provenance": "0/6"}),
    "invitations": (
        """e:i1 a nkg:Invitation ; nkg:initiator e:putin ; nkg:participant e:kim .
        e:i2 a nkg:Invitation ; nkg:initiator e:kim ; nkg:participant e:putin .
        e:i3 a nkg:Invitation ; nkg:participant e:lavrov .
        e:i4 a nkg:Invitation ; nkg:initiator e:putin ; nkg:participant e:putin .""",
        {"invitations": (1, 3, 0), "meetings": (0, 0, 1)}),
}


def trig(extra: str, *, nodes: str = NODES) -> str:
    """A one-article dump: the shared nodes and ``extra`` in the article's named graph."""
    return f"{PREFIXES}\ne:a1 {{\n{nodes}\n{extra}\n}}\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ours(dump: Path, *golds: Path, default_union: bool = True) -> EvalReport:
    """kg's scoring of ``dump``, read the way the scorer reads it."""
    dataset = Dataset(default_union=default_union)
    dataset.parse(dump, format="nquads" if dump.suffix == ".nq" else "trig")
    return evaluate_store(dataset, list(golds))


def kgeval(dump: Path, *golds: Path, as_json: bool = True) -> Any:
    """The independent scorer's output (parsed JSON, or the text table)."""
    if not KGEVAL.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{KGEVAL} is missing: the scorer must sit next to the repository in CI")
        pytest.skip(f"the independent scorer is not at {KGEVAL}")
    python = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable
    args = [python, str(KGEVAL), str(dump), *map(str, golds), *(["--json"] if as_json else [])]
    out = subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return json.loads(out) if as_json else out.rstrip("\n")


def comparable(result: dict[str, Any]) -> dict[str, Any]:
    """A per-article result without what depends on the scorer's set iteration order."""
    out = dict(result)
    out["meetings"] = {k: v for k, v in result["meetings"].items() if k != "location_ok"}
    out["meetings_system"] = sorted(result["meetings_system"])
    out["entities_wrong_type"] = sorted(result["entities_wrong_type"])
    out["linking"] = {**result["linking"], "wrong": sorted(result["linking"]["wrong"])}
    return out


def assert_agree(mine: EvalReport, theirs: dict[str, Any]) -> dict[str, Any]:
    """The summaries are equal, and so is every per-article result; returns kg's summary."""
    doc = report_json(mine)
    assert doc["summary"] == theirs["summary"]
    assert [list(r) for r in doc["per_article"]] == [list(r) for r in theirs["per_article"]]
    assert [comparable(r) for r in doc["per_article"]] == [comparable(r) for r in theirs["per_article"]]
    return dict(doc["summary"])


@pytest.mark.parametrize("case", CASES)
def test_evaluate_agrees_with_kgeval(case: str, tmp_path: Path) -> None:
    extra, expected = CASES[case]
    dump = write(tmp_path, "dump.trig", trig(extra))
    gold = write(tmp_path, "gold.yaml", GOLD)
    summary = assert_agree(ours(dump, gold), kgeval(dump, gold))
    for key, want in expected.items():
        got = summary[key]
        assert ((got["tp"], got["fp"], got["fn"]) if isinstance(want, tuple) else got) == want, key


def test_evaluate_lists_what_to_look_at(tmp_path: Path) -> None:
    dump = write(tmp_path, "dump.trig", trig(CASES["spurious"][0] + "\n" + CASES["cooperation_via_affiliation"][0]))
    result = report_json(ours(dump, write(tmp_path, "gold.yaml", GOLD)))["per_article"][0]
    assert result["entities_spurious"] == ["Beijing (City)", "Xi Jinping (Leader)"]
    assert result["entities_missing"][:2] == ["Andrey Dmitriev", "China"]
    assert result["cooperation_spurious"] == ["North Korea+Russia:militarytraining", "North Korea+Russia:weapons",
                                              "Russia:energy"]


def test_evaluate_reads_every_named_graph_of_a_dataset(tmp_path: Path) -> None:
    dump = write(tmp_path, "dump.trig", trig(CASES["matches"][0]))
    gold = write(tmp_path, "gold.yaml", GOLD)
    assert report_json(ours(dump, gold, default_union=False)) == report_json(ours(dump, gold))


def test_evaluate_sums_several_gold_files(tmp_path: Path) -> None:
    dump = write(tmp_path, "dump.trig", trig(CASES["misses_and_optional"][0]))
    one = write(tmp_path, "one.yaml", GOLD)
    two = write(tmp_path, "two.yaml", GOLD.replace("file: a1.txt", "file: a2.txt").replace("title: Putin", "title: X"))
    summary = assert_agree(ours(dump, one, two), kgeval(dump, one, two))
    assert summary["entities_typed"]["tp"] == 2 and summary["article_meta_ok"] == "1/2"


# A partial, hand-made export of a store built from the seed article: some entities right,
# one wrongly typed, one wrongly linked, one spurious, one fact of each kind.
SEED_DUMP = """\
@prefix nkg: <https://w3id.org/newskg/ontology#> .
@prefix e: <https://w3id.org/newskg/id/> .
@prefix topic: <https://w3id.org/newskg/id/topic/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
e:a8523d {
  e:a8523d a nkg:Article ; schema:datePublished "2025-09-05"^^xsd:date ;
    schema:headline "Putin and Kim Jong Un Held Private Talks at SCO Summit in China" ;
    nkg:mentions e:putin, e:kim, e:russia, e:nk, e:kursk, e:zap, e:tsargrad, e:shoigu, e:kremlin .
  e:putin a nkg:Leader ; rdfs:label "Vladimir Putin"@en ; owl:sameAs wd:Q7747 .
  e:kim a nkg:Leader ; rdfs:label "Kim Jong Un"@en ; skos:altLabel "Kim Jong-un" ; owl:sameAs wd:Q1 ;
    nkg:affiliation e:nk .
  e:russia a nkg:Country ; rdfs:label "Russia"@en ; owl:sameAs wd:Q159 .
  e:nk a nkg:City ; rdfs:label "North Korea"@en .
  e:kursk a nkg:Region ; rdfs:label "Kursk"@en .
  e:zap a nkg:Region ; rdfs:label "Zaporizhzhia"@en .
  e:tsargrad a nkg:MediaOutlet ; rdfs:label "Tsargrad TV"@en .
  e:shoigu a nkg:Official ; rdfs:label "Sergei Shoigu"@en .
  e:kremlin a nkg:Organization ; rdfs:label "Kremlin"@en .
  e:sco a nkg:Summit ; rdfs:label "Shanghai Cooperation Organization summit"@en .
  e:revnivtsev a nkg:Expert ; rdfs:label "Revnivtsev"@en .
  e:m1 a nkg:Meeting ; nkg:participant e:putin, e:kim ; nkg:location e:sco ;
    prov:wasDerivedFrom e:a8523d ; nkg:evidence e:ev1 .
  e:c1 a nkg:Cooperation ; nkg:partner e:russia, e:kim ; nkg:topic topic:military-personnel ;
    prov:wasDerivedFrom e:a8523d ; nkg:evidence e:ev2 .
  e:cl1 a nkg:Claim ; nkg:claimant e:revnivtsev ; prov:wasDerivedFrom e:a8523d .
  e:i1 a nkg:Invitation ; nkg:initiator e:putin ; nkg:participant e:kim .
}
"""


def seed_dump(tmp_path: Path) -> Path:
    """SEED_DUMP as N-Quads, the format ``kg export`` gives the scorer."""
    dataset = Dataset()
    dataset.parse(data=SEED_DUMP, format="trig")
    path = tmp_path / "seed.nq"
    dataset.serialize(path, format="nquads")
    return path


def test_evaluate_seed_gold_partial_dump(tmp_path: Path) -> None:
    dump = seed_dump(tmp_path)
    summary = assert_agree(ours(dump, SEED_GOLD), kgeval(dump, SEED_GOLD))
    counts = {k: (v["tp"], v["fp"], v["fn"]) for k, v in summary.items() if isinstance(v, dict)}
    assert counts == {"entities_typed": (6, 1, 12), "entities_untyped": (7, 1, 11), "meetings": (1, 0, 0),
                      "cooperation": (1, 0, 5), "claims": (1, 0, 2), "invitations": (1, 0, 0)}
    assert (summary["linking_correct"], summary["linking_wrong"]) == ("2/4", 1)
    assert (summary["article_meta_ok"], summary["provenance"]) == ("1/1", "2/5")  # the summit is an Event too


def test_evaluate_report_text_matches_kgeval(tmp_path: Path) -> None:
    dump = seed_dump(tmp_path)
    text = report_text(ours(dump, SEED_GOLD))
    assert text == kgeval(dump, SEED_GOLD, as_json=False)
    assert "   entities_wrong_type: North Korea: gold Country, got City" in text.splitlines()


def test_evaluate_store_via_to_rdflib(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from kg.export import to_rdflib
    from kg.store import Store

    store = Store(None)
    store.load(SEED_DUMP.encode("utf-8"), ox.RdfFormat.TRIG)
    dump = seed_dump(tmp_path)
    assert_agree(evaluate_store(to_rdflib(store), [SEED_GOLD]), kgeval(dump, SEED_GOLD))


def test_evaluate_seed_store_agrees_with_kgeval(seed_store: Path, tmp_path: Path) -> None:
    from kg.export import export, to_rdflib
    from kg.store import Store

    store = Store(seed_store, read_only=True)
    dump = tmp_path / "seed.nq"
    export(store, "nquads", str(dump))
    assert_agree(evaluate_store(to_rdflib(store), [SEED_GOLD]), kgeval(dump, SEED_GOLD))


@pytest.mark.parametrize(("text", "message"), [
    ("date: 2025-09-05\nentities: []\n", "no 'file:'"),
    ("- just\n- a list\n", "no 'file:'"),
    ("file: a.txt\nentities: [{label: X}]\n", "lacks the field 'type'"),
    ("file: a.txt\nclaims: {claimant: X}\n", "'claims' must be a list"),
    ("file: a.txt\nentities: [\n", "not valid YAML at line"),
])
def test_evaluate_bad_gold_raises_one_line_naming_the_file(text: str, message: str, tmp_path: Path) -> None:
    gold = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ValidationError) as info:
        evaluate_store(Dataset(), [gold])
    assert str(gold) in str(info.value) and message in str(info.value)
    assert "\n" not in str(info.value)


def test_evaluate_unreadable_gold_raises(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(KGError, match="missing.yaml: cannot read gold file"):
        load_gold(missing)


def test_evaluate_score_edge_cases() -> None:
    assert (Score().precision, Score().recall, Score().f1) == (1.0, 1.0, 1.0)
    assert Score(fn=2).as_dict() == {"tp": 0, "fp": 0, "fn": 2, "p": 0.0, "r": 0.0, "f1": 0.0}
    assert Score(2, 1, 1).as_dict()["f1"] == 0.667


def test_evaluate_normalise_label() -> None:
    assert normalise_label("The Kursk Region") == normalise_label("kursk-region") == "kurskregion"
    assert normalise_label("Zaporizhzhia Óblast") == "zaporizhzhiaoblast"
    assert normalise_label("Theodore") == "theodore"
