"""Every ontology term the mapping emits exists in ontology/; the data files parse."""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg import ontology
from kg.pipeline import load_project_resources
from tests.conftest import ROOT


def _declared() -> set[str]:
    terms = set()
    for path in ontology.ontology_files():
        for t in ontology.read_turtle(path):
            if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(ontology.NKG):
                terms.add(t.subject.value[len(ontology.NKG):])
    return terms


def test_ontology_declares_every_term_the_mapping_uses() -> None:
    used = set()
    for name in ("mapping.py", "pipeline.py"):
        used |= set(re.findall(r'nkg\("(\w+)"\)', (ROOT / "kg" / name).read_text(encoding="utf-8")))
    used.add("buildKey")
    missing = used - _declared()
    assert not missing, f"not in ontology/: {sorted(missing)}"


def test_ontology_declares_every_class_the_gazetteer_and_lexicon_use() -> None:
    res = load_project_resources()
    classes = {e.cls for e in res.gazetteer.entities.values()} | set(res.lexicon.roles.values())
    classes |= set(res.lexicon.events.values()) | set(res.lexicon.place_heads.values())
    assert classes <= _declared()


def test_ontology_topics_cover_the_contract() -> None:
    slugs = {t.slug for t in ontology.load_topics()}
    contract = {"military-personnel", "weapons", "drones", "electronic-warfare", "space-technology",
                "military-training", "medical-care", "demining", "construction", "tourism", "trade", "energy",
                "transport", "education", "science", "security", "diplomacy"}
    assert contract <= slugs
