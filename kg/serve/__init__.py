"""``kg serve``: the store, read-only, over the SPARQL 1.1 Protocol, with a graph page and a query page.

::

    protocol.py  reading a query request, the service description (SPARQL 1.1 Protocol)
    formats.py   content negotiation (over kg.formats) and result encodings
    pool.py      worker processes: fair queue, timeouts, room kept for light queries
    workers.py   what a worker does: snapshots, queries (kg.prepare.prepare), the graph page
    page.py      the graph page (bounded) and the query page, and their security headers
    http.py      routes, Host/Origin guards, limits; ``serve`` and ``make_server``

Safe by default: binds 127.0.0.1; answers only for its own host names; refuses cross-origin
browser requests unless ``--cors`` names the origin; read-only (snapshots, SPARQL Update
refused); no SERVICE calls (refused on the parsed query, and workers have no network); each
query has a timeout and a row limit (``X-KG-Truncated``).
"""

from kg.serve.http import Endpoint, ServeOptions, make_server, serve

__all__ = ["Endpoint", "ServeOptions", "make_server", "serve"]
