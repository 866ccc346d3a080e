"""RDF -> NetworkX -> an interactive, offline HTML page (the ``kg viz`` command).

The code lives in :mod:`kg.viz`; this module is the stable import path.
"""

from kg.viz import (
    NotebookView,
    PageStats,
    find_node,
    fold_nary,
    notebook_view,
    render_page,
    select,
    to_gexf,
    to_graphml,
    to_networkx,
    write_page,
)

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
