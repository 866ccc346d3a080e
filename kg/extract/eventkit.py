"""Shared event bookkeeping and the few parse walks the event readers use."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract import dates
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


MEETINGS = frozenset({"Meeting", "PhoneCall"})  # the classes that seat people at one table
CLAUSES = {"relcl", "acl", "ccomp", "advcl", "xcomp", "conj", "parataxis", "appos"}


def meetings_told(ctx: Context, sent: Sent) -> list[Event]:
    """The meetings and calls read so far whose evidence includes ``sent``."""
    here = ctx.evidence(sent)
    return [e for e in ctx.extraction.events if e.cls in MEETINGS and here in e.evidence]


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
            # several subjects: a dateline read as one ("BEIJING, April 26 (Xinhua) -- Xi ...
            # talked"), or a list the parser split ("Putin, Zelensky, Macron and Merkel held")
            return [t for s in subj for t in phrase(s)] + [
                t for s in subj for c in s.children if c.dep_ == "conj" and c.pos_ in {"NOUN", "PRON"}
                for t in phrase(c)]  # "Trump and the crown prince signed"
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


_CLAUSES = frozenset({"relcl", "acl", "advcl", "appos", "parataxis"})


def event_date(ctx: Context, sent: Sent, tok: Token) -> str | None:
    """The date the trigger ``tok``'s own clause gives, resolved against the article's date.
    Dates in clauses and phrases that recall other times (``who last met in 2019``, ``the first
    call since February 2022``, ``the talks follow a June call``: the lexicon's
    ``recalled_time`` words and ``recall_verbs``) are not this event's; a trigger inside a
    phrase opened by a ``recalled_encounter`` word (``since they met in April 2019``) is an
    earlier encounter, and gives no date."""
    if not has_date(sent):
        return None
    lex = ctx.res.lexicon
    recalled, verbs = lex.cue("recalled_time"), lex.cue("recall_verbs")
    line = {tok.i} | {a.i for a in tok.ancestors}
    if any(_recalls(ctx.doc[i], lex.cue("recalled_encounter")) for i in line):
        return None
    drop: set[int] = set()
    for t in sent.span:
        if t.i in line or t.i in drop:
            continue
        if t.dep_ in _CLAUSES or _recalls(t, recalled) or (t.dep_ == "dobj" and t.head.lemma_.lower() in verbs):
            drop |= {x.i for x in t.subtree}
    return dates.resolve("".join(t.text_with_ws for t in sent.span if t.i not in drop), ctx.article.date)


def _recalls(t: Token, recalled: frozenset[str]) -> bool:
    """``since February 2022``, ``since they met``: a phrase or clause opened by a recalling word."""
    return (t.dep_ in {"prep", "mark"} and t.lower_ in recalled) or any(
        c.dep_ == "mark" and c.lower_ in recalled for c in t.children)


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
