"""Seats of power named as places: ``talks in the Kremlin``, ``met Trump at the White House``.

The gazetteer reads a seat (``Kremlin``, ``White House``, ``Downing Street``, ``Planalto``) as
the state it stands for (``the Kremlin said`` is Russia speaking), and that reading stays. Where
a locative preposition governs the seat, the text also names a building: it becomes a Facility
of its own, named as the text names it (``Planalto Palace`` with its head word). A seat that is
a city (the model's GPE: ``in Putrajaya``) is a city, not a building, and is left to the
gazetteer.
"""

from __future__ import annotations

from spacy.tokens import Span

from kg.extract.context import Context, Ment
from kg.extract.text import entity_key, norm_key
from kg.model import Entity

_LEADING = {"the"}


def seat_places(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """A Facility mention for each seat a locative preposition governs (``in the Kremlin``)."""
    out = []
    preps = ctx.res.lexicon.cue("seat_place_prepositions")
    titled = {h.lower() for h in ctx.res.lexicon.cue("titled_place_heads")}
    for m in ments:
        if m.kind != "seat":
            continue
        span = _with_head(ctx.doc[m.tok_start:m.tok_end], titled)
        if span is None or span.root.ent_type_ == "GPE" or _own_entity(ctx, span.text):
            continue  # "in Putrajaya": a capital the model reads as a city
        before = span.start - 1
        while before >= 0 and ctx.doc[before].lower_ in _LEADING:
            before -= 1
        if before < 0 or ctx.doc[before].lower_ not in preps or ctx.doc[before].dep_ != "prep":
            continue
        label = " ".join(span.text.split())
        key = entity_key(label, "Facility")
        ent = ctx.entities.setdefault(key, Entity(key, label, "Facility", set(), located_in=m.key))
        if len(span) > m.tok_end - m.tok_start:
            ent.aliases.add(" ".join(ctx.doc[m.tok_start:m.tok_end].text.split()))
        out.append(Ment(span.start_char, span.end_char, span.start, span.end, key, "name"))
    return out


def _with_head(span: Span, titled: set[str]) -> Span | None:
    """The seat without a leading ``the``, with a place head word after it (``Planalto Palace``)."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and doc[start].lower_ in _LEADING:
        start += 1
    if end < len(doc) and doc[end].lower_ in titled and doc[end].text[:1].isupper():
        end += 1
    return doc[start:end] if end > start else None


def _own_entity(ctx: Context, text: str) -> bool:
    """Whether the gazetteer has an entity by this name (a seat that is also a city or a building)."""
    key = norm_key(text)
    return any(h.kind == "name" and norm_key(text[h.start:h.end]) == key for h in ctx.res.gazetteer.match(text))
