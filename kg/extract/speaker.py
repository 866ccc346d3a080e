"""Who speaks in an official statement: ``I``, ``my`` and ``The President`` in the speaker's own text.

A statement, readout or set of remarks names its speaker in its title (``Statement from
President Joe Biden on Travel to Kyiv``, ``Readout of President Biden's Call with ...``): the
first person the title names, when the title has one of the lexicon's ``statement_words``.
In such an article, first-person words outside quotation marks (``I have come to Kyiv``,
``In my meeting with President Zelenskyy``) and the speaker's office with ``the`` and no name
after it (``The President spoke with ...``) refer to the speaker.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from kg.extract.context import Context, Ment
from kg.extract.offices import article_day, offices_on
from kg.extract.text import PERSON_CLASSES, fold, norm_key

FIRST_PERSON = frozenset({"i", "my", "me", "myself"})
QUOTES = frozenset('"\u201c\u201d')


def first_person_refs(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """References to the speaker of a statement (see the module docstring), then the offices of
    the government that publishes the text (:func:`publisher_refs`)."""
    speaker = statement_speaker(ctx)
    taken = {i for m in ments for i in range(m.tok_start, m.tok_end)}
    office = _office(ctx, speaker) if speaker else []
    out: list[Ment] = []
    for tok in ctx.doc if speaker else ():
        if tok.i in taken or _quoted(ctx, tok):
            continue
        if tok.lower_ in FIRST_PERSON and (tok.lower_ != "i" or tok.text == "I"):
            out.append(Ment(tok.idx, tok.idx + len(tok), tok.i, tok.i + 1, speaker, "pronoun"))  # type: ignore[arg-type]
        elif office and _office_at(ctx, tok, office):
            last = ctx.doc[tok.i + len(office)]
            out.append(Ment(tok.idx, last.idx + len(last), tok.i, last.i + 1, speaker, "ref"))  # type: ignore[arg-type]
    return out + publisher_refs(ctx, [*ments, *out])


def publisher_refs(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """``The Prime Minister spoke with ...`` in a text its source says a government publishes
    (``Prime Minister's Office, 10 Downing Street``, ``The White House``, ``Ministry of External
    Affairs, Government of India``): that country's office holder on the article's day."""
    country, day = _publisher(ctx), article_day(ctx.article.date)
    if country is None or day is None:
        return []
    offices = [(t.office.split(), t.person) for t in ctx.res.offices.terms if t.country == country and t.covers(day)]
    taken = {i for m in ments for i in range(m.tok_start, m.tok_end)}
    out: list[Ment] = []
    for tok in ctx.doc:
        if tok.i in taken or _quoted(ctx, tok):
            continue
        for words, person in offices:
            if _office_at(ctx, tok, words):
                if person not in ctx.entities:
                    ctx.entities[person] = replace(ctx.res.gazetteer.entities[person], aliases=set(), reference=True)
                last = ctx.doc[tok.i + len(words)]
                out.append(Ment(tok.idx, last.idx + len(last), tok.i, last.i + 1, person, "ref"))
    return out


def _publisher(ctx: Context) -> str | None:
    """The country whose government the source names (a seat of power, or the country itself)."""
    gaz = ctx.res.gazetteer
    for hit in gaz.match(ctx.article.source or ""):
        if hit.kind == "seat" or (hit.kind == "name" and gaz.entities[hit.key].cls == "Country"):
            return hit.key
    return None


def statement_speaker(ctx: Context) -> str | None:
    """The person a statement's title names first, when the title calls it a statement (or the
    text opens in the first person and the title opens with that person's name): one the
    article names, else one the gazetteer knows (then added to the article's entities)."""
    title = ctx.article.title or ""
    statement = bool(set(fold(title).split()) & ctx.res.lexicon.cue("statement_words"))
    if not statement and not _first_person_body(ctx):
        return None
    low = title.lower()
    found = []
    for key, ent in ctx.entities.items():
        if ent.cls in PERSON_CLASSES and ent.cls != "Expert":
            at = [low.find(n.lower()) for n in (ent.label, *ent.aliases) if len(n) > 3 and n.lower() in low]
            if at:
                found.append((min(at), key))
    gaz = ctx.res.gazetteer
    found += [(h.start, h.key) for h in gaz.match(title) if h.kind == "name" and gaz.entities[h.key].cls in PERSON_CLASSES]
    if not found:
        return None
    start, key = min(found)
    if not statement and not _titles_only(ctx, title[:start]):
        return None  # a first-person text speaks for the person its title opens with
    if key not in ctx.entities:
        ctx.entities[key] = replace(gaz.entities[key], aliases=set(), reference=True)
    return key


def _first_person_body(ctx: Context) -> bool:
    """The text opens in the first person (``I spoke today with ...``): a leader's own post."""
    first = next((t for t in ctx.doc if not t.is_space and not t.is_punct), None)
    return first is not None and first.text == "I"


def _titles_only(ctx: Context, text: str) -> bool:
    """Nothing but role words (``President``) before the name that opens a title."""
    words = norm_key(text).split()
    return all((w,) in ctx.res.lexicon.roles for w in words)


def _office(ctx: Context, key: str) -> list[str]:
    """The words of the speaker's first office on the article's day (``President and ...`` ->
    ``president``; Joe Biden's in a 2024 readout, though the gazetteer calls him former President)."""
    ent = ctx.entity(key)
    if ent is None:
        return []
    held = offices_on(ctx.res.offices, ent, article_day(ctx.article.date))
    return held[0].split(",")[0].split() if held else []


def _office_at(ctx: Context, tok: Token, office: list[str]) -> bool:
    """``The President`` at ``tok`` (the article), with no name or ``of`` right after."""
    doc, n = ctx.doc, len(office)
    if tok.lower_ != "the" or tok.i + n + 1 > len(doc):
        return False
    words = doc[tok.i + 1:tok.i + 1 + n]
    if [norm_key(t.text) for t in words] != office or not words[0].text[:1].isupper():
        return False
    after = doc[tok.i + 1 + n] if tok.i + 1 + n < len(doc) else None
    return after is None or not (after.text[:1].isupper() or after.lower_ == "of")


def _quoted(ctx: Context, tok: Token) -> bool:
    """Inside quotation marks: an odd number of them before ``tok`` in its paragraph."""
    body = ctx.article.body
    start = body.rfind("\n", 0, tok.idx) + 1
    return sum(body[start:tok.idx].count(q) for q in QUOTES) % 2 == 1
