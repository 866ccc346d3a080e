"""See the graph: RDF -> networkx -> one offline HTML page (and GraphML / GEXF).

::

    nxg = to_networkx(graph)                      # rdflib Graph or Dataset
    part = select(nxg, focus="Putin", depth=1)    # optional: focus, types, dates, fold
    stats = write_page(part, Path("graph.html"))  # PageStats(nodes, edges, path, warnings)

Errors are :class:`kg.errors.ExportError` (unknown focus or type, bad date, unwritable file).
"""

from kg.viz.convert import to_networkx
from kg.viz.exports import NotebookView, notebook_view, to_gexf, to_graphml
from kg.viz.fold import fold_nary
from kg.viz.page import PageStats, render_page, write_page
from kg.viz.select import find_node, select

__all__ = [
    "NotebookView",
    "PageStats",
    "find_node",
    "fold_nary",
    "notebook_view",
    "render_page",
    "select",
    "to_gexf",
    "to_graphml",
    "to_networkx",
    "write_page",
]
