"""HTML pages: title, publication date, outlet and URL from the head, text from the article.

The body is the page's ``<article>`` (the longest, when there are several), else its
``<main>``, else its ``<body>``, without navigation, scripts, asides, captions and the
like, and without its ``<h1>``: the headline is the title. Block elements become
paragraphs separated by one blank line, with the whitespace inside a paragraph collapsed.
The body is text: entities are decoded, so ``&lt;b&gt;`` in the page is the literal
``<b>`` in the body.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag
from bs4 import ParserRejectedMarkup, XMLParsedAsHTMLWarning
from bs4.element import PageElement, PreformattedString

from kg.errors import IngestError
from kg.ingest.text import field_text, normalise_date
from kg.model import Article

DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dcterms.date",
)
NOISE = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "figcaption", "iframe", "object", "embed", "svg", "canvas", "button", "select", "dialog",
)  # fmt: skip
BLOCKS = frozenset(
    "address article blockquote dd div dl dt figure h1 h2 h3 h4 h5 h6 hr li main ol p pre"
    " section table td th tr ul br".split()
)


def parse_html(text: str, path: str) -> Article:
    """Read one article from an HTML page.

    Metadata comes from ``<meta>`` tags (Open Graph, Dublin Core, ``itemprop``), then
    ``<h1>``/``<title>`` and ``<time datetime>`` inside the article. Raises
    :class:`IngestError` when the page cannot be parsed or has no body text.
    """
    soup = _soup(text, path)
    meta = _meta_index(soup)
    title = meta.get("og:title") or _text_of(soup.find("h1")) or _text_of(soup.title)
    date = _find_date(soup, meta)
    url = meta.get("og:url") or _canonical_url(soup)
    body = _body_text(soup, whole_page=False)
    if not body:
        raise IngestError(path, "no article body")
    source = meta.get("og:site_name")
    return Article(body=body, path=path, title=title, date=date, source=source, url=url)


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment (a JSON record's body), a blank line between paragraphs."""
    try:
        soup = _soup(fragment, "<fragment>")
    except IngestError:
        return fragment.strip()
    return _body_text(soup, whole_page=True)


def _soup(text: str, path: str) -> BeautifulSoup:
    """Parse ``text`` with lxml, quietly; raises :class:`IngestError` when lxml rejects it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        try:
            return BeautifulSoup(text, "lxml")
        except (ParserRejectedMarkup, ValueError) as exc:
            raise IngestError(path, f"cannot parse HTML: {exc}")


def _meta_index(soup: BeautifulSoup) -> dict[str, str]:
    """The ``<meta>`` contents by lower-cased ``property``, ``name`` or ``itemprop``; first wins."""
    index: dict[str, str] = {}
    for tag in _tags(soup, "meta"):
        content = field_text(tag.get("content"))
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = tag.get(attribute)
            if isinstance(key, str):
                index.setdefault(key.strip().lower(), content)
    return index


def _find_date(soup: BeautifulSoup, meta: dict[str, str]) -> str | None:
    """The publication date from the meta tags, else from ``<time datetime>`` in the article."""
    candidates: list[object] = [meta.get(key) for key in DATE_META]
    marked = soup.find(itemprop="datePublished")
    if isinstance(marked, Tag):
        candidates += [marked.get("datetime"), marked.get("content"), marked.get_text()]
    scope = soup.find("article") or soup.find("main") or soup.body or soup
    if isinstance(scope, Tag):
        candidates += [time.get("datetime") for time in _tags(scope, "time")]
    for candidate in candidates:
        if isinstance(candidate, str) and (date := normalise_date(candidate)):
            return date
    return None


def _canonical_url(soup: BeautifulSoup) -> str | None:
    """The ``href`` of ``<link rel="canonical">``, if any."""
    for link in _tags(soup, "link"):
        rel = link.get("rel")
        names: list[str] = rel.split() if isinstance(rel, str) else list(rel or ())
        if "canonical" in (name.lower() for name in names):
            return field_text(link.get("href"))
    return None


def _body_text(soup: BeautifulSoup, *, whole_page: bool) -> str:
    """The text of the page's article without its ``<h1>``, or with ``whole_page`` of everything."""
    for tag in _tags(soup, *NOISE):
        if not tag.decomposed:
            tag.decompose()
    root: Tag = soup
    if not whole_page:
        articles = list(_tags(soup, "article"))
        fallback = next(_tags(soup, "main"), None) or soup.body or soup
        root = max(articles, key=lambda tag: len(tag.get_text())) if articles else fallback
        for heading in _tags(root, "h1"):  # the headline is the title, not body text
            heading.decompose()
    return "\n\n".join(paragraphs(root))


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


def _text_of(element: object) -> str | None:
    """An element's text, whitespace collapsed; None for a missing or empty element."""
    return field_text(element.get_text()) if isinstance(element, Tag) else None
