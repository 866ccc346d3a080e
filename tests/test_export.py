"""Exports read back with independent tools: Raptor's rapper, rdflib, networkx, xmllint with the GEXF 1.2 XSD."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import zipfile
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from lxml import etree

from kg import query as q
from kg.errors import ExportError
from kg.export import export
from kg.store import PREFIXES, Store
from tests.conftest import ROOT, needs

GEXF_XSD = ROOT / "tests" / "data" / "gexf-1.2" / "gexf.xsd"


def _rapper_count(path: Path, syntax: str) -> int:
    proc = subprocess.run([needs("rapper"), "-i", syntax, "-c", str(path)], capture_output=True, text=True, check=True)
    return int(next(w for w in proc.stderr.split("returned", 1)[1].split() if w.isdigit()))


@pytest.mark.parametrize(("fmt", "syntax"), [("turtle", "turtle"), ("trig", "trig"), ("ntriples", "ntriples"),
                                           ("nquads", "nquads"), ("rdfxml", "rdfxml")])
def test_export_parses_with_rapper_to_the_same_count(seed_store: Path, tmp_path: Path, fmt: str, syntax: str) -> None:
    store = Store(seed_store, read_only=True)
    out = tmp_path / f"graph.{fmt}"
    export(store, fmt, str(out))
    quads = set(store.quads())
    distinct = {(q.subject, q.predicate, q.object) for q in quads}
    expected = {"nquads": len(quads), "trig": len(quads) + len(distinct)}.get(fmt, len(distinct))
    assert _rapper_count(out, syntax) == expected  # trig: the union as default graph, then every named graph


def test_export_trig_default_graph_is_the_union(seed_store: Path, tmp_path: Path) -> None:
    store = Store(seed_store, read_only=True)
    export(store, "trig", str(tmp_path / "g.trig"))
    parsed = list(ox.parse(path=str(tmp_path / "g.trig"), format=ox.RdfFormat.TRIG))
    default = {q.triple for q in parsed if isinstance(q.graph_name, ox.DefaultGraph)}
    assert default == {q.triple for q in store.quads()}
    assert {q for q in parsed if not isinstance(q.graph_name, ox.DefaultGraph)} == set(store.quads())


def test_export_jsonld_is_compacted_with_the_project_prefixes(seed_store: Path, tmp_path: Path) -> None:
    store = Store(seed_store, read_only=True)
    out = tmp_path / "g.jsonld"
    export(store, "jsonld", str(out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {k: doc["@context"][k] for k in PREFIXES} == PREFIXES
    keys = {k for g in doc["@graph"] for node in g["@graph"] for k in node}
    assert "rdfs:label" in keys and "nkg:participant" in keys and "@type" in keys
    assert not [k for k in keys if k.startswith(("http:", "https:"))]
    assert any(node.get("@id") == "person:vladimir-putin" for g in doc["@graph"] for node in g["@graph"])
    # two independent readers expand it back to exactly the store's quads
    assert set(ox.parse(path=str(out), format=ox.RdfFormat.JSON_LD)) == set(store.quads())
    dataset = rdflib.Dataset().parse(out, format="json-ld")
    assert sum(1 for _ in dataset.quads()) == len(set(store.quads()))


def test_export_graphml_ids_are_unique_and_not_iris(seed_store: Path, tmp_path: Path) -> None:
    export(Store(seed_store, read_only=True), "graphml", str(tmp_path / "g.graphml"))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    doc = etree.parse(str(tmp_path / "g.graphml"))
    node_ids = doc.xpath("//g:node/@id", namespaces=ns)
    edge_ids = doc.xpath("//g:edge/@id", namespaces=ns)
    assert len(set(node_ids)) == len(node_ids) > 20 and len(set(edge_ids)) == len(edge_ids) > 20
    assert all(re.fullmatch(r"n\d+", i) for i in node_ids) and all(re.fullmatch(r"e\d+", i) for i in edge_ids)
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert all(data["iri"].startswith("https://") for _, data in back.nodes(data=True))
    assert all(data["weight"] >= 1 and data["relation"] for _, _, data in back.edges(data=True))


def test_export_gexf_validates_against_the_1_2_schema(seed_store: Path, tmp_path: Path) -> None:
    xmllint = needs("xmllint")
    for everything in (False, True):
        out = tmp_path / f"g-{everything}.gexf"
        export(Store(seed_store, read_only=True), "gexf", str(out), everything=everything)
        proc = subprocess.run([xmllint, "--noout", "--schema", str(GEXF_XSD), str(out)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-2000:]
    assert 'name=""' not in out.read_text(encoding="utf-8")
    assert all(data["weight"] >= 1 for _, _, data in nx.read_gexf(out).edges(data=True))


def test_export_networks_hold_what_articles_mention_unless_all(seed_store: Path, tmp_path: Path) -> None:
    store = Store(seed_store, read_only=True)
    export(store, "graphml", str(tmp_path / "news.graphml"))
    export(store, "graphml", str(tmp_path / "all.graphml"), everything=True)
    news = {d["iri"]: d for _, d in nx.read_graphml(tmp_path / "news.graphml").nodes(data=True)}
    full = {d["iri"]: d for _, d in nx.read_graphml(tmp_path / "all.graphml").nodes(data=True)}
    assert set(news) < set(full) and len(full) > 5 * len(news)  # the gazetteer has ~1,300 entries
    unmentioned = [d for d in news.values() if not d.get("mentions") and d["cls"] in {"Leader", "Country", "City"}]
    assert len(unmentioned) <= len(news) // 4  # only what a fact links to (a place's country, say)
    assert news[PREFIXES["person"] + "vladimir-putin"]["mentions"] >= 1


def test_export_edge_weight_counts_the_articles_stating_it(tmp_path: Path) -> None:
    store = Store(None)
    meeting, putin = "<https://w3id.org/newskg/id/event/m1>", "<https://w3id.org/newskg/id/person/p>"
    kim = "<https://w3id.org/newskg/id/person/k>"
    nkg, rdfs = "https://w3id.org/newskg/ontology#", "http://www.w3.org/2000/01/rdf-schema#"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines = [f'{putin} <{rdfs}label> "P"', f"{putin} {rdf_type} <{nkg}Leader>", f'{kim} <{rdfs}label> "K"',
             f"{kim} {rdf_type} <{nkg}Leader>", f'{meeting} <{rdfs}label> "Meeting"', f"{meeting} {rdf_type} <{nkg}Meeting>"]
    for article, who in (("a1", [putin, kim]), ("a2", [putin]), ("a3", [putin])):
        graph = f"<https://w3id.org/newskg/id/article/{article}>"
        quads = [f"{line} {graph} ." for line in lines] + [f"{meeting} <{nkg}participant> {p} {graph} ." for p in who]
        store.load("\n".join(quads).encode(), ox.RdfFormat.N_QUADS)
    export(store, "graphml", str(tmp_path / "w.graphml"), everything=True)
    back = nx.read_graphml(tmp_path / "w.graphml")
    label = {n: d["label"] for n, d in back.nodes(data=True)}
    weights = {(label[u], label[v]): d["weight"] for u, v, d in back.edges(data=True) if d["relation"] == "participant"}
    assert weights == {("Meeting", "P"): 3, ("Meeting", "K"): 1}


def test_export_unknown_format_and_bad_folder(seed_store: Path, tmp_path: Path) -> None:
    store = Store(seed_store, read_only=True)
    with pytest.raises(ExportError, match="unknown export format"):
        export(store, "docx", str(tmp_path / "x"))
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(ExportError, match="cannot create folder"):
        export(store, "turtle", str(tmp_path / "a-file" / "x.ttl"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_export_creates_missing_folders(seed_store: Path, tmp_path: Path) -> None:
    export(Store(seed_store, read_only=True), "turtle", str(tmp_path / "out" / "deep" / "graph.ttl"))
    assert (tmp_path / "out" / "deep" / "graph.ttl").stat().st_size > 10_000


@pytest.mark.parametrize("fmt", ["turtle", "gexf"])
def test_export_file_mode_follows_the_umask(seed_store: Path, tmp_path: Path, fmt: str) -> None:
    old = os.umask(0o022)
    try:
        export(Store(seed_store, read_only=True), fmt, str(tmp_path / "g.out"))
        os.umask(0o027)
        export(Store(seed_store, read_only=True), fmt, str(tmp_path / "h.out"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "g.out").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "h.out").stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.out", "h.out"]  # no temporary file left


JENA_JARS = ("jena-arq jena-base jena-cmds jena-core jena-dboe-base jena-dboe-index jena-dboe-storage jena-dboe-trans-data "
             "jena-dboe-transaction jena-iri jena-rdfconnection jena-shacl jena-tdb jena-tdb2 commons-cli commons-codec "
             "commons-compress commons-csv commons-io commons-lang3 dexx.collection gson guava httpclient httpcore "
             "jackson-core jackson-databind jackson-annotations jakarta.json-api jsonld-java titanium-json-ld protobuf "
             "thrift slf4j-api slf4j-nop").split()


def _jena_classpath(tmp_path: Path) -> str:
    """Debian's Jena 4.5 jars, plus the xerces messages jena-core.jar keeps under the wrong path
    (see README, "With Apache Jena")."""
    java = Path("/usr/share/java")
    if not (java / "jena-arq.jar").exists():
        missing = "Apache Jena's jars are not installed (libapache-jena-java; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    fix = tmp_path / "jena-fix"
    with zipfile.ZipFile(java / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                target = fix / "xerces" / name[len("org/apache/jena/ext/xerces/"):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([str(fix), *(str(java / f"{jar}.jar") for jar in JENA_JARS)])


def _rows(csv_text: str) -> list[tuple[tuple[str, ...], ...]]:
    """CSV result rows up to order; a GROUP_CONCAT cell's parts up to order too."""
    rows = list(csv.reader(io.StringIO(csv_text)))[1:]
    return sorted(tuple(tuple(sorted(cell.split(", "))) for cell in row) for row in rows)


@pytest.mark.slow
def test_export_trig_answers_saved_queries_in_jena(seed_store: Path, tmp_path: Path) -> None:
    """Jena's riot reads the TriG file and arq, querying its default graph (the union), gives
    the rows kg query gives."""
    java = needs("java")
    classpath = _jena_classpath(tmp_path)
    store = Store(seed_store, read_only=True)
    trig = tmp_path / "graph.trig"
    export(store, "trig", str(trig))
    count = subprocess.run([java, "-cp", classpath, "riotcmd.riot", "--count", str(trig)], capture_output=True,
                           text=True, check=True)
    quads = len(set(store.quads()))
    assert f"Quads = {quads + len({q.triple for q in store.quads()}):,}" in count.stdout + count.stderr
    for name in ("leaders_met.rq", "cooperation_topics.rq", "claims.rq"):
        text = (ROOT / "queries" / name).read_text(encoding="utf-8")
        arq = subprocess.run([java, "-cp", classpath, "arq.arq", "--data", str(trig), "--results=CSV",
                              "--query", str(ROOT / "queries" / name)], capture_output=True, text=True, check=True)
        ours = q.format_result(q.run(store, text, where=name), "csv")
        assert _rows(arq.stdout) == _rows(ours) and _rows(ours), name
