"""SHACL validation of the store against ``ontology/shapes.ttl`` (pyshacl, RDFS inference).

The ontology is given to pyshacl as the ontology graph, so a Leader satisfies a shape
that asks for a Person; the data graph is the union of all graphs.

Conformance follows the SHACL specification: a data graph conforms only when validation
yields no result at all, whatever the result's severity (``sh:Violation``, ``sh:Warning``
or ``sh:Info``), which is also what Jena's and pyshacl's own reports say. Every result is
listed with its severity, focus node, path and message; ``allow_warnings`` is the caller's
choice to accept a graph whose only results are warnings and infos.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg import ontology
from kg.errors import ValidationError
from kg.export import to_rdflib
from kg.store import PREFIXES, GraphStore

SH = "http://www.w3.org/ns/shacl#"
SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True, slots=True)
class Finding:
    """One validation result."""

    severity: str  # Violation, Warning or Info
    focus: str
    path: str
    message: str

    def line(self) -> str:
        """``Warning: event:x nkg:participant: the message``."""
        where = " ".join(filter(None, (self.focus, self.path)))
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class Report:
    """The outcome: SHACL conformance, counts per severity, and one line per result."""

    conforms: bool
    text: str
    violations: int
    warnings: int = 0
    infos: int = 0
    findings: list[Finding] = field(default_factory=list)

    def passes(self, *, allow_warnings: bool = False) -> bool:
        """Conforms, or (``allow_warnings``) has no Violation."""
        return self.conforms or (allow_warnings and self.violations == 0)


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
    _conforms, results, _text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=onto, inference="rdfs",
                                                 allow_warnings=False, advanced=True)
    findings = _findings(results)
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    summary = (f"conforms: {not findings}; {len(data)} triples checked; {counts['Violation']} violation(s), "
               f"{counts['Warning']} warning(s), {counts['Info']} info(s)")
    text = "\n".join([summary, *(f.line() for f in findings)])
    return Report(not findings, text, counts["Violation"], counts["Warning"], counts["Info"], findings)


def _findings(results: object) -> list[Finding]:
    """The results of a SHACL validation report graph, Violations first."""
    import rdflib

    assert isinstance(results, rdflib.Graph)
    sh = rdflib.Namespace(SH)
    found = []
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        severity = str(results.value(result, sh.resultSeverity) or SH + "Violation")[len(SH):]
        found.append(Finding(severity, _short(results.value(result, sh.focusNode)),
                             _short(results.value(result, sh.resultPath)),
                             str(results.value(result, sh.resultMessage) or "")))
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(set(found), key=lambda f: (rank.get(f.severity, 9), f.focus, f.path, f.message))


def _short(term: object) -> str:
    """A term as ``prefix:local`` where a project prefix covers it."""
    if term is None:
        return ""
    text = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text
