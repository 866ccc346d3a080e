"""Plain text in the corpus format, and the small text helpers every reader shares.

The corpus format is a header line `` date YYYY-MM-DD Title`` followed by the body. The
date may be ``YYYY-MM`` or ``YYYY`` or missing, the ``date`` marker may be missing too,
and the header may be the article's opening sentence rather than a title: then it stays
in the body and its first sentence becomes the title.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from email.utils import parsedate_to_datetime

from kg.errors import IngestError
from kg.model import Article

TITLE_LIMIT = 120
SENTENCE_WORDS = 25  # a header longer than this is prose, not a headline

_HEADER = re.compile(r"[ \t]*date(?:[ \t]+(\d{4}(?:-\d{1,2}){0,2}))?(?=\s|$)(.*)", re.S)
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?][\"'”’»)\]]{0,3}\s*$")
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]{0,3}(?=\s|$)")
# "CAIRO, May 8 (Reuters) -", "BEIJING, June 3. /TASS/.", "WASHINGTON (AP) —": a wire dateline opens the body
_DATELINE = re.compile(r"[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\.?\s*"
                       r"(?:\([A-Za-z][\w .-]{1,30}\)|/[A-Za-z][\w .-]{1,30}/\.?)\s*(?:-{1,2}|–|—)?\s")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen col lt maj sgt capt adm gov sen rep pres jr sr no vs etc"
    " inc ltd co corp dept est approx jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_ISO_DATE = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?=$|[T\s])")
_WRITTEN_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")


def parse_text(text: str, path: str) -> Article:
    """Read one article in the corpus text format.

    ``text`` must already have ``\\n`` line ends. The body keeps its internal text exactly
    (evidence offsets index into it); only leading blank lines and trailing whitespace go.
    A file that is a single line is its own body. Raises :class:`IngestError` ("no article
    body") when nothing but a date header is left.
    """
    first, _, rest = _LEADING_BLANK_LINES.sub("", text).partition("\n")
    date, head = _split_header(first)
    if head and (looks_like_sentence(head) or not rest.strip()):
        body = f"{head}\n{rest}".rstrip()
        title: str | None = truncate_title(first_sentence(head))
    else:
        body = _LEADING_BLANK_LINES.sub("", rest).rstrip()
        title = head or None
    if not body:
        raise IngestError(path, "no article body")
    return Article(body=body, path=path, title=title, date=date)


def _split_header(line: str) -> tuple[str | None, str]:
    """Split a header line into its normalised date (or None) and the text after it."""
    match = _HEADER.match(line)
    if match is None:
        return None, line.strip()
    raw_date, rest = match.groups()
    return (normalise_date(raw_date) if raw_date else None), rest.strip()


def looks_like_sentence(line: str) -> bool:
    """Whether a header line reads as prose (ends like a sentence, is long, or opens with a
    wire dateline), not a headline."""
    return bool(_ENDS_LIKE_SENTENCE.search(line) or _DATELINE.match(line)) or len(line.split()) > SENTENCE_WORDS


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it when no sentence end is found).

    A period after a known abbreviation or an initial (``Mr.``, ``U.S.``, ``J.``) does not
    end the sentence.
    """
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()].split()
        word = before[-1].lstrip("\"'“‘([") if before else ""
        if text[match.start()] == "." and _is_abbreviation(word):
            continue
        return text[: match.end()].strip()
    return text.strip()


def _is_abbreviation(word: str) -> bool:
    """Whether ``word`` (without its final period) is an abbreviation or an initial."""
    if len(word) == 1 and word.isupper():
        return True
    return word.lower() in _ABBREVIATIONS or bool(_INITIALISM.fullmatch(word))


def truncate_title(text: str, limit: int = TITLE_LIMIT) -> str:
    """Shorten ``text`` to at most ``limit`` characters on a word boundary, ending in "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


def normalise_date(value: object) -> str | None:
    """Return ``value`` as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None when it is no valid date.

    Accepts ISO dates and datetimes (the time and zone are dropped: the date is the one the
    outlet printed), ``/`` separators, ``date`` objects, a year as an int, RFC 2822 dates
    (``Fri, 05 Sep 2025 10:00:00 GMT``) and written dates (``5 September 2025``,
    ``Sep 5, 2025``). Impossible dates (month 13, 31 June) give None. Never raises.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    match = _ISO_DATE.match(text)
    if match is not None:
        return _checked(*match.groups())
    return _parse_written_date(text)


def _checked(year: str, month: str | None, day: str | None) -> str | None:
    """Format a year, month and day as an ISO date prefix, or None when they are no date."""
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    parts = [f"{int(year):04d}"] + [f"{int(part):02d}" for part in (month, day) if part]
    return "-".join(parts)


def _parse_written_date(text: str) -> str | None:
    """Parse ``5 September 2025``-style and RFC 2822 dates; None when neither fits."""
    for pattern in _WRITTEN_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def field_text(value: object) -> str | None:
    """A metadata value as one line of text, or None.

    Strings are stripped and their whitespace collapsed, numbers become strings, and a
    mapping with a ``name`` (``{"@type": "Organization", "name": "TASS"}``) gives its name.
    """
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


# Characters that show nothing but make two equal-looking names different strings (zero-width
# spaces and joiners, direction marks and embeddings, the word joiner, a BOM inside the text,
# soft hyphens): a name written with one would become a new alias of a known person.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0 and C1 controls but tab and line ends
_LINE_LIKE = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # controls and separators that end a line
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` in NFC, without invisible format characters or control characters.

    Vertical tabs, form feeds and Unicode line separators become line breaks; other control
    characters (escape sequences' ESC among them) and the invisible characters of
    ``_INVISIBLE`` go. Raises ValueError for a lone surrogate, which is no text at all.
    """
    bad = _SURROGATE.search(text)
    if bad:
        raise ValueError(f"a lone surrogate \\u{ord(bad.group()):04x} at character {bad.start()}")
    text = _CONTROL.sub("", _INVISIBLE.sub("", _LINE_LIKE.sub("\n", text)))
    return unicodedata.normalize("NFC", text)


_IRI_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")
_PERCENT_OK = re.compile(r"%[0-9A-Fa-f]{2}")


def clean_url(url: str) -> str:
    """A URL with what no IRI may contain percent-encoded, as browsers do (``<`` is ``%3C``,
    a space ``%20``, a second ``#`` ``%23``, a ``%`` not followed by two hex digits ``%25``)."""
    out: list[str] = []
    fragment = False
    for i, ch in enumerate(url.strip()):
        if ch == "%" and _PERCENT_OK.match(url.strip(), i):
            out.append(ch)
        elif (ch in _IRI_ASCII and ch != "%" and not (ch == "#" and fragment)) or _iri_char(ch):
            fragment = fragment or ch == "#"
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return "".join(out)


def _iri_char(ch: str) -> bool:
    """Whether a non-ASCII character may stand unencoded in an IRI (RFC 3987 ``ucschar``)."""
    code = ord(ch)
    if code < 0xA0 or 0xD800 <= code <= 0xF8FF or 0xFDD0 <= code <= 0xFDEF or code >= 0xF0000:
        return False
    return (code & 0xFFFE) != 0xFFFE and not 0xFFF0 <= code <= 0xFFFF
