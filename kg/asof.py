"""The graph as of a day: only what articles published up to that day said (``--as-of``).

A view is an in-memory copy of the store without the articles published later (or with no
publication date: nobody can say when they were known), removed the way ``kg remove``
removes them, so events are clustered and reconciled again from the earlier reports alone
and entities only later articles named are gone. The store itself is not touched.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pyoxigraph as ox

from kg.errors import KGError
from kg.ontology import SCHEMA
from kg.remove import ARTICLE_BASE, remove_graphs
from kg.store import GraphStore, Store

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def later_articles(store: GraphStore, day: str) -> list[str]:
    """Article graphs not known by ``day``: published after it, or undated."""
    res = store.query(f"SELECT ?g ?d WHERE {{ GRAPH ?g {{ ?g a ?c . OPTIONAL {{ ?g <{SCHEMA}datePublished> ?d }} }} "
                      f"FILTER(STRSTARTS(STR(?g), \"{ARTICLE_BASE}\")) }}")
    out = set()
    for sol in res if isinstance(res, ox.QuerySolutions) else []:
        published = str(sol["d"].value) if sol["d"] is not None else ""
        if not published or published > day[:len(published)]:
            out.add(str(sol["g"].value))
    return sorted(out)


def as_of(store: GraphStore, day: str) -> Store:
    """An in-memory store of what was known on ``day`` (YYYY-MM-DD); KGError for another form.
    An article dated only by month or year counts as known from that month's or year's start."""
    try:
        date.fromisoformat(day) if _DAY.match(day) else date.fromisoformat("")
    except ValueError:
        raise KGError(f"--as-of {day!r}: give a day as YYYY-MM-DD") from None
    buf = io.BytesIO()
    store.dump(buf, ox.RdfFormat.N_QUADS)
    view = Store(None)
    view.load(buf.getvalue(), ox.RdfFormat.N_QUADS)
    remove_graphs(view, later_articles(view, day))
    return view
