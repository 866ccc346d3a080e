"""The formats registry (kg/formats.py) that serve, query and export read."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg import formats


def test_serve_formats_names_are_unique_and_each_has_a_media_type_and_extension() -> None:
    names = [f.name for f in formats.FORMATS]
    assert len(names) == len(set(names))
    for fmt in formats.FORMATS:
        assert fmt.media_types and fmt.extensions and fmt.extension.startswith(".")
        assert fmt.rdf is not None or fmt.results is not None or formats.NETWORK in fmt.kinds


@pytest.mark.parametrize(("name", "kind", "expected"), [
    ("xml", formats.RESULTS, "xml"), ("xml", formats.GRAPH, "rdfxml"), ("rdf+xml", formats.GRAPH, "rdfxml"),
    ("json-ld", formats.GRAPH, "jsonld"), ("n3", formats.GRAPH, "turtle"), ("turtle", formats.GRAPH, "turtle"),
    ("json", formats.RESULTS, "json"), ("json", formats.GRAPH, "jsonld"), ("text/csv", formats.RESULTS, "csv"),
    ("TSV", formats.RESULTS, "tsv"), ("application/n-quads", formats.DATASET, "nquads"),
])
def test_serve_formats_find_by_name_alias_or_media_type_per_kind(name: str, kind: str, expected: str) -> None:
    found = formats.find(name, kind)
    assert found is not None and found.name == expected


def test_serve_formats_unknown_names_and_extensions() -> None:
    assert formats.find("png", formats.GRAPH) is None
    assert formats.find("csv", formats.GRAPH) is None
    assert formats.for_extension("a/b.trig", formats.DATASET) is formats.get("trig")
    assert formats.for_extension("a/b.xml", formats.GRAPH) is formats.get("rdfxml")
    assert formats.for_media_type("text/turtle; charset=utf-8", formats.GRAPH) is formats.get("turtle")


def test_serve_formats_every_rdf_format_round_trips_through_pyoxigraph() -> None:
    triple = ox.Triple(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o"))
    for fmt in formats.of_kind(formats.GRAPH):
        assert fmt.rdf is not None
        data = ox.serialize([triple], format=fmt.rdf)
        back = {ox.Triple(t.subject, t.predicate, t.object) for t in ox.parse(data, fmt.rdf)}
        assert back == {triple}, fmt.name
