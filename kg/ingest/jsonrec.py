"""JSON articles: one object, an array of objects, or JSON Lines (one object per line).

Each record is an article. Its fields are looked up under common names (``title`` or
``headline``, ``text``/``body``/``content``/``articleBody``, ...). A bad record is
returned as an :class:`IngestError` in place of its article, so the good ones still load.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from kg.errors import IngestError
from kg.ingest.html import html_to_text
from kg.ingest.text import field_text, normalise_date
from kg.model import Article

TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("date", "published", "datePublished", "published_at", "publishedAt", "pubDate")
BODY_KEYS = ("text", "body", "content", "articleBody")
SOURCE_KEYS = ("source", "outlet", "publisher")
URL_KEYS = ("url", "link")

_HTML_BLOCK = r"<(?:p|div|br|h[1-6]|[uo]l|li|blockquote|article)\b[^>]{0,500}>"
_LOOKS_LIKE_HTML = re.compile(_HTML_BLOCK, re.IGNORECASE)

Result = Article | IngestError


def parse_json(text: str, path: str, *, lines: bool) -> list[Result]:
    """Read the records of a JSON or JSON Lines document.

    With ``lines`` every non-blank line is one record, reported as ``path#LINE``. Without
    it, ``text`` is one JSON document (a lone object reported as ``path``, an array's
    items as ``path#N``), or JSON Lines after all when it holds several documents.
    Raises :class:`IngestError` when the document as a whole is malformed, is neither an
    object nor an array, or is an empty array. Raw control characters inside strings are
    accepted (``strict=False``): clean_article removes them, and the record is not lost.
    """
    if lines:
        return _parse_lines(text, path)
    try:
        document = json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several documents: JSON Lines in a .json file
            return _parse_lines(text, path)
        raise IngestError(path, _malformed(exc)) from None
    except (ValueError, RecursionError) as exc:
        raise IngestError(path, _malformed(exc)) from None
    if isinstance(document, dict):
        return [record_to_article(document, path)]
    if not isinstance(document, list):
        raise IngestError(path, "expected a JSON object or an array of objects")
    if not document:
        raise IngestError(path, "no records (the JSON array is empty)")
    return [record_to_article(item, f"{path}#{n}") for n, item in enumerate(document, 1)]


def _parse_lines(text: str, path: str) -> list[Result]:
    """Read JSON Lines: one record per non-blank line, numbered by line."""
    results: list[Result] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path}#{number}"
        try:
            record = json.loads(line, strict=False)
        except (ValueError, RecursionError) as exc:
            results.append(IngestError(where, _malformed(exc, line=number)))
            continue
        results.append(record_to_article(record, where))
    return results


def _malformed(exc: Exception, *, line: int | None = None) -> str:
    """The reason for a JSON parse failure, with its position when the parser gave one."""
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON at line {line or exc.lineno} column {exc.colno}: {exc.msg}"
    if isinstance(exc, RecursionError):
        return "malformed JSON: nested too deeply"
    return f"malformed JSON: {exc}"


def record_to_article(record: object, where: str) -> Result:
    """Turn one decoded JSON record into an Article, or the IngestError that says why not."""
    if not isinstance(record, dict):
        return IngestError(where, "record is not a JSON object")
    body = _body(record)
    if not body:
        return IngestError(where, "no article body (expected text, body or content)")
    return Article(
        body=body,
        path=where,
        title=field_text(_first(record, TITLE_KEYS)),
        date=normalise_date(_first(record, DATE_KEYS)),
        source=field_text(_first(record, SOURCE_KEYS)),
        url=field_text(_first(record, URL_KEYS)),
    )


def _first(record: Mapping[str, object], keys: tuple[str, ...]) -> object:
    """The value of the first of ``keys`` that the record has with a non-empty value."""
    for key in keys:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _body(record: Mapping[str, object]) -> str:
    """The record's body text ("" when it has none).

    A list of strings is a list of paragraphs; an HTML body is turned into text.
    """
    value = _first(record, BODY_KEYS)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = "\n\n".join(item.strip() for item in value if item.strip())
    if not isinstance(value, str):
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _LOOKS_LIKE_HTML.search(value):
        return html_to_text(value)
    return value.strip()
