"""Shared event bookkeeping and the few parse walks the event readers use."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Sent
from kg.extract.parse import claimants_of
from kg.extract.text import AGENT_CLASSES, PLACE_CLASSES, fold
from kg.model import Event


def add_event(ctx: Context, event: Event) -> Event:
    event.key = f"{event.cls.lower()}-{1 + sum(1 for e in ctx.extraction.events if e.cls == event.cls)}"
    ctx.extraction.events.append(event)
    return event


def places_after(ctx: Context, sent: Sent, tok: Token) -> list[str]:
    return [m.key for m in sent.mentions if m.tok_start > tok.i and m.kind == "name" and ctx.cls(m.key) in PLACE_CLASSES]


def located(ctx: Context, sent: Sent) -> list[str]:
    """Places the sentence puts things in: ``in X``, ``at X``."""
    out = []
    for m in sent.mentions:
        if m.kind == "name" and ctx.cls(m.key) in PLACE_CLASSES and m.tok_start > 0:
            prev = ctx.doc[m.tok_start - 1]
            prev2 = ctx.doc[m.tok_start - 2] if m.tok_start > 1 else prev
            if prev.lower_ in {"in", "at", "near", "on"} or (prev.lower_ == "the" and prev2.lower_ in {"in", "at"}):
                out.append(m.key)
    return out


def participants(ctx: Context, sent: Sent) -> list[str]:
    speakers = claimants_of(ctx, sent)
    out: list[str] = []
    for m in sent.mentions:
        ent = ctx.entity(m.key)
        if ent is None or not ctx.is_person(m.key) or m.key in speakers or ent.cls == "Expert" or m.key in out:
            continue
        out.append(m.key)
    return out


CLAUSES = {"relcl", "acl", "ccomp", "advcl", "xcomp", "conj", "parataxis", "appos"}


def phrase(tok: Token) -> list[Token]:
    """A token and its dependents, without the clauses hanging off it (in depth-first order;
    a loop, not recursion, so a run-on sentence's deep tree cannot exhaust the stack)."""
    out: list[Token] = []
    stack = [tok]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed([child for child in node.children if child.dep_ not in CLAUSES
                               or (child.dep_ in {"conj", "appos"} and child.pos_ == "PROPN")]))
    return out


def subject_tokens(verb: Token) -> list[Token]:
    """The subject of ``verb``; for ``who met``, the noun ``who`` stands for; for the second of
    two coordinated verbs, the first one's subject."""
    for _ in range(3):
        subj = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subj:
            if subj[0].lower_ in {"who", "which", "that"} and verb.dep_ == "relcl":
                return [verb.head]
            return phrase(subj[0])
        if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    return []


def agent_in(ctx: Context, sent: Sent, toks: list[Token]) -> str | None:
    idx = {t.i for t in toks}
    for m in sent.mentions:
        if ctx.cls(m.key) in AGENT_CLASSES and any(i in idx for i in range(m.tok_start, m.tok_end)):
            return m.key
    return None


def previous_person(ctx: Context, sent: Sent, tok: Token, *, not_: str | None) -> str | None:
    """``him``: the last person named before the pronoun, other than ``not_``."""
    for s in reversed(ctx.sents[:ctx.sents.index(sent) + 1]):
        for m in reversed(s.mentions):
            if m.tok_start < tok.i and ctx.is_person(m.key) and m.key != not_:
                return m.key
    return None


def has_date(sent: Sent) -> bool:
    return any(e.label_ == "DATE" for e in sent.span.ents)


def phrase_spans(ctx: Context, sent: Sent, cue: str) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of the sentence where a phrase of the lexicon's cue list
    ``cue`` occurs (matched on folded words)."""
    phrases = [p.split() for p in ctx.res.lexicon.cue(cue)]
    toks = list(sent.span)
    words = [fold(t.text) for t in toks]
    out = []
    for i in range(len(toks)):
        for p in phrases:
            if words[i:i + len(p)] == p:
                out.append((toks[i].i, toks[i].i + len(p)))
    return out
