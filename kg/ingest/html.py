"""HTML pages: trafilatura finds the main text and the metadata; fragments are split here.

A page goes to trafilatura (with htmldate for the date): its main-text extraction drops
navigation, comments, related links and other boilerplate, and its metadata reader gives the
title (Open Graph first, then ``<title>``/``<h1>``), the publication date (meta tags,
``<time>``, the URL; never a guess from the text), the site name and the URL. Two things are
done here because they add something: ``<nav>``, ``<aside>`` and ``<footer>`` are removed
before the text is extracted (trafilatura's fallback extractors otherwise take a page's
menu for its text when there is nothing else), and the ``<h1>`` headline is left out of the
body, since it is the title. Paragraphs, headings and list items are separated by one blank
line. A page with no text but its title is no article (IngestError).

JSON records may carry an HTML body (a fragment, no boilerplate): :func:`html_to_text` splits
it at block elements.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, ParserRejectedMarkup, Tag, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PageElement, PreformattedString

from kg.errors import IngestError
from kg.ingest.text import field_text, normalise_date
from kg.model import Article

BOILERPLATE = ("nav", "aside", "footer", "script", "style", "noscript", "template", "form", "dialog")
NOISE = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "figcaption", "iframe", "object", "embed", "svg", "canvas", "button", "select", "dialog",
)  # fmt: skip
BLOCKS = frozenset(
    "address article blockquote dd div dl dt figure h1 h2 h3 h4 h5 h6 hr li main ol p pre"
    " section table td th tr ul br".split()
)
# trafilatura's output elements that hold one paragraph each, and those holding several
TEXT_BLOCKS = frozenset({"p", "head", "quote", "code", "item", "row"})


def parse_html(text: str, path: str) -> Article:
    """Read one article from an HTML page (trafilatura's main text and metadata).

    Raises :class:`IngestError` when the page cannot be parsed or has no body text.
    """
    import trafilatura

    tree = _tree(text, path)
    meta = trafilatura.extract_metadata(tree, date_config=_DATE_CONFIG)
    _drop(tree, BOILERPLATE)
    doc = trafilatura.bare_extraction(tree, with_metadata=False, include_comments=False, include_tables=True,
                                      include_images=False, deduplicate=False, config=_config())
    title = field_text(meta.title) if meta is not None else None
    main = getattr(doc, "body", None)  # the main text as trafilatura's XML (None when it found none)
    body = "\n\n".join(_paragraphs(main)) if main is not None else ""
    if not body or body == title:
        raise IngestError(path, "no article body")
    return Article(body=body, path=path, title=title,
                   date=normalise_date(meta.date) if meta is not None and meta.date else None,
                   source=field_text(meta.sitename) if meta is not None else None,
                   url=field_text(meta.url) if meta is not None else None)


_DATE_CONFIG = {"extensive_search": False, "original_date": True}  # publication, not update; no guessing


@lru_cache(maxsize=1)
def _config() -> Any:
    """trafilatura's settings for news pages: short texts count, no alarm-signal timeout
    (extraction runs in worker processes and threads)."""
    from trafilatura.settings import use_config

    config = use_config()
    for key, value in (("MIN_EXTRACTED_SIZE", "1"), ("MIN_OUTPUT_SIZE", "1"), ("EXTRACTION_TIMEOUT", "0")):
        config.set("DEFAULT", key, value)
    return config


def _tree(text: str, path: str) -> Any:
    """The page as an lxml tree; IngestError when lxml cannot read it."""
    import lxml.etree
    import lxml.html

    try:
        # bytes, so an XML encoding declaration is no error; the text is UTF-8 whatever a
        # <meta charset> says (kg.ingest decoded it), and lxml's default for bytes is Latin-1
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise IngestError(path, f"cannot parse HTML: {exc}") from exc
    return tree


def _drop(tree: Any, names: tuple[str, ...]) -> None:
    """Remove these elements (and what they hold), keeping the text that follows them."""
    for element in list(tree.iter(*names)):
        element.drop_tree()


def _paragraphs(body: Any) -> Iterator[str]:
    """The text of trafilatura's output, one paragraph per heading, paragraph, item, row;
    ``<h1>`` headlines left out."""
    for element in body.iter():
        if element.tag not in TEXT_BLOCKS or _inside_block(element):
            continue
        if element.tag == "head" and element.get("rend") == "h1":
            continue
        cells = element.iterchildren("cell") if element.tag == "row" else None
        text = " | ".join(" ".join("".join(c.itertext()).split()) for c in cells) if cells is not None else (
            " ".join("".join(element.itertext()).split()))
        if text.strip(" |"):
            yield text


def _inside_block(element: Any) -> bool:
    """Whether an enclosing element already yields this one's text (an item in a quote, say)."""
    return any(parent.tag in TEXT_BLOCKS for parent in element.iterancestors())


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment (a JSON record's body), a blank line between paragraphs."""
    try:
        soup = _soup(fragment, "<fragment>")
    except IngestError:
        return fragment.strip()
    return _body_text(soup)


def _soup(text: str, path: str) -> BeautifulSoup:
    """Parse ``text`` with lxml, quietly; raises :class:`IngestError` when lxml rejects it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        try:
            return BeautifulSoup(text, "lxml")
        except (ParserRejectedMarkup, ValueError) as exc:
            raise IngestError(path, f"cannot parse HTML: {exc}") from exc


def _body_text(soup: BeautifulSoup) -> str:
    """The text of a fragment without scripts, navigation and the like."""
    for tag in _tags(soup, *NOISE):
        if not tag.decomposed:
            tag.decompose()
    return "\n\n".join(paragraphs(soup))


def paragraphs(root: Tag) -> list[str]:
    """The text of ``root`` split at block elements, whitespace in each paragraph collapsed.

    Walks the tree with an explicit stack, so deeply nested pages cannot exhaust the
    Python stack.
    """
    found: list[str] = []
    buffer: list[str] = []
    stack: list[PageElement | None] = [root]  # None marks the end of a block
    while stack:
        node = stack.pop()
        if node is None or (isinstance(node, Tag) and node.name in BLOCKS):
            _flush(buffer, found)
        if isinstance(node, Tag):
            if node.name in BLOCKS:
                stack.append(None)
            stack.extend(reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            buffer.append(str(node))
    _flush(buffer, found)
    return found


def _flush(buffer: list[str], found: list[str]) -> None:
    """Move the buffered text, whitespace collapsed, into ``found`` as one paragraph."""
    text = " ".join("".join(buffer).split())
    buffer.clear()
    if text:
        found.append(text)


def _tags(root: Tag, *names: str) -> Iterator[Tag]:
    """The elements named ``names`` under ``root``, in document order."""
    return (tag for tag in root.find_all(list(names)) if isinstance(tag, Tag))
