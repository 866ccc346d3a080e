"""Files -> Articles: find the article files under the given paths and read each by format.

:func:`iter_articles` is the entry point: it yields an :class:`~kg.model.Article` for each
good article and an :class:`~kg.errors.IngestError` (yielded, not raised) for each file or
record that cannot be read, so one bad file never stops a build. It deduplicates nothing;
``Article.id`` is a content hash for that. The readers, one module per format:

=====================  ==========================  ==================================
suffix                 module                      reads
=====================  ==========================  ==================================
.txt .text             :mod:`kg.ingest.text`       the corpus text format
.md .markdown          :mod:`kg.ingest.markdown`   markdown with YAML front matter
.json .jsonl .ndjson   :mod:`kg.ingest.jsonrec`    JSON records and JSON Lines
.html .htm             :mod:`kg.ingest.html`       web pages
=====================  ==========================  ==================================
"""

from __future__ import annotations

import dataclasses
import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

from kg.errors import IngestError
from kg.ingest.text import clean_text, clean_url, parse_text
from kg.model import Article

__all__ = ["MAX_BODY", "MAX_BYTES", "SUPPORTED_SUFFIXES", "clean_article", "iter_articles", "iter_files", "read_file",
           "read_results"]

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_BODY = 1_000_000  # characters: the language model's limit (spaCy's max_length); a book, not an article
_MB = 1024 * 1024
_BOM = b"\xef\xbb\xbf"

Result = Article | IngestError
Reader = Callable[[str, str], list[Result]]


def _one(parse: Callable[[str, str], Article]) -> Reader:
    """Adapt a reader of one article per file to the list-of-results shape."""
    return lambda text, path: [parse(text, path)]


def _markdown(text: str, path: str) -> list[Result]:
    """Markdown with front matter (YAML is imported on first use, not at start-up)."""
    from kg.ingest.markdown import parse_markdown

    return [parse_markdown(text, path)]


def _json(text: str, path: str, *, lines: bool) -> list[Result]:
    """JSON or JSON Lines records (their HTML bodies need bs4: imported on first use)."""
    from kg.ingest.jsonrec import parse_json

    return parse_json(text, path, lines=lines)


def _html(text: str, path: str) -> list[Result]:
    """An HTML page (bs4 and trafilatura are imported on first use: an unchanged rebuild never needs them)."""
    from kg.ingest.html import parse_html

    return [parse_html(text, path)]


_READERS: dict[str, Reader] = {
    ".txt": _one(parse_text),
    ".text": _one(parse_text),
    ".md": _markdown,
    ".markdown": _markdown,
    ".json": partial(_json, lines=False),
    ".jsonl": partial(_json, lines=True),
    ".ndjson": partial(_json, lines=True),
    ".html": _html,
    ".htm": _html,
}
SUPPORTED_SUFFIXES = frozenset(_READERS)
# Files that are certainly not articles get a clear message instead of "binary file".
_UNSUPPORTED = frozenset(
    ".pdf .doc .docx .odt .rtf .epub .xls .xlsx .ods .ppt .pptx .csv .tsv .xml .png .jpg"
    " .jpeg .gif .webp .bmp .tif .tiff .ico .mp3 .mp4 .wav .ogg .mov .avi .zip .gz .tgz .bz2"
    " .xz .7z .rar .tar .exe .dll .so .bin .db .sqlite".split()
)


def iter_articles(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Result]:
    """Yield the articles in ``paths`` (files or folders), and an IngestError for each bad one.

    Folders are read recursively as :func:`iter_files` describes. A JSON or JSON Lines
    file may yield several articles and, for its bad records, errors named ``path#N``.
    Never raises for bad input.
    """
    for item in iter_files(paths):
        if isinstance(item, IngestError):
            yield item
        else:
            yield from read_results(item)


def read_results(path: Path) -> list[Result]:
    """:func:`read_file`, with what goes wrong returned as an IngestError, never raised."""
    try:
        return read_file(path)
    except IngestError as error:
        return [error]
    except RecursionError:  # a reader's parser on absurdly nested input
        return [IngestError(path_text(path), "cannot read: nested too deeply")]
    except Exception as exc:  # a reader's bug must not stop the build (--verbose logs the traceback)
        log.warning("cannot read %s", path, exc_info=True)
        return [IngestError(path_text(path), f"cannot read: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}")]


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | IngestError]:
    """Yield the files to read under ``paths``, in a deterministic order.

    A file named explicitly is always yielded, whatever its suffix (:func:`read_file`
    judges it). A folder is walked recursively in name order, skipping hidden files and
    folders and, silently, files whose suffix is not in :data:`SUPPORTED_SUFFIXES`. A path
    that does not exist, or a folder that cannot be listed, yields an IngestError.
    """
    if isinstance(paths, (str, os.PathLike)):  # one path passed alone, not a list of paths
        paths = [paths]
    for raw in paths:
        path = Path(raw)
        mode = _mode(path)
        if mode is not None and stat.S_ISDIR(mode):
            try:
                yield from _walk(path, seen=set())
            except RecursionError:
                yield IngestError(path_text(path), "cannot read: folders nested too deeply")
        elif mode is None and not os.path.lexists(path):
            yield IngestError(str(path), "no such file or directory")
        else:
            yield path  # read_file names what is wrong with a broken link or a locked file


def _walk(folder: Path, *, seen: set[str]) -> Iterator[Path | IngestError]:
    """Yield the supported files under ``folder``, depth first in name order."""
    real = os.path.realpath(folder)
    if real in seen:  # a symbolic link back up the tree
        return
    seen.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        yield IngestError(str(folder), _cannot_read(exc))
        return
    for entry in entries:
        mode = _mode(entry)
        if entry.name.startswith(".") or mode is None:
            continue
        if stat.S_ISDIR(mode):
            yield from _walk(entry, seen=seen)
        elif stat.S_ISREG(mode) and entry.suffix.lower() in SUPPORTED_SUFFIXES:
            yield entry
        else:
            log.debug("skipping %s: not an article file", entry)


def read_file(path: Path) -> list[Result]:
    """Read the articles in one file, picking the reader by suffix.

    An unknown suffix is sniffed: an HTML document, markdown front matter or a JSON object
    is read as such, anything else as plain text. Returns one article for most formats;
    for JSON, one result per record, with an IngestError (named ``path#N``) in place of
    each bad record. Raises :class:`IngestError` when the file as a whole cannot be read:
    missing or unreadable, too large, empty, binary, not UTF-8, of an unsupported type,
    malformed, or without article text. Every article comes out of :func:`clean_article`.
    """
    name = path_text(path)
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise IngestError(name, f"unsupported file type ({suffix}; kg reads {kinds})")
    text = decode(_read_bytes(path), name)
    reader = _READERS.get(suffix) or _sniff(text)
    if reader is _READERS[".html"]:
        text = clean_text(text)  # lxml stops at a control character and the page loses its text
    return [clean_article(item) if isinstance(item, Article) else item for item in reader(text, name)]


def clean_article(article: Article) -> Article | IngestError:
    """The article with its text normalised (:func:`~kg.ingest.text.clean_text`: NFC, no
    invisible or control characters) and its URL made a valid IRI where percent-encoding can;
    an IngestError when a field holds a lone surrogate or the body is empty or over
    :data:`MAX_BODY` characters."""
    fields: dict[str, str | None] = {}
    for name in ("body", "title", "source", "url"):
        value = getattr(article, name)
        try:
            cleaned = clean_text(value) if value is not None else None
        except ValueError as exc:
            return IngestError(article.path, f"not valid Unicode text: {exc} of the {name}")
        if name != "body" and cleaned is not None:
            cleaned = " ".join(cleaned.split()) or None
        fields[name] = clean_url(cleaned) if name == "url" and cleaned else cleaned
    body = (fields.pop("body") or "").strip("\n")
    if not body.strip():
        return IngestError(article.path, "no article body")
    if len(body) > MAX_BODY:
        return IngestError(article.path, f"article body too long ({len(body):,} characters; limit {MAX_BODY:,}, "
                                         "the language model's): split the file into articles")
    return dataclasses.replace(article, body=body, title=fields["title"], source=fields["source"], url=fields["url"])


def path_text(path: Path) -> str:
    """A path as text that prints and encodes: bytes that are not UTF-8 (a file name from
    another system) shown as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_BYTES`; raises IngestError otherwise."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise IngestError(str(path), f"cannot read: {kind}")
        if info.st_size > MAX_BYTES:
            size = f"{info.st_size / _MB:.1f} MB; limit {MAX_BYTES / _MB:g} MB"
            raise IngestError(str(path), f"file too large ({size})")
        return path.read_bytes()
    except FileNotFoundError:
        raise IngestError(str(path), "no such file or directory") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        raise IngestError(str(path), _cannot_read(exc)) from None


def decode(data: bytes, path: str) -> str:
    """Decode a file's bytes as UTF-8 text with ``\\n`` line ends and no byte-order mark.

    Raises :class:`IngestError` for an empty or whitespace-only file, a binary file (one
    with NUL bytes) and bytes that are not UTF-8 (naming the first bad byte's offset).
    """
    if not data.strip():
        raise IngestError(path, "empty file")
    if b"\x00" in data:
        raise IngestError(path, "binary file")
    skipped = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[skipped:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skipped
        reason = f"not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset})"
        raise IngestError(path, reason) from None
    if not text.strip():
        raise IngestError(path, "empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _sniff(text: str) -> Reader:
    """The reader for a file whose suffix says nothing, judged by how its text starts."""
    head = text.lstrip()[:64].lower()
    if head.startswith(("<!doctype html", "<html")):
        return _READERS[".html"]
    if text.startswith("---\n"):
        return _READERS[".md"]
    if head.startswith("{"):
        return _READERS[".json"]
    return _READERS[".txt"]


def _mode(path: Path) -> int | None:
    """The ``st_mode`` of ``path`` (following links), or None when it cannot be stat'ed."""
    try:
        return path.stat().st_mode
    except (OSError, ValueError):
        return None


def _cannot_read(exc: Exception) -> str:
    """The reason for an OS error, as ``cannot read: <what the OS said>``."""
    return f"cannot read: {getattr(exc, 'strerror', None) or exc}"
