"""SPARQL Update text for kg's writes, shared by every backend.

One write is ``DROP SILENT GRAPH`` for each graph it replaces, then ``INSERT DATA`` with
the new triples, as one request, which a transactional store applies atomically.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

from kg.store.base import TripleLike


def replace_update(graph: str, triples: Iterable[TripleLike], *,
                   add: Mapping[str, Iterable[TripleLike]] | None = None,
                   drop: Iterable[str] = ()) -> tuple[str, int]:
    """The update text of ``replace_graph`` and the count of ``triples``."""
    lines = [line(t) for t in triples]
    blocks = [f"GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n}"]
    for other, extra in (add or {}).items():
        more = [line(t) for t in extra]
        if more:
            blocks.append(f"GRAPH <{other}> {{\n" + "\n".join(more) + "\n}")
    return drop_update([*drop, graph]) + " ;\nINSERT DATA { " + "\n".join(blocks) + " }", len(lines)


def drop_update(graphs: Iterable[str]) -> str:
    """``DROP SILENT GRAPH`` for each graph, once each, in order."""
    return " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in dict.fromkeys(graphs))


def line(t: TripleLike) -> str:
    """A triple as an N-Triples line (lines rendered elsewhere pass through)."""
    return t if isinstance(t, str) else f"{t[0]} {t[1]} {t[2]} ."


QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_LEX = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|<[^<>\s]*>|\#[^\n]*|[A-Za-z_][\w.-]*:|:|([A-Za-z]+)""")


def query_form(sparql: str) -> str:
    """The first keyword after the prologue (``SELECT`` ... or an update's ``INSERT``), upper-cased."""
    for m in _LEX.finditer(sparql):
        word = (m.group(1) or "").upper()
        if word and word not in ("PREFIX", "BASE"):
            return word
    return ""


SKOLEM_BASE = "https://w3id.org/newskg/.well-known/genid/store-"  # kg.ontology mints genid/newskg-*
"""Blank nodes written to a store that refuses them in ``INSERT DATA`` become IRIs under this
base (RDF 1.1's skolem IRIs), and are read back as blank nodes."""
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|<[^>]*>|_:([A-Za-z0-9_.\-]+)')
_SKOLEM_IRI = re.compile(r"<(?:nodeID://|" + re.escape(SKOLEM_BASE) + r")([^>]*)>")


def skolemize(text: str, *, scope: str) -> str:
    """``_:x`` in an N-Triples line as a genid IRI unique to ``scope`` (the update writing it)."""
    if "_:" not in text:
        return text
    tag = hashlib.sha256(scope.encode("utf-8")).hexdigest()[:12]

    def iri(m: re.Match[str]) -> str:
        return f"<{SKOLEM_BASE}{tag}-{m.group(1)}>" if m.group(1) else m.group(0)

    return _TOKENS.sub(iri, text)


def blank_label(iri: str) -> str | None:
    """The blank node label for a genid IRI or Virtuoso's ``nodeID://`` name (None for other IRIs)."""
    for base in ("nodeID://", SKOLEM_BASE):
        if iri.startswith(base):
            return re.sub(r"[^A-Za-z0-9_-]", "_", iri[len(base):]) or "b"
    return None


def deskolemize_text(text: str) -> str:
    """Genid IRIs and ``nodeID://`` names in N-Triples or Turtle text back to blank nodes."""
    return _SKOLEM_IRI.sub(lambda m: "_:" + (blank_label(m.group(0)[1:-1]) or "b"), text)


def insert_parts(blocks: Mapping[str, list[str]], most: int) -> list[str]:
    """``INSERT DATA`` operations for ``{graph: lines}``, each of at most ``most`` lines (0: one)."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for graph, lines in blocks.items():
        for start in range(0, len(lines), most or len(lines) or 1):
            chunk = lines[start:start + most] if most else lines
            if most and size + len(chunk) > most and current:
                parts.append("INSERT DATA { " + "\n".join(current) + " }")
                current, size = [], 0
            current.append(f"GRAPH <{graph}> {{\n" + "\n".join(chunk) + "\n}")
            size += len(chunk)
    if current:
        parts.append("INSERT DATA { " + "\n".join(current) + " }")
    return parts



_SEPARATOR = re.compile(r"""(?i)\bGROUP_CONCAT\s*\(""")
_PLACEHOLDER = "~kgsep~"  # no "-": Virtuoso's REPLACE then reads the replacement as bytes


def ascii_separators(sparql: str) -> str:
    """``GROUP_CONCAT(x; separator="–")`` as ``REPLACE(GROUP_CONCAT(x; separator="~kg-separator~"),
    "~kg-separator~", "–")``, for a server that mangles non-ASCII separators but not strings."""
    if sparql.isascii():
        return sparql
    out, pos = [], 0
    for m in _SEPARATOR.finditer(sparql):
        if m.start() < pos:
            continue
        end = _closing(sparql, m.end())
        call = sparql[m.start():end]
        sep = re.search(r"""(?i)separator\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""", call)
        if end < 0 or not sep or sep.group(1).isascii():
            continue
        inner = call[:sep.start(1)] + f'"{_PLACEHOLDER}"' + call[sep.end(1):]
        out += [sparql[pos:m.start()], f'REPLACE({inner}, "{_PLACEHOLDER}", {sep.group(1)})']
        pos = end
    return "".join(out) + sparql[pos:]


_STRINGS = {q: re.compile(rf"{q}(?:[^{q}\\]|\\.)*{q}") for q in "\"'"}  # a quoted literal, escapes kept


def _after_string(text: str, i: int) -> int:
    """The index after the string literal opening at ``i`` (just past the quote if it never closes)."""
    m = _STRINGS[text[i]].match(text, i)
    return m.end() if m else i + 1


def _closing(text: str, start: int) -> int:
    """The index after the parenthesis closing the one opened just before ``start`` (-1 if none)."""
    depth, i = 1, start
    while i < len(text):
        c = text[i]
        if c in _STRINGS:
            i = _after_string(text, i)
            continue
        depth += {"(": 1, ")": -1}.get(c, 0)
        i += 1
        if depth == 0:
            return i
    return -1


_NEEDLE = re.compile(r"(?i)\b(CONTAINS|STRSTARTS|STRENDS)\s*\(")


def empty_needles(sparql: str) -> str:
    """``CONTAINS(x, "")`` (and STRSTARTS, STRENDS) as ``REGEX(x, "")``, for a server that
    answers false where SPARQL says true (Virtuoso)."""
    out, pos = [], 0
    for m in _NEEDLE.finditer(sparql):
        if m.start() < pos:
            continue
        end = _closing(sparql, m.end())
        if end < 0:
            continue
        args = _split_args(sparql[m.end():end - 1])
        if len(args) == 2 and args[1].strip() in ('""', "''"):
            out += [sparql[pos:m.start()], f'REGEX({args[0].strip()}, "")']
            pos = end
    return "".join(out) + sparql[pos:]


def _split_args(text: str) -> list[str]:
    """A call's arguments, split at its top-level commas (strings and nested calls kept whole)."""
    args, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if c in _STRINGS:
            i = _after_string(text, i)
            continue
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "," and depth == 0:
            args.append(text[start:i])
            start = i + 1
        i += 1
    return [*args, text[start:]]


def distinct_select(sparql: str) -> bool:
    """Whether the query is ``SELECT DISTINCT`` (or ``REDUCED``) at its top level."""
    words = [m.group(1).upper() for m in _LEX.finditer(sparql) if m.group(1)]
    words = [w for w in words if w not in ("PREFIX", "BASE")]
    return len(words) > 1 and words[0] == "SELECT" and words[1] in ("DISTINCT", "REDUCED")
