"""Meetings and calls: who met whom, from the parse; one node per real encounter."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract import dates
from kg.extract.context import Context, Sent
from kg.extract.eventkit import add_event, has_date, located, participants, phrase, subject_tokens
from kg.model import Event

MEETINGS = {"Meeting", "PhoneCall"}


def _definite(ctx: Context, tok: Token) -> bool:
    """``the meeting``, ``their talks``: a reference back to one event, not ``such meetings``."""
    window = [t.lower_ for t in ctx.doc[max(tok.sent.start, tok.i - 3):tok.i]]
    lex = ctx.res.lexicon
    return bool(set(window) & lex.cue("definite_determiners")) and not set(window) & lex.cue("not_definite")


def irrealis(ctx: Context, sent: Sent, tok: Token) -> bool:
    """The trigger is planned, hoped for or hypothetical rather than reported as happening."""
    doc = ctx.doc
    window = [t.lower_ for t in doc[max(sent.span.start, tok.i - 5):tok.i]]
    future, modals = ctx.res.lexicon.cue("future"), ctx.res.lexicon.cue("modals")
    if any(f"{a} {b}" in future for a, b in zip(window, window[1:])):
        return True
    heads = [tok, tok.head, tok.head.head]
    return any(c.dep_ == "aux" and c.lower_ in modals for h in heads for c in h.children)


def meeting(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    if irrealis(ctx, sent, tok):
        return  # "was due to meet", "would lead the consultations": not (yet) a meeting
    people = _parties(ctx, sent, tok) or participants(ctx, sent)
    definite = _definite(ctx, tok)
    if len(people) < 2 and _group_ref(ctx, sent):  # "the two were joined by Austin": the pair named before
        people = [p for p in _last_pair(ctx, sent) if p not in people] + people
    if not people and not definite:
        return
    ev = find_meeting(ctx, set(people), definite=definite)
    if ev is None:
        if not people:
            return
        ev = add_event(ctx, Event(key="", cls=cls, label=""))
    if not (definite and ev.participants):  # "X sat in on the talks" adds evidence, not a party
        ev.participants += [p for p in people if p not in ev.participants]
    ev.location += [p for p in located(ctx, sent) if p not in ev.location]
    ev.date = ev.date or dates.resolve(sent.span.text, ctx.article.date) if has_date(sent) else ev.date
    if ctx.evidence(sent) not in ev.evidence:
        ev.evidence.append(ctx.evidence(sent))
    names = [ctx.entity(p).label for p in ev.participants[:3] if ctx.entity(p)]  # type: ignore[union-attr]
    kind = "Phone call" if ev.cls == "PhoneCall" else "Meeting"
    ev.label = f"{kind} of {' and '.join(names)}" if names else kind


def _parties(ctx: Context, sent: Sent, tok: Token) -> list[str]:
    """The people a trigger itself connects, from the parse: its subject (through ``who``
    and coordinated verbs) and its objects (``met X``, ``talks with Y``); empty unless two."""
    verb = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    subjects = subject_tokens(verb)
    objects = phrase(tok) + ([t for c in verb.children if c.dep_ in {"dobj", "prep", "dative"} for t in phrase(c)]
                              if verb is not tok else [])
    allowed = set(participants(ctx, sent))
    found: list[str] = []
    for t in [*subjects, *objects]:
        for m in sent.mentions:
            if m.tok_start <= t.i < m.tok_end and m.key in allowed and m.key not in found:
                found.append(m.key)
    return found if len(found) >= 2 else []


def _group_ref(ctx: Context, sent: Sent) -> bool:
    return ctx.has_phrase(sent, ctx.res.lexicon.group_refs.phrases)


def _last_pair(ctx: Context, sent: Sent) -> list[str]:
    """The last two people (not analysts) named before this sentence."""
    seen: list[str] = []
    for s in reversed(ctx.sents[:ctx.sents.index(sent)]):
        for m in reversed(s.mentions):
            if ctx.is_person(m.key) and ctx.cls(m.key) != "Expert" and m.key not in seen:
                seen.append(m.key)
            if len(seen) == 2:
                return seen[::-1]
    return []


def find_meeting(ctx: Context, people: set[str], *, definite: bool = False) -> Event | None:
    """The earlier meeting this sentence talks about, if any."""
    meetings = [e for e in ctx.extraction.events if e.cls in MEETINGS]
    if not meetings:
        return None
    if definite:
        overlapping = [e for e in meetings if people & set(e.participants)]
        if overlapping or not people:
            return (overlapping or meetings)[-1]
    if not people or len(people) == 1:
        hits = [e for e in meetings if people <= set(e.participants)]
        return hits[-1] if hits else (meetings[-1] if not people else None)
    for ev in reversed(meetings):
        if people <= set(ev.participants) or set(ev.participants) <= people:
            return ev
    return None
