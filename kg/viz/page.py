"""One self-contained, offline HTML page for a networkx graph from ``to_networkx``.

vis-network's script and stylesheet (bundled with pyvis) are inlined; the graph travels as
JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and
``page.js`` builds every piece of DOM from it with ``textContent``. A Content-Security-Policy
allows only the page's own two scripts (by hash) and no request to any host, so even a label
that slipped through as markup could neither run nor fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path

import networkx as nx

from kg.errors import ExportError
from kg.viz.layout import layout_positions
from kg.viz.style import LEGEND_ORDER, ancestors, hierarchy, look

PHYSICS_MAX_NODES = 300  # above this, positions come from Python and physics is off
LARGE_NODES = 1000  # above this, straight edges and no edges while dragging
WARN_NODES = 2000
LABEL_MAX = 40
VIS = ("pyvis", "lib/vis-9.1.2/vis-network.min.js", "lib/vis-9.1.2/vis-network.css")
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
QID = re.compile(r"^Q[0-9]+$")


@dataclass(slots=True)
class PageStats:
    """What ``write_page`` wrote: counts, destination, size and advice for the user."""

    nodes: int
    edges: int
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    physics: bool = False
    bytes: int = 0


def write_page(
    nxg: nx.MultiDiGraph[Hashable], out: Path, *, title: str = "kg graph", physics: bool | None = None
) -> PageStats:
    """Write the page to ``out``; ``physics=None`` turns physics on up to 300 nodes.

    Raises ExportError when the destination cannot be written or vis-network is missing.
    """
    page, stats = render_page(nxg, title=title, physics=physics)
    out = Path(out)
    if not out.parent.is_dir():
        raise ExportError(f"cannot write {out}: directory {out.parent} does not exist")
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as error:
        raise ExportError(f"cannot write {out}: {error.strerror or error}") from error
    return replace(stats, path=out)


def render_page(
    nxg: nx.MultiDiGraph[Hashable], *, title: str = "kg graph", physics: bool | None = None
) -> tuple[str, PageStats]:
    """The page as a string, and its stats (``path`` None)."""
    count = nxg.number_of_nodes()
    use_physics = count <= PHYSICS_MAX_NODES if physics is None else physics
    payload = page_data(nxg, title=title, physics=use_physics)
    page = _fill(title=title, payload=payload)
    stats = PageStats(
        nodes=count,
        edges=nxg.number_of_edges(),
        warnings=_warnings(count, use_physics),
        physics=use_physics,
        bytes=len(page.encode("utf-8")),
    )
    return page, stats


def _warnings(count: int, physics: bool) -> list[str]:
    found = []
    if count > WARN_NODES:
        found.append(
            f"{count} nodes: the page will be slow to use; narrow it with --focus NAME (and --depth N)"
        )
    if physics and count > PHYSICS_MAX_NODES:
        found.append(f"physics on with {count} nodes: the page may take minutes to settle")
    return found


def page_data(nxg: nx.MultiDiGraph[Hashable], *, title: str, physics: bool) -> dict[str, object]:
    """The JSON the page's script reads: classes, nodes (with details) and edges."""
    ids = {node: i for i, node in enumerate(nxg.nodes)}
    sizes = _sizes(nxg)
    positions = {} if physics else layout_positions(nx.Graph(nxg))
    nodes = [
        _node_item(ids[node], data, sizes[node], positions.get(node)) for node, data in nxg.nodes(data=True)
    ]
    edges = [_edge_item(ids[u], ids[v], key, data) for u, v, key, data in nxg.edges(keys=True, data=True)]
    if len(ids) <= LARGE_NODES:
        _bend_parallel_edges(edges, [(ids[u], ids[v]) for u, v in nxg.edges()])
    return {
        "title": title,
        "physics": physics,
        "large": len(ids) > LARGE_NODES,
        "classes": _classes(nxg),
        "focus": ids.get(nxg.graph.get("focus")),
        "nodes": nodes,
        "edges": edges,
    }


def _sizes(nxg: nx.MultiDiGraph[Hashable]) -> dict[Hashable, float]:
    """Node sizes from 10 to 40 pixels by degree centrality (square root, so hubs stay sane)."""
    centrality = nx.degree_centrality(nxg) if len(nxg) > 1 else {n: 0.0 for n in nxg}
    top = max(centrality.values(), default=0.0) or 1.0
    return {n: round(10 + 30 * math.sqrt(c / top), 1) for n, c in centrality.items()}


def _classes(nxg: nx.MultiDiGraph[Hashable]) -> list[dict[str, object]]:
    """One legend entry per class present, in the legend's order."""
    parents = hierarchy(nxg.graph)
    counts = Counter(str(cls) for _, cls in nxg.nodes(data="cls"))
    order = {name: i for i, name in enumerate(LEGEND_ORDER)}
    names = sorted(counts, key=lambda name: (order.get(name, len(order)), name))
    return [
        {
            "name": name,
            "count": counts[name],
            "color": look(name, parents).color,
            "shape": look(name, parents).shape,
            "path": ancestors(name, parents),
        }
        for name in names
    ]


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _texts(value: object) -> list[str]:
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value]
    return [] if value is None or value == "" else [str(value)]


def _evidence(value: object) -> list[dict[str, str]]:
    items = value if isinstance(value, list) else []
    return [
        {key: str(item.get(key) or "") for key in ("text", "article", "date")}
        for item in items
        if isinstance(item, Mapping) and item.get("text")
    ]


def _reports(value: object) -> list[dict[str, str]]:
    """An event's reports for the side panel and the timeline (outlet, date, sentence)."""
    items = value if isinstance(value, list) else []
    return [{key: str(item.get(key) or "") for key in ("article", "outlet", "date", "text")}
            for item in items if isinstance(item, Mapping)]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def _node_item(
    index: int, data: Mapping[str, object], size: float, xy: tuple[float, float] | None
) -> dict[str, object]:
    name = _text(data.get("label")) or _text(data.get("iri")) or f"node {index}"
    wikidata = _text(data.get("wikidata"))
    info = {
        "name": name,
        "aliases": _texts(data.get("aliases")),
        "wikidata": wikidata if wikidata and QID.match(wikidata) else None,
        "role": _text(data.get("role")),
        "date": _text(data.get("date")),
        "reported": _text(data.get("reported")),
        "iri": _text(data.get("iri")),
        "quote": _text(data.get("quote")),
        "evidence": _evidence(data.get("evidence")),
        "reports": _reports(data.get("reports")),
    }
    item: dict[str, object] = {
        "id": index,
        "label": _short(name),
        "group": str(data.get("cls") or "Resource"),
        "size": size,
        "info": {k: v for k, v in info.items() if v},
    }
    if xy is not None:
        item["x"], item["y"] = xy
    return item


def _edge_item(source: int, target: int, key: object, data: Mapping[str, object]) -> dict[str, object]:
    info = {
        "via": _texts(data.get("via")),
        "count": data.get("count") if isinstance(data.get("count"), int) else None,
        "date": _text(data.get("date")),
        "evidence": _evidence(data.get("evidence")),
    }
    return {
        "from": source,
        "to": target,
        "label": _text(data.get("label")) or str(key),
        "arrows": data.get("directed", True) is not False,
        "info": {k: v for k, v in info.items() if v},
    }


def _bend_parallel_edges(edges: list[dict[str, object]], ends: list[tuple[int, int]]) -> None:
    """Curve edges that share their two ends by different amounts, so none hides another."""
    seen: Counter[tuple[int, int]] = Counter()
    for edge, (source, target) in zip(edges, ends, strict=True):
        pair = (min(source, target), max(source, target))
        rank = seen[pair]
        seen[pair] += 1
        if rank:
            # the first edge keeps the default curve; the others fan out on alternating sides
            side = "curvedCW" if (rank % 2) == (source == pair[0]) else "curvedCCW"
            edge["smooth"] = {"type": side, "roundness": round(0.2 * ((rank + 1) // 2), 2)}


def script_json(payload: object) -> str:
    """JSON that cannot end its ``<script>`` block or open a comment: <, >, & escaped."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _assets() -> dict[str, str]:
    """vis-network's files from pyvis and the page's own template, script and style."""
    package, js_path, css_path = VIS
    try:
        vis_js = resources.files(package).joinpath(js_path).read_text(encoding="utf-8")
        vis_css = resources.files(package).joinpath(css_path).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError) as error:
        raise ExportError(f"vis-network not found in the pyvis package ({error}); reinstall pyvis==0.3.2") from error
    own = resources.files("kg.viz")
    return {
        "template": own.joinpath("page.html").read_text(encoding="utf-8"),
        "VIS_JS": _inline_script(re.sub(r"//# sourceMappingURL=\S*\s*$", "", vis_js)),
        "VIS_CSS": vis_css.replace("</", "<\\/"),
        "PAGE_JS": _inline_script(own.joinpath("page.js").read_text(encoding="utf-8")),
        "PAGE_CSS": own.joinpath("page.css").read_text(encoding="utf-8"),
    }


def _inline_script(code: str) -> str:
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def _sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


def _fill(*, title: str, payload: object) -> str:
    """Fill the template in one pass, so text inserted is never read as a placeholder."""
    assets = _assets()
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(assets['VIS_JS'])} {_sha256(assets['PAGE_JS'])}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    values = {**assets, "TITLE": html.escape(title), "DATA": script_json(payload), "CSP": csp}
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], assets["template"])
