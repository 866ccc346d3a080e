"""SHACL validation of the store against ``ontology/shapes.ttl`` (pyshacl, RDFS inference).

The ontology is given to pyshacl as the ontology graph, so a Leader satisfies a shape
that asks for a Person; the data graph is the union of all graphs.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg import ontology
from kg.errors import ValidationError
from kg.export import to_rdflib
from kg.store import GraphStore


@dataclass
class Report:
    """The outcome: conforms or not, and pyshacl's readable report."""

    conforms: bool
    text: str
    violations: int


def validate(store: GraphStore) -> Report:
    """Validate the whole store; raises ValidationError if the shapes cannot be read."""
    import pyshacl
    import rdflib

    try:
        shapes = rdflib.Graph().parse(ontology.shapes_file(), format="turtle")
        onto = rdflib.Graph()
        for path in ontology.ontology_files():
            onto.parse(path, format="turtle")
    except Exception as err:  # rdflib raises many parser exception types
        raise ValidationError(f"cannot read the SHACL shapes or ontology: {err}") from err
    data = to_rdflib(store)
    conforms, results, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=onto, inference="rdfs",
                                               allow_warnings=True, advanced=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = sum(1 for _ in results.subjects(sh.resultSeverity, sh.Violation))
    summary = f"conforms: {conforms}; {len(data)} triples checked; {violations} violation(s)"
    return Report(bool(conforms), text if not conforms else summary, violations)
