"""The page around the report: datelines, bylines, captions, credits and ``Read more`` lines.

A dateline (``CAIRO, May 8 (Reuters) -``, ``BEIJING, June 3. /TASS/.``, ``WASHINGTON (AP) —``)
gives the place the report was filed from, the agency that filed it (an outlet, recorded
as ``filed_by``, never a claimant) and, when the input had none, the article's date.
Bylines, photo captions and credits, and pointers to other stories are taken out of the
sentences the later stages read, so they make no claims, events or cooperation. The
patterns live in the ``furniture:`` section of ``lexicon.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.extract import dates
from kg.extract.context import Context, Sent
from kg.extract.registry import stage
from kg.extract.text import entity_key, norm_key
from kg.model import Entity

_MEDIA = frozenset({"MediaOutlet"})


@stage("furniture", assigns=["furniture"], version="1", default=True)
def find_furniture(ctx: Context) -> None:
    """Read the dateline; drop the sentences of furniture lines from ``ctx.sents``."""
    body = ctx.article.body
    spans = [(s, e) for s, e in _lines(body) if is_furniture_line(ctx, body[s:e])]
    dateline = _dateline(ctx)
    if dateline is not None:
        spans.append(dateline)
    ctx.furniture = sorted(spans)
    ctx.sents[:] = [s for s in ctx.sents if not _inside(s, spans)]


def _lines(body: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for line in body.split("\n"):
        out.append((start, start + len(line)))
        start += len(line) + 1
    return out


def is_furniture_line(ctx: Context, line: str) -> bool:
    """A byline, caption, credit or pointer to another story (the whole line)."""
    furniture = ctx.res.lexicon.furniture
    text = line.strip()
    return bool(text) and bool(furniture.byline.match(text) or furniture.credit.search(text)
                               or furniture.opener.match(text))


def _inside(sent: Sent, spans: list[tuple[int, int]]) -> bool:
    ev_start = sent.start + len(sent.span.text) - len(sent.span.text.lstrip())
    ev_end = sent.start + len(sent.span.text.rstrip())
    return any(s <= ev_start and ev_end <= e for s, e in spans)


def _dateline(ctx: Context) -> tuple[int, int] | None:
    """Read the dateline opening the body (or its first paragraph after a heading line)."""
    body = ctx.article.body
    for start, end in _lines(body)[:3]:
        m = ctx.res.lexicon.furniture.dateline.match(body, start, end + 1 if end < len(body) else end)
        if m is None:
            continue
        place = _place(ctx, m.group("place"))
        agency = _agency(ctx, m.group("agency") or m.group("slashed"), dated=bool(place and m.group("date")))
        if place is None or not (agency or m.group("date") and (m.group("place").isupper() or m.group("sep"))):
            continue
        ctx.extraction.filed_by, ctx.extraction.filed_from = agency, place
        day = dates.resolve(m.group("date"), ctx.article.date) if m.group("date") else None
        if day and not ctx.article.date and re.search(r"\d{4}", m.group("date")):
            ctx.article = replace(ctx.article, date=day)
            ctx.extraction.article = ctx.article
        return m.start(), m.end()
    return None


def _place(ctx: Context, text: str) -> str | None:
    """The gazetteer place the dateline names (a capital known only as its country's seat gives the country)."""
    hits = [h for h in ctx.res.gazetteer.match(text) if h.kind in {"name", "seat"} and h.end - h.start == len(text.strip())]
    if hits and ctx.res.gazetteer.entities[hits[0].key].cls in {"City", "Region", "Country", "Place"}:
        return hits[0].key
    return None


def _agency(ctx: Context, text: str | None, *, dated: bool = False) -> str | None:
    """The outlet an agency credit names: a gazetteer outlet, else a new one when it reads as one
    (a short capitalised name between a known place with its date and the dash reads as one:
    ``PUTRAJAYA, July 28 (Bernama) --``)."""
    if not text:
        return None
    text = text.strip(" /.")
    for hit in ctx.res.gazetteer.match(text):
        if ctx.res.gazetteer.entities[hit.key].cls in _MEDIA:
            return hit.key
    words = set(norm_key(text).split())
    credit = dated and len(text.split()) <= 3 and all(w[:1].isupper() for w in text.split())
    if not (text.isupper() and len(text) <= 6) and not words & ctx.res.lexicon.media_name_words and not credit:
        return None
    key = entity_key(text, "MediaOutlet")
    ctx.entities.setdefault(key, Entity(key, text, "MediaOutlet", set()))
    return key
