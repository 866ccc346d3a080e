"""Which sides a later "the two sides" means: groups named together, and references back to them.

News names the pair once (``The European Union and Japan closed their summit``, ``China-ASEAN
cooperation``, ``President Lee and Prime Minister Ishiba agreed``) and then only refers to it:
``the two partners``, ``both blocs``, ``the two co-chairs``. A *group* is a set of sides named in
one coordination (conjuncts, ``between X and Y``) or one hyphenated compound; a *group reference* is
a definite plural noun phrase counted by ``two``/``three``/``both`` whose head names parties
(``cues.party_nouns`` or a role word). The reference means the latest group of that size.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from kg.extract.context import Context, Ment, Sent
from kg.extract.text import fold

_COUNTS = {"two": 2, "three": 3, "four": 4, "both": 2}
_DEFINITE = {"the", "their", "these", "those", "its", "our"}
_HYPHENS = {"-", "–", "—"}


def side_of(ctx: Context, m: Ment) -> str | None:
    """The side a mention stands for: its country, or an international organisation itself."""
    country = ctx.country_of(m.key)
    if country is not None:
        return country
    ent = ctx.entity(m.key)
    if ent is not None and ent.cls == "Organization" and not ent.affiliation and not ent.located_in:
        return m.key
    return None


def hyphen_partner(ctx: Context, sent: Sent, m: Ment) -> bool:
    """``China-ASEAN cooperation``, ``the EU-Japan summit``: the mention is one half of a hyphenated
    pair of sides."""
    doc = ctx.doc
    for other in sent.mentions:
        if other is m or side_of(ctx, other) is None:
            continue
        if other.tok_end + 1 == m.tok_start and doc[other.tok_end].text in _HYPHENS:
            return True
        if m.tok_end + 1 == other.tok_start and doc[m.tok_end].text in _HYPHENS:
            return True
    return False


def groups_in(ctx: Context, sent: Sent, passing: Callable[[Ment], bool]) -> list[list[str]]:
    """The groups of two or more distinct sides the sentence names together, in reading order;
    mentions ``passing`` accepts (a speaker, the "European Commission" of a title) are left out."""
    by_head: dict[int, list[str]] = {}
    doc = ctx.doc
    last: tuple[Ment, int] | None = None
    for m in sent.mentions:
        if m.kind == "pronoun" or passing(m):
            continue
        side = side_of(ctx, m)
        if side is None:
            continue
        # both halves of "X-Y" share one (negative) anchor; conjuncts share their first conjunct
        anchor = -1 - _hyphen_anchor(sent, m) if hyphen_partner(ctx, sent, m) else _first_conjunct(doc[m.tok_end - 1]).i
        if last is not None and _joined_by_and(ctx, last[0], m):
            anchor = last[1]  # "between ASEAN (...) and the GCC": joined in the text, whatever the parse says
        last = (m, anchor)
        members = by_head.setdefault(anchor, [])
        if side not in members:
            members.append(side)
    return [g for g in by_head.values() if len(g) >= 2]


def _joined_by_and(ctx: Context, first: Ment, second: Ment) -> bool:
    """Only ``and`` (with articles, commas, brackets and the words of other names) between two mentions."""
    between = ctx.doc[first.tok_end:second.tok_start]
    words = {t.lower_ for t in between if not t.is_punct}
    return "and" in words and words <= {"and", "the"} | _acronyms(between)


def _acronyms(span: Span) -> set[str]:
    """Bracketed all-capital words (``(ASEAN)``): an acronym repeating the name before it."""
    return {t.lower_ for t in span if t.text.isupper() and t.i > span.start and span.doc[t.i - 1].text == "("}


def _hyphen_anchor(sent: Sent, m: Ment) -> int:
    """One id for both halves of ``X-Y``: the start of the first half."""
    starts = [o.tok_start for o in sent.mentions if o.tok_end + 1 == m.tok_start]
    return starts[0] if starts else m.tok_start


def _first_conjunct(tok: Token) -> Token:
    """The first of the conjuncts ``tok`` belongs to (itself when it is in none), past compounds and
    a title's head (``President Lee Jae-myung and Prime Minister Shigeru Ishiba``)."""
    for _ in range(6):
        if tok.dep_ in {"conj", "compound", "flat", "appos"} and tok.head.i != tok.i:
            tok = tok.head
        else:
            break
    return tok


def group_ref(ctx: Context, sent: Sent) -> tuple[int, Token] | None:
    """A definite counted reference to parties (``the two sides``, ``both blocs``, ``the two``):
    its count and its head token; an uncounted subject (``The leaders reviewed ...``) counts 0."""
    parties = ctx.res.lexicon.cue("party_nouns")
    roles = ctx.res.lexicon.roles
    for tok in sent.span:
        count = _COUNTS.get(tok.lower_)
        if count is None:
            if _uncounted_subject(tok, parties, roles):
                return 0, tok
            continue
        head = tok.head if tok.dep_ in {"nummod", "det", "predet", "preconj", "quantmod"} else tok
        definite = tok.lower_ == "both" or any(c.lower_ in _DEFINITE for c in head.children if c.dep_ in {"det", "poss"})
        if not definite:
            continue
        if head is tok and tok.dep_ in {"nsubj", "nsubjpass"}:
            return count, tok  # "the two agreed", "both signed"
        lemma = fold(head.lemma_)
        if head is not tok and head.tag_ in {"NNS", "NNPS"} and (lemma in parties or (lemma,) in roles):
            return count, head
    return None


def _uncounted_subject(tok: Token, parties: frozenset[str], roles: dict[tuple[str, ...], str]) -> bool:
    """``The leaders reviewed ...``, ``The co-chairs agreed ...``: a plural party noun after ``the``,
    uncounted and unqualified, as a subject."""
    if tok.dep_ not in {"nsubj", "nsubjpass"} or tok.tag_ != "NNS":
        return False
    lemma = fold(tok.lemma_)
    kids = [c for c in tok.children if c.dep_ not in {"punct"}]
    return (lemma in parties or (lemma,) in roles) and [c.lower_ for c in kids] == ["the"]


def fits(ctx: Context, head: Token, group: list[str]) -> bool:
    """Whether a group is of the kind the reference's head names: ``the two blocs`` are
    organisations, ``the two countries`` include a country; ``the two sides`` may be any."""
    lemma = fold(head.lemma_)
    classes = {ctx.cls(side) for side in group}
    if lemma in ctx.res.lexicon.cue("bloc_nouns"):
        return classes == {"Organization"}
    if lemma in ctx.res.lexicon.cue("country_nouns"):
        return "Country" in classes
    return True


def extras_beside(ctx: Context, sent: Sent, head: Token, group: list[str]) -> list[str]:
    """Sides joined to a group reference in the same clause: its conjuncts (``the two and Japan``) and
    the agent of its verb (``the two were joined by Austin``)."""
    out: list[str] = []
    doc = ctx.doc
    for m in sent.mentions:
        side = side_of(ctx, m)
        if side is None or side in group or side in out:
            continue
        tok = doc[m.tok_end - 1]
        root = _first_conjunct(tok)
        joined = root.i == head.i or (root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.head.i == head.head.i)
        if joined:
            out.append(side)
    return out


def meeting_groups(ctx: Context) -> dict[int, list[list[str]]]:
    """The sides of each meeting or call the events stage read, by the index of each sentence telling it.

    ``Modi held a bilateral with Malaysian Prime Minister Anwar Ibrahim. The two prime ministers
    discussed trade``: the pair is named in no coordination, but the meeting joins them, so a later
    ``the two leaders`` means its participants' countries (two people of one country are one side)."""
    kinds = ctx.res.lexicon.cue("pair_meeting_classes")
    out: dict[int, list[list[str]]] = {}
    for ev in ctx.extraction.events:
        if fold(ev.cls) not in kinds:
            continue
        sides: list[str] = []
        for key in ev.participants:
            side = ctx.country_of(key)
            if side is not None and side not in sides:
                sides.append(side)
        if len(sides) < 2:
            continue
        for evidence in ev.evidence:
            sent = ctx.sentence_at(evidence.start)
            if sent is not None and sides not in out.setdefault(sent.index, []):
                out[sent.index].append(sides)
    return out
