"""The pages of ``kg serve``: the graph page (``/``), the query page (``/query``), their headers.

The graph page is drawn in a query worker (:func:`render`, under a timeout) and bounded: a
store whose news graph has more than ``max_nodes`` nodes, or whose page would pass
``max_bytes``, gets a short page that asks for a focus (``/?focus=NAME``) and lists the most
mentioned entities. Every HTML answer carries a Content-Security-Policy that allows only the
page's own inline scripts (by hash) and requests to this server, ``frame-ancestors 'none'``
and ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from kg.errors import KGError
from kg.serve.protocol import PageRequest, Reply
from kg.store import PREFIXES, Store

QUERY_PAGE = "query.html"
NONE = "'none'"
PAGE_QUAD_LIMIT = 200_000  # above this the whole store is not even read for a page: focus first
_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.S | re.I)
_TOP = """SELECT ?label (COUNT(DISTINCT ?a) AS ?n) WHERE {
  ?a nkg:mentions ?e . ?e rdfs:label ?label } GROUP BY ?label ORDER BY DESC(?n) ?label LIMIT 30"""


def security_headers(body: bytes) -> dict[str, str]:
    """CSP (inline scripts by hash, requests only to this origin), nosniff and no framing."""
    hashes = " ".join(_sha256(m.group(1)) for m in _SCRIPT.finditer(body.decode("utf-8", "replace")))
    csp = (f"default-src 'none'; script-src {hashes or NONE}; style-src 'unsafe-inline'; "
           "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    return {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


@cache
def query_page() -> bytes:
    """The query page (package data)."""
    return resources.files("kg.serve").joinpath(QUERY_PAGE).read_bytes()


def saved_queries(folder: Path) -> list[dict[str, str]]:
    """The ``.rq`` files of ``folder``: name, title (the first comment line) and text."""
    out = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8-sig")
        first = text.splitlines()[0] if text else ""
        out.append({"name": path.name, "title": first.lstrip("# ").strip() or path.stem, "query": text})
    return out


def render(store: Store, job: PageRequest) -> Reply:
    """The graph page of ``store`` (in a worker): whole, around ``job.focus``, or a focus prompt."""
    from kg import export, visualize

    if job.focus is None and len(store) > PAGE_QUAD_LIMIT:
        return _prompt(store, f"The store holds {len(store):,} quads: too many to draw at once.")
    nxg = visualize.to_networkx(export.to_rdflib(store))
    try:
        nxg = visualize.select(nxg, focus=job.focus, depth=1, news_only=True)
    except KGError as err:
        return _prompt(store, str(err), status=404)
    if nxg.number_of_nodes() > job.max_nodes:
        return _prompt(store, f"The graph has {nxg.number_of_nodes():,} nodes; this page draws at most "
                              f"{job.max_nodes:,}.")
    page, _ = visualize.render_page(nxg, title=f"kg: {job.focus}" if job.focus else "kg graph")
    body = page.encode("utf-8")
    if len(body) > job.max_bytes:
        return _prompt(store, f"The page would be {len(body) >> 20} MB; this server sends at most "
                              f"{job.max_bytes >> 20} MB.")
    return Reply(200, "text/html; charset=utf-8", body)


def _prompt(store: Store, reason: str, *, status: int = 200) -> Reply:
    """A small page asking for a focus, with the most mentioned entities as links."""
    try:
        rows = [(str(s["label"].value), str(s["n"].value))
                for s in store.query(_TOP, prefixes=PREFIXES)]  # type: ignore[union-attr]
    except KGError:
        rows = []
    items = "".join(f"<li><a href=\"/?focus={quote(label)}\">{html.escape(label)}</a> ({n})</li>" for label, n in rows)
    body = (f"<!doctype html><html lang=en><meta charset=utf-8><title>kg: pick a focus</title>"
            f"<p>{html.escape(reason)} Draw the neighbourhood of one entity instead:</p>"
            "<form method=get action=/><input name=focus placeholder='a name, e.g. Vladimir Putin' size=40 autofocus> "
            "<button>Draw</button></form>"
            f"<ul>{items}</ul><p><a href=/query>Query the store</a></p></html>")
    return Reply(status, "text/html; charset=utf-8", body.encode("utf-8"))
