"""Every ontology term the mapping emits exists in ontology/; the data files parse."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import ontology
from kg.pipeline import load_project_resources
from tests.conftest import ROOT, needs


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


def test_ontology_is_consistent_for_hermit(tmp_path: Path) -> None:
    """Protégé's default reasoner accepts the ontology (and the topic scheme) and finds it consistent:
    every datatype it uses is in the OWL 2 datatype map and no class is unsatisfiable."""
    needs("java")
    import owlready2
    import rdflib

    graph = rdflib.Graph()
    for path in [*ontology.ontology_files(), ontology.topics_file()]:
        graph.parse(path, format="turtle")
    owl = tmp_path / "newskg.owl"
    graph.serialize(owl, format="xml")  # owlready2 reads RDF/XML, not Turtle
    world = owlready2.World()
    onto = world.get_ontology(owl.as_uri()).load()
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        pytest.fail("HermiT finds the ontology inconsistent")
    except owlready2.OwlReadyJavaError as err:
        pytest.fail(f"HermiT refuses the ontology: {str(err).splitlines()[1:4]}")
    assert list(world.inconsistent_classes()) == []
    assert len(list(onto.classes())) > 20
