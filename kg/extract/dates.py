"""Dates in text, resolved against the article's date: ``on Tuesday``, ``last year``, ``in June 2024``."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:,?\s+(\d{4}))?\b")
_MONTH_DAY = re.compile(r"\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_MONTH_YEAR = re.compile(r"\b([a-z]+)\s+(?:of\s+)?(\d{4})\b")
_YEAR = re.compile(r"\b(?:in|since|during|of)\s+((?:19|20)\d{2})\b")


def anchor(article_date: str | None) -> date | None:
    """The article's date as a ``date`` (month and year precision fall on the first)."""
    if not article_date:
        return None
    parts = [int(p) for p in article_date.split("-")]
    try:
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def resolve(text: str, article_date: str | None) -> str | None:
    """The first date ``text`` gives, as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None if none."""
    low = text.lower()
    ref = anchor(article_date)
    m = _ISO.search(low)
    if m:
        return m.group(0)
    for rx, d_grp, m_grp in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        for m in rx.finditer(low):
            month = MONTHS.get(m.group(m_grp))
            if month:
                return _day(int(m.group(3)) if m.group(3) else None, month, int(m.group(d_grp)), ref)
    for m in _MONTH_YEAR.finditer(low):
        if m.group(1) in MONTHS:
            return f"{int(m.group(2)):04d}-{MONTHS[m.group(1)]:02d}"
    year = _YEAR.search(low)
    return _relative(low, ref) or (year.group(1) if year else None)


def _day(year: int | None, month: int, day: int, ref: date | None) -> str | None:
    if year is None:
        if ref is None:
            return None
        year = ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _relative(low: str, ref: date | None) -> str | None:
    if ref is None:
        return None
    for i, name in enumerate(WEEKDAYS):
        # "on Friday", "said Wednesday", "Monday's talks": the latest such day (not "next Friday")
        if re.search(rf"(?<!next )(?<!coming )(?<!this )\b{name}\b", low):
            back = (ref.weekday() - i) % 7  # the same weekday is the article's day
            return (ref - timedelta(days=back)).isoformat()
    rules: list[tuple[str, Callable[[], str]]] = [
        (r"\byesterday\b", lambda: (ref - timedelta(days=1)).isoformat()),
        (r"\b(?:today|this morning|tonight)\b", lambda: ref.isoformat()),
        (r"\b(?:earlier|later) this month\b|\bthis month\b", lambda: f"{ref.year:04d}-{ref.month:02d}"),
        (r"\blast month\b", lambda: _month_back(ref)),
        (r"\blast year\b", lambda: f"{ref.year - 1:04d}"),
        (r"\b(?:this|earlier this) year\b", lambda: f"{ref.year:04d}"),
    ]
    for rx, value in rules:
        if re.search(rx, low):
            return value()
    return None


def _month_back(ref: date) -> str:
    first = ref.replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"
