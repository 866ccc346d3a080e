"""Who a group word stands for: ``the two leaders``, ``each leader``, ``them``, ``both sides``.

A group word at a meeting's table stands for people told before it: the parties of a meeting
this sentence told already, else the people the sentence itself has in the roles of doing and
receiving before the word (``X handed Y a letter from Z ..., as the two leaders opened talks``:
X and Y, not Z), else those of the meeting told last, else the last two people named. A group
noun of an office (``the two leaders``, ``the two ministers``: the lexicon's
``leader_group_nouns`` and ``official_group_nouns``) prefers people of that rank.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from kg.extract.context import Context, Ment, Sent
from kg.extract.eventkit import meetings_told
from kg.extract.parse import claimants_of

_ARGUMENTS = {"nsubj", "nsubjpass", "dobj", "dative", "iobj"}  # doing and receiving, not "a letter from Z"


def group_word(ctx: Context, toks: list[Token]) -> bool:
    """``the two leaders``, ``each leader``, ``them``: a word for the people named before."""
    words = " " + " ".join(t.lower_ for t in sorted(toks, key=lambda t: t.i)) + " "
    phrases = [" ".join(p) for p in ctx.res.lexicon.group_refs.phrases] + list(ctx.res.lexicon.cue("meeting_group_refs"))
    return any(f" {p} " in words for p in phrases)


def pair_of(ctx: Context, sent: Sent, named: list[str], toks: list[Token]) -> list[str]:
    """The people the group word among ``toks`` stands for (``named``: the parties already read)."""
    told = [p for e in meetings_told(ctx, sent) for p in e.participants if p not in named]
    if told:
        return list(dict.fromkeys(told))
    fits = _rank(ctx, toks)
    start = min((t.i for t in toks), default=sent.span.end)
    return (_in_sentence(ctx, sent, named, start, fits) or _last_pair_met(ctx, sent, named)
            or last_pair(ctx, sent, not_=named, fits=fits))


def _rank(ctx: Context, toks: list[Token]) -> Callable[[str], bool]:
    """Whether a person is of the rank the group noun says (any person when it says none)."""
    lemmas = " " + " ".join(t.lemma_.lower() for t in sorted(toks, key=lambda t: t.i)) + " "
    lex = ctx.res.lexicon
    for cue, cls in (("leader_group_nouns", "Leader"), ("official_group_nouns", "Official")):
        if any(f" {p} " in lemmas for p in lex.cue(cue)):
            return lambda key, cls=cls: ctx.cls(key) == cls  # type: ignore[misc]
    return lambda key: True


def _prefer(people: list[str], fits: Callable[[str], bool]) -> list[str]:
    """The people of the right rank when two or more are, else all of them."""
    ranked = [p for p in people if fits(p)]
    return ranked if len(ranked) >= 2 else people


def _in_sentence(ctx: Context, sent: Sent, named: list[str], start: int, fits: Callable[[str], bool]) -> list[str]:
    """The last two people this sentence has as subjects or objects before the group word."""
    speakers = set(claimants_of(ctx, sent))
    people = [m.key for m in sent.mentions if m.tok_end <= start and _argument(ctx, m) and ctx.is_person(m.key)
              and ctx.cls(m.key) != "Expert" and m.key not in speakers and m.key not in named]
    people = _prefer(list(dict.fromkeys(reversed(people))), fits)
    return people[:2][::-1] if len(people) >= 2 else []


def _argument(ctx: Context, m: Ment) -> bool:
    """A mention that is a subject or object of its verb (or joined or set beside one: ``X and Y``,
    a dateline the parser read as the subject)."""
    root = next((t for t in ctx.doc[m.tok_start:m.tok_end] if not m.tok_start <= t.head.i < m.tok_end), None)
    while root is not None and root.dep_ in {"conj", "appos"} and root.head.i != root.i:  # "CITY (AP) — X handed"
        root = root.head
    return root is not None and (root.dep_ in _ARGUMENTS or (root.dep_ == "pobj" and root.head.lower_ == "with"))


def _last_pair_met(ctx: Context, sent: Sent, named: list[str]) -> list[str]:
    """The parties of the meeting or call told last, at most three sentences back (``Trump
    phoned Putin ... the two presidents discussed``; ``X and Y agreed ..., in their summit. X
    arrived on Friday. He flies on to meet Z. The two leaders first sat down ...``), rather than
    the last two people named there: a pair, or the others of a larger table one of whose
    parties is named (``Trump hosted X and Y ... Trump received each leader separately``)."""
    at = ctx.sents.index(sent)  # its place among the body's sentences (``Sent.index`` counts blank ones too)
    for back in ctx.sents[max(0, at - 3):at][::-1]:
        tables = [e.participants for e in meetings_told(ctx, back)
                  if len(e.participants) == 2 or (named and set(named) <= set(e.participants))]
        if tables:
            return [p for p in tables[-1] if p not in named]
    return []


def last_pair(ctx: Context, sent: Sent, *, not_: list[str], fits: Callable[[str], bool] = lambda key: True) -> list[str]:
    """The last two people (not analysts, not ``not_``) named before this sentence; of the right
    rank when two such are named in the three sentences before."""
    seen: list[str] = []
    at = ctx.sents.index(sent)
    near: list[str] = []
    for back, s in enumerate(reversed(ctx.sents[:at])):
        for m in reversed(s.mentions):
            if ctx.is_person(m.key) and ctx.cls(m.key) != "Expert" and m.key not in seen and m.key not in not_:
                seen.append(m.key)
                near += [m.key] if back < 3 and fits(m.key) else []
        if len(seen) >= 2 and back >= 2:
            break
    out = near if len(near) >= 2 else seen
    return out[:2][::-1] if len(out) >= 2 else []
