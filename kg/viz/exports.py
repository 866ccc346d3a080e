"""GraphML and GEXF files for Gephi, yEd and Cytoscape, and an inline Jupyter view.

Both files carry the same graph: nodes ``n0``, ``n1``... (sorted by IRI, so a rebuild gives
the same ids) with ``iri``, ``label``, ``cls`` and ``weight`` (degree); edges ``e0``, ``e1``...
with ``relation`` (the property's local name), ``label`` and ``weight``: how many articles
state the relation (at least 1; reference data counts once). GEXF follows the 1.2 schema.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kg.errors import ExportError
from kg.viz.page import render_page

SCALARS = (str, int, float, bool)
Weights = Mapping[tuple[str, str, str], int]  # (subject IRI, predicate IRI, object IRI) -> articles


def to_graphml(nxg: nx.MultiDiGraph[Hashable], out: Path | IO[bytes], *, weights: Weights | None = None) -> None:
    """Write GraphML (unique node and edge ids; IRIs as the ``iri`` attribute).

    Lists are joined with '; ' (evidence keeps its sentences); missing values are left out.
    Raises ExportError when ``out`` cannot be written.
    """
    flat = flat_copy(nxg, weights=weights)
    _write(lambda fh: nx.write_graphml(flat, fh), out)  # a multigraph's edge id is its key: e0, e1...


def to_gexf(nxg: nx.MultiDiGraph[Hashable], out: Path | IO[bytes], *, weights: Weights | None = None) -> None:
    """Write GEXF 1.2 with the same attributes as :func:`to_graphml`, valid against its XSD."""
    writer = GEXFWriter(version="1.2draft")
    writer.add_graph(flat_copy(nxg, weights=weights))
    graph = writer.xml.find("graph")
    if graph is not None:
        graph.attrib.pop("name", None)  # networkx writes graph@name, which the 1.2 schema does not allow
    _write(writer.write, out)


def flat_copy(nxg: nx.MultiDiGraph[Hashable], *, weights: Weights | None = None) -> nx.MultiDiGraph[Hashable]:
    """A copy with short ids, whose attributes are all strings or numbers, as the formats require."""
    flat: nx.MultiDiGraph[Hashable] = nx.MultiDiGraph()
    flat.graph.update(_flat(nxg.graph))
    ids: dict[Hashable, str] = {}
    for number, node in enumerate(sorted(nxg.nodes, key=str)):
        attrs = _flat(nxg.nodes[node])
        attrs.setdefault("label", str(node))
        attrs.setdefault("cls", "Resource")
        attrs["iri"] = str(node)
        attrs["weight"] = nxg.degree(node)
        ids[node] = f"n{number}"
        flat.add_node(ids[node], **attrs)
    support = _by_local_name(weights or {})
    edges = sorted(nxg.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[2]), str(e[1])))
    for number, (u, v, key, data) in enumerate(edges):
        attrs = {**_flat(data), "relation": str(key)}
        attrs["weight"] = max(1, support.get((str(u), str(key), str(v)), 0))
        flat.add_edge(ids[u], ids[v], key=f"e{number}", **attrs)
    return flat


def _by_local_name(weights: Weights) -> dict[tuple[str, str, str], int]:
    """Weights keyed as the graph keys its edges: by the property's local name."""
    return {(s, re.split(r"[#/]", p.rstrip("/#"))[-1], o): n for (s, p, o), n in weights.items()}


def _flat(attrs: Mapping[str, object]) -> dict[str, object]:
    flat: dict[str, object] = {}
    for name, value in attrs.items():
        if isinstance(value, (list, tuple, set)):
            joined = "; ".join(_item_text(v) for v in value)
            if joined:
                flat[name] = joined
        elif isinstance(value, SCALARS) and value != "":
            flat[name] = value
    return flat


def _item_text(value: object) -> str:
    if isinstance(value, Mapping):  # an evidence record: the sentence and its source
        source = ", ".join(str(value[k]) for k in ("article", "date") if value.get(k))
        return f"{value.get('text', '')} ({source})" if source else str(value.get("text", ""))
    return str(value)


def _write(write: Callable[[IO[bytes]], None], out: Path | IO[bytes]) -> None:
    if not isinstance(out, Path):
        write(out)
        return
    if not out.parent.is_dir():
        raise ExportError(f"cannot write {out}: directory {out.parent} does not exist")
    try:
        with out.open("wb") as fh:
            write(fh)
    except OSError as error:
        raise ExportError(f"cannot write {out}: {error.strerror or error}") from error


@dataclass(frozen=True, slots=True)
class NotebookView:
    """The graph page shown inline by Jupyter (any object with ``_repr_html_`` works)."""

    page: str
    height: int = 640

    def _repr_html_(self) -> str:
        # A sandboxed iframe: the page's scripts run in an opaque origin, away from the notebook.
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            f'style="width:100%;height:{self.height}px;border:1px solid #ddd" '
            'title="kg graph"></iframe>'
        )


def notebook_view(nxg: nx.MultiDiGraph[Hashable], *, title: str = "kg graph", height: int = 640) -> NotebookView:
    """An object Jupyter displays as the interactive graph page, inline."""
    page, _stats = render_page(nxg, title=title)
    return NotebookView(page=page, height=height)
