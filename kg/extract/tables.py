"""Who sat at the table: the principals of a meeting (one group per encounter) and its delegates.

The principals are the trigger's subject and objects in the parse (``X met Y``, ``talks
with Y``), the leaders of delegations (``delegations led by X and Y``), mediators and hosts
(``with X mediating``, ``hosted by X``) and a third country's witness (``in the presence of
X``). Coordinated counterparts met one by one (``X met Y, and later Z``, ``separate talks
with Y and Z``) make one group each. The wider delegation (``Present at the talks from the
Russian side were ...``, ``accompanied by``, a side's own witness) are delegates. Every word
list lives in ``ontology/lexicon.yaml`` (``cues:``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from kg.extract.context import Context, Ment, Sent
from kg.extract.eventkit import participants, phrase, phrase_spans, subject_tokens
from kg.extract.references import side_of


@dataclass
class Table:
    """Who a meeting sentence seats: principals by encounter, and delegates."""

    groups: list[list[str]] = field(default_factory=list)
    delegates: list[str] = field(default_factory=list)


def parties(ctx: Context, sent: Sent) -> list[Ment]:
    """The mentions that can sit at a table: people (not analysts) and sides (``the Iranian side``)."""
    out: list[Ment] = []
    refs = [r for r in sent.mentions if r.kind == "ref"]
    for m in sent.mentions:
        if any(r.key != m.key and r.tok_start <= m.tok_start and m.tok_end <= r.tok_end for r in refs):
            continue  # "Lavrov" in "Lavrov's Chinese counterpart" is not the one met
        if (ctx.is_person(m.key) and ctx.cls(m.key) != "Expert") or (m.kind == "ref" and ctx.cls(m.key) == "Country"):
            out.append(m)
    return out


def seat(ctx: Context, sent: Sent, tok: Token) -> Table:
    """Principals and delegates of the meeting ``tok`` names, read from its sentence."""
    ments = parties(ctx, sent)
    witnesses = _after(ctx, sent, ments, "witnesses")
    subjects, objects, split = _parse_parties(ctx, ments, tok, set(witnesses))
    extra = _after(ctx, sent, ments, "delegation_leaders") + _mediators(ctx, sent, ments) + _sides(ctx, sent, tok)
    principals = _unique(subjects + objects + extra)
    countries = {ctx.country_of(p) for p in principals} - {None}
    delegates = [w for w in witnesses if ctx.country_of(w) in countries and w not in principals]
    principals += [w for w in witnesses if w not in delegates and w not in principals]
    if phrase_spans(ctx, sent, "delegation_cues"):  # "accompanied by", "present at the talks were"
        delegates += [m.key for m in ments if m.key not in principals and ctx.is_person(m.key)]
    delegates += [d for d in _side_members(ctx, sent, ments) if d not in principals]
    delegates = _unique(delegates)
    if len(principals) < 2 and not split:
        speakers = set(participants(ctx, sent)) | set(principals)  # the sentence's people, not its speakers
        principals = _unique([m.key for m in ments if m.key in speakers and m.key not in delegates])
    if split and subjects and len(objects) > 1:
        groups = [_unique(subjects + [o] + extra) for o in objects]
    else:
        groups = [principals]
    return Table(groups=groups, delegates=delegates)


def _unique(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))


def _keys_at(ments: list[Ment], toks: list[Token]) -> list[str]:
    idx = {t.i for t in toks}
    return _unique([m.key for m in ments if any(i in idx for i in range(m.tok_start, m.tok_end))])


def _parse_parties(ctx: Context, ments: list[Ment], tok: Token, witnesses: set[str]) -> tuple[list[str], list[str], bool]:
    """The trigger's subjects and objects from the parse (not its witnesses), and whether its
    objects were met one by one (``met Y, and later Z``, ``separate talks with Y and Z``)."""
    verb = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    subj_toks = subject_tokens(verb)
    obj_toks = phrase(tok) + ([t for c in verb.children if c.dep_ in {"dobj", "prep", "dative"} for t in phrase(c)]
                              if verb is not tok else [])
    subjects = _keys_at(ments, subj_toks)
    objects = [k for k in _keys_at(ments, obj_toks) if k not in subjects and k not in witnesses]
    cues = ctx.res.lexicon.cue("separate_meetings")
    near = [c for c in (*tok.children, *verb.children) if c.dep_ in {"amod", "advmod"}]
    split = any(t.lower_ in cues for t in [*obj_toks, *near] if t.i > tok.i or t.dep_ == "amod")
    if not subjects and len(objects) > 1 and tok.pos_ == "NOUN" and split:
        subjects = _keys_at(ments, subject_tokens(verb))  # "held separate talks with Y and Z"
    return subjects, objects, split


def _after(ctx: Context, sent: Sent, ments: list[Ment], cue: str) -> list[str]:
    """People named in the phrase a cue opens (``led by X and Y``, ``in the presence of X``):
    the cue's last word's subtree, else the names right after it."""
    out: list[str] = []
    for start, end in phrase_spans(ctx, sent, cue):
        last = ctx.doc[end - 1]
        reach = [t for t in last.subtree if t.i >= end] or list(ctx.doc[end:min(end + 8, sent.span.end)])
        out += [k for k in _keys_at(ments, reach) if k not in out]
    return out


def _mediators(ctx: Context, sent: Sent, ments: list[Ment]) -> list[str]:
    """``with X mediating`` (the name before the word) and ``mediated by X`` (after it)."""
    out = _after(ctx, sent, ments, "mediators")
    for start, _ in phrase_spans(ctx, sent, "mediators"):
        out += [m.key for m in ments if start - 1 <= m.tok_end <= start and m.key not in out]
    return out


def _side_members(ctx: Context, sent: Sent, ments: list[Ment]) -> list[str]:
    """``from the Russian side were X, Y``, ``on the Iranian side, X``: that side's people named
    in the sentence."""
    doc = ctx.doc
    out: list[str] = []
    for m in sent.mentions:
        if m.kind != "demonym" or m.tok_start < 2 or m.tok_end >= len(doc):
            continue
        if doc[m.tok_start - 1].lower_ == "the" and doc[m.tok_start - 2].lower_ in {"from", "on"} and \
                doc[m.tok_end].lower_ in ctx.res.lexicon.cue("side_words"):
            out += [p.key for p in ments if ctx.country_of(p.key) == m.key and p.kind != "ref" and p.key not in out]
    return out


def _sides(ctx: Context, sent: Sent, tok: Token) -> list[str]:
    """``Russian and Ukrainian delegations held talks``: each side named by its country word on
    the trigger's subject or object, as that side's named principal (else the country)."""
    side_words = ctx.res.lexicon.cue("side_words")
    out: list[str] = []
    for m in sent.mentions:
        if m.kind != "demonym":
            continue
        head = ctx.doc[m.tok_end - 1]
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        noun = head.head
        if head.dep_ == "amod" and noun.lemma_.lower() in side_words and (noun.head.i == tok.i or noun.head.i == tok.head.i
                                                                          or tok.head.i == noun.i):
            key = side_of(ctx, m.key, None)
            if key not in out:
                out.append(key)
    return out
