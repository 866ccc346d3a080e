"""GraphML and GEXF files for Gephi, yEd and Cytoscape, and an inline Jupyter view."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.errors import ExportError
from kg.viz.page import render_page

SCALARS = (str, int, float, bool)


def to_graphml(nxg: nx.MultiDiGraph, out: Path) -> None:
    """Write GraphML with ``label``, ``cls`` and ``weight`` (degree) on every node.

    Lists are joined with '; ' (evidence keeps its sentences); missing values are left out.
    Raises ExportError when ``out`` cannot be written.
    """
    _write(nx.write_graphml, flat_copy(nxg), Path(out))


def to_gexf(nxg: nx.MultiDiGraph, out: Path) -> None:
    """Write GEXF 1.2 with the same attributes as :func:`to_graphml`."""
    _write(nx.write_gexf, flat_copy(nxg), Path(out))


def flat_copy(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all strings or numbers, as the file formats require."""
    flat = nx.MultiDiGraph(**_flat(nxg.graph))
    for node, data in nxg.nodes(data=True):
        attrs = _flat(data)
        attrs.setdefault("label", str(node))
        attrs.setdefault("cls", "Resource")
        attrs["weight"] = nxg.degree(node)
        flat.add_node(str(node), **attrs)
    for u, v, key, data in nxg.edges(keys=True, data=True):
        flat.add_edge(str(u), str(v), key=str(key), **_flat(data))
    return flat


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


def _write(writer: Callable[..., None], graph: nx.MultiDiGraph, out: Path) -> None:
    if not out.parent.is_dir():
        raise ExportError(f"cannot write {out}: directory {out.parent} does not exist")
    try:
        writer(graph, str(out))
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


def notebook_view(nxg: nx.MultiDiGraph, *, title: str = "kg graph", height: int = 640) -> NotebookView:
    """An object Jupyter displays as the interactive graph page, inline."""
    page, _stats = render_page(nxg, title=title)
    return NotebookView(page=page, height=height)
