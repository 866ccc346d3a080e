"""Who sat at the table: the principals of a meeting (one group per encounter) and its delegates.

The principals are the trigger's subject and objects in the parse (``X met Y``, ``talks
with Y``, ``X was received by Y``), the leaders of delegations (``delegations led by X and
Y``), mediators and hosts (``with X mediating``, ``hosted by X``) and a third country's
witness (``in the presence of X``). Counterparts met one by one (``X met Y, and later Z``,
``received each leader separately``) make one group each. The wider delegation (``Present at
the talks from the Russian side were ...``, ``accompanied by``, a side's own witness) are
delegates. Every word list lives in ``ontology/lexicon.yaml`` (``cues:``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from kg.extract.context import Context, Ment, Sent
from kg.extract.eventkit import MEETINGS, participants, phrase, phrase_spans, subject_tokens
from kg.extract.pairs import group_word, pair_of
from kg.extract.references import side_of


@dataclass
class Table:
    """Who a meeting sentence seats: principals by encounter, and delegates."""

    groups: list[list[str]] = field(default_factory=list)
    delegates: list[str] = field(default_factory=list)
    from_parse: bool = True  # False when the principals are only "the people this sentence names"


def parties(ctx: Context, sent: Sent, tok: Token | None = None) -> list[Ment]:
    """The mentions that can sit at a table: people (not analysts) and sides (``the Iranian side``),
    but not a name inside a reference (``Lavrov's counterpart``) or a possessor (``Biden's
    coordinator``) unless it owns the trigger itself (``Putin's talks``)."""
    out: list[Ment] = []
    refs = [r for r in sent.mentions if r.kind == "ref"]
    for m in sent.mentions:
        if m.kind != "ref" and any(r.key != m.key and r.tok_start <= m.tok_start and m.tok_end <= r.tok_end for r in refs):
            continue
        owner = [t for t in ctx.doc[m.tok_start:m.tok_end] if t.dep_ == "poss" and not m.tok_start <= t.head.i < m.tok_end
                 and _possessive(t)]
        if owner and (tok is None or owner[0].head.i != tok.i):
            continue
        if (ctx.is_person(m.key) and ctx.cls(m.key) != "Expert") or (m.kind == "ref" and ctx.cls(m.key) == "Country"):
            out.append(m)
    return out


def _possessive(tok: Token) -> bool:
    """A possessor the text marks (``Biden's``, ``his``), not a parse that reads ``Russia's
    Vladimir Putin and Ukraine's Volodymyr Zelensky`` as Putin's Zelensky."""
    return tok.pos_ == "PRON" or tok.tag_ == "PRP$" or any(c.dep_ == "case" for c in tok.children)


def seat(ctx: Context, sent: Sent, tok: Token, *, sole: bool = True) -> Table:
    """Principals and delegates of the meeting ``tok`` names, read from its sentence (``sole``:
    the sentence has no other meeting word, so its people may stand in for a parse that fails)."""
    ments = parties(ctx, sent, tok)
    witnesses = _after(ctx, sent, ments, "witnesses")
    subjects, objects, split = _parse_parties(ctx, ments, tok, set(witnesses))
    separate = [k for k in _separate(ctx, sent, ments, tok) if k not in subjects]
    extra = [k for k in _after(ctx, sent, ments, "delegation_leaders") + _mediators(ctx, sent, ments) + _sides(ctx, sent, tok)
             if k not in subjects]
    company = _company(ctx, ments, tok)
    principals = [k for k in _unique(subjects + objects + extra) if k not in company]
    delegates = _unique(company + _delegates(ctx, sent, ments, principals, witnesses))
    principals += [w for w in witnesses if w not in delegates and w not in principals]
    from_parse = len(principals) >= 2
    if not from_parse and not split and not separate and sole and not _country_subjects(ctx, sent, tok):
        speakers = set(participants(ctx, sent)) | set(principals)  # the sentence's people, not its speakers
        principals = _unique([m.key for m in ments if m.key in speakers and m.key not in delegates])
    if separate:
        base = [k for k in principals if k not in separate]
        groups = ([base] if len(base) >= 2 else []) + [_unique(subjects + [k]) for k in separate]
    elif split and subjects and len(objects) > 1:
        groups = [_unique(subjects + [o]) for o in objects]
    else:
        groups = [principals]
    return Table(groups=groups, delegates=delegates, from_parse=from_parse or bool(separate))


def _country_subjects(ctx: Context, sent: Sent, tok: Token) -> bool:
    """``Iran and the United States held talks``: the countries are the sides, so the people the
    sentence names otherwise (``under President Trump``, a mediator) are not the table."""
    idx = {t.i for t in subject_tokens(governing_verb(tok))}
    return sum(1 for m in sent.mentions if m.kind == "name" and ctx.cls(m.key) == "Country" and m.tok_start in idx) >= 2


def _delegates(ctx: Context, sent: Sent, ments: list[Ment], principals: list[str], witnesses: list[str]) -> list[str]:
    """A side's own witnesses, the people a delegation cue introduces, and ``from the Russian
    side were ...``: whoever is not a principal."""
    countries = {ctx.country_of(p) for p in principals} - {None}
    out = [w for w in witnesses if ctx.country_of(w) in countries and w not in principals]
    if phrase_spans(ctx, sent, "delegation_cues") or _accompanied(ctx, sent):
        out += [m.key for m in ments if m.key not in principals and ctx.is_person(m.key)]
    out += [d for d in _side_members(ctx, sent, ments) if d not in principals]
    return _unique(out)


def _accompanied(ctx: Context, sent: Sent) -> bool:
    """``Trump, who was joined by Vance``: one principal's company (not ``the two were joined by
    Austin for a trilateral``, where the newcomer is a party)."""
    for start, _ in phrase_spans(ctx, sent, "company_cues"):
        verb = ctx.doc[start]
        subj = subject_tokens(verb)
        if subj and not group_word(ctx, subj):
            return True
    return False


def _company(ctx: Context, ments: list[Ment], tok: Token) -> list[str]:
    """``X was joined at the meeting by Y``, ``X, accompanied by Y``: the people of the passive
    agent of a verb of company who are of the subject's country (not the pair, ``the two were
    joined by Z``; nor a third country's leader, who joins as a party)."""
    verb = governing_verb(tok)
    verbs = [v for v in (verb, *verb.children, *tok.children) if v.lemma_.lower() in ctx.res.lexicon.cue("company_verbs")]
    out: list[str] = []
    for v in verbs:
        subj = subject_tokens(v) if v.i == verb.i else []
        if group_word(ctx, subj):
            continue
        agents = [t for c in _agents(v) for t in c.subtree]
        home = {ctx.country_of(k) for k in _keys_at(ments, subj)} - {None}
        out += [k for k in _keys_at(ments, agents) if ctx.country_of(k) in home | {None}]  # a third country's joins as a party
    return _unique(out)


def _agents(verb: Token) -> list[Token]:
    """The ``by`` phrases of a passive verb, also where the parse hangs them on a phrase of the
    verb's own (``was joined at the meeting by Y``)."""
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children) or verb.tag_ == "VBN"
    out = []
    for t in verb.subtree:
        if t.dep_ == "agent" or (passive and t.dep_ == "prep" and t.lower_ == "by"):
            owner = _verb_of(t)
            if owner is not None and owner.i == verb.i:
                out.append(t)
    return out


def _unique(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))


def _keys_at(ments: list[Ment], toks: list[Token]) -> list[str]:
    idx = {t.i for t in toks}
    return _unique([m.key for m in ments if any(i in idx for i in range(m.tok_start, m.tok_end))])


def governing_verb(tok: Token) -> Token:
    """The verb a trigger hangs on: itself, its head (``held talks``), or the head of its
    preposition (``brought them together for a meeting``)."""
    if tok.pos_ in {"VERB", "AUX"}:
        return tok
    if tok.dep_ == "pobj":  # "for a meeting" is the verb's; "after Trump's summit" only dates it
        joined = tok.head.lower_ in {"for", "in", "into", "during", "at"} and tok.head.head.pos_ in {"VERB", "AUX"}
        amount = tok.head.head  # "held an hour of talks", "held two rounds of talks"
        if tok.head.lower_ == "of" and amount.dep_ == "dobj" and amount.head.pos_ in {"VERB", "AUX"} and not any(
                c.dep_ == "poss" for c in amount.children):
            return amount.head
        return tok.head.head if joined else tok
    return tok.head


def _parse_parties(ctx: Context, ments: list[Ment], tok: Token, witnesses: set[str]) -> tuple[list[str], list[str], bool]:
    """The trigger's subjects and objects from the parse (not its witnesses), and whether its
    objects were met one by one (``separate talks with Y and Z``, ``received each separately``).
    A group word among them (``the two leaders``, ``each leader``) stands for the pair named before."""
    verb = _after_talks(ctx, ments, tok) or governing_verb(tok)
    owned = any(c.dep_ == "poss" and any(m.tok_start <= c.i < m.tok_end for m in ments) for c in tok.children)
    subj_toks = [] if owned or verb is tok and tok.pos_ not in {"VERB", "AUX"} else subject_tokens(verb)
    obj_toks = _objects(ctx, tok) + (_objects(ctx, verb, skip=tok) if verb is not tok else [])
    subjects = _keys_at(ments, subj_toks)
    objects = [k for k in _keys_at(ments, obj_toks) if k not in subjects and k not in witnesses]
    cues = ctx.res.lexicon.cue("one_by_one")
    near = [c for c in (*tok.children, *verb.children) if c.dep_ in {"amod", "advmod"}]
    sent = ctx.sentence_at(tok.idx)
    split = any(t.lower_ in cues for t in near) or any(  # "met each delegation in turn"
        start > tok.i and end - start > 1 for start, end in (phrase_spans(ctx, sent, "one_by_one") if sent else []))
    if not objects:  # "as the prime minister met him": the person named before, not the subject
        objects = [k for k in _object_pronoun(ctx, obj_toks, subjects) if k not in witnesses]
    if len(subjects) + len(objects) < 2:  # "Trump and Xi shook hands, their first meeting since ..."
        subjects += [k for k in _keys_at(ments, their_clause(tok)) if k not in subjects and k not in objects]
    if len(subjects) + len(objects) < 2 and group_word(ctx, obj_toks + subj_toks):
        objects += [k for k in pair_of(ctx, ctx.sentence_at(tok.idx), subjects + objects, obj_toks + subj_toks)  # type: ignore[arg-type]
                    if k not in objects]
    return subjects, objects, split


def _object_pronoun(ctx: Context, toks: list[Token], subjects: list[str]) -> list[str]:
    """``met him``, ``talks with her``: a person named before the pronoun (this sentence and two
    before), not a subject of the meeting: one of another country than the subjects' (a meeting
    is between sides) first, then one who was a subject there, then the last named."""
    pron = next((t for t in toks if t.lower_ in {"him", "her"} and t.dep_ in {"dobj", "pobj"}), None)
    sent = ctx.sentence_at(pron.idx) if pron is not None else None
    if pron is None or sent is None:
        return []
    at = ctx.sents.index(sent)
    home = {ctx.country_of(k) for k in subjects} - {None}
    cands = [m for s in reversed(ctx.sents[max(0, at - 2):at + 1]) for m in reversed(s.mentions)
             if m.tok_start < pron.i and ctx.is_person(m.key) and ctx.cls(m.key) != "Expert" and m.key not in subjects]
    if not cands:
        return []

    def rank(m: Ment) -> tuple[bool, bool]:
        subject = any(t.dep_ in {"nsubj", "nsubjpass"} for t in ctx.doc[m.tok_start:m.tok_end])
        return bool(home) and ctx.country_of(m.key) not in home, subject

    return [max(cands, key=rank).key]  # max keeps the nearest of equal rank


def their_clause(tok: Token) -> list[Token]:
    """Who ``their`` is in ``X and Y shook hands, their first meeting`` or ``X rode with Y to their
    talks``: the subjects of the clause the phrase hangs on, and whom that verb is ``with``."""
    if not any(c.dep_ == "poss" and c.lower_ == "their" for c in tok.children) or tok.dep_ not in {"appos", "npadvmod", "pobj"}:
        return []
    node = tok.head
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        node = node.head
    if node.pos_ not in {"VERB", "AUX"}:
        return []
    return subject_tokens(node) + [t for c in node.children if c.dep_ == "prep" and c.lower_ == "with" for t in phrase(c)]


def _verb_of(tok: Token) -> Token | None:
    """The nearest verb ``tok`` hangs on."""
    return next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), None)


def _after_talks(ctx: Context, ments: list[Ment], tok: Token) -> Token | None:
    """``After talks at the palace, the two leaders announced ...``: a meeting word of a time
    phrase that names no one is the main verb's subjects' (``after talks with X`` is X's)."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ not in ctx.res.lexicon.cue("after_meeting_preps"):
        return None
    if prep.head.pos_ not in {"VERB", "AUX"}:
        return None
    if any(c.dep_ in {"det", "poss"} for c in tok.children) or _keys_at(ments, _objects(ctx, tok)):
        return None
    return prep.head


def _objects(ctx: Context, head: Token, skip: Token | None = None) -> list[Token]:
    """Who a meeting word or its verb is with: the word itself, its owner, object and agent, and
    its ``with``/``between`` phrases (not ``after Trump's summit with Putin`` or ``in X``; nor,
    for the verb, the meeting word ``skip`` again: ``held talks under President X``)."""
    out = [head]
    for c in head.children:
        if skip is not None and c.i == skip.i:
            out.append(c)
        elif (c.dep_ in {"dobj", "dative", "agent", "poss", "nsubjpass"}
                or (c.dep_ == "prep" and c.lower_ in ctx.res.lexicon.cue("meeting_preps"))
                or (c.dep_ == "conj" and c.pos_ in {"PROPN", "NOUN"})):
            out += phrase(c)
        elif c.dep_ in {"dep", "appos"} and c.left_edge.i > 0 and ctx.doc[c.left_edge.i - 1].text == ":":
            out += list(c.subtree)  # "hosting the European leaders in the East Room: Starmer, Macron, ..."
    members = ctx.res.lexicon.cue("member_verbs")
    sides = [o for o in out if o.i != head.i] + [c for o in out if o.i != head.i for c in o.children if c.dep_ == "conj"]
    return out + [t for o in sides for r in o.children if r.dep_ in {"relcl", "acl", "prep"}  # "Y and a team that
                  and r.lemma_.lower() in members for t in r.subtree]  # included Z": Z is at the table


def _separate(ctx: Context, sent: Sent, ments: list[Ment], tok: Token) -> list[str]:
    """``met Y ..., and later Z``, ``spoke with Y, and separately with Z``: the people named just
    after a word of sequence that follows the trigger (read from the words, since the parse often
    hangs such a tail on the wrong verb)."""
    named = {i for m in ments for i in range(m.tok_start, m.tok_end)}
    out: list[str] = []
    for t in ctx.doc[tok.i + 1:sent.span.end]:
        after = _sequence_word(ctx, t) if t.i not in named else None
        if after is None:
            continue
        first = after + 1 + (ctx.doc[after + 1].text == "," if after + 1 < sent.span.end else 0)
        end = next((u.i for u in ctx.doc[first:sent.span.end] if u.text in {",", ";", "."} or u.dep_ == "cc"),
                   sent.span.end)  # the rest of that clause: "and later the team led by X"
        out += [m.key for m in ments if after < m.tok_start < end and m.key not in out]
    return out


def _sequence_word(ctx: Context, t: Token) -> int | None:
    """Where a tail of another encounter opens (the index its people come after): ``and later``,
    ``, separately`` (an adverb after ``and`` or a comma), or ``and, in a separate call,`` (the
    adjective of a meeting word whose phrase follows ``and`` or a comma)."""
    doc, lex = ctx.doc, ctx.res.lexicon
    if t.pos_ == "ADV" and t.lower_ in lex.cue("separate_meetings"):
        return t.i if doc[t.i - 1].lower_ in {"and", ","} else None
    noun = t.head
    if (t.dep_ != "amod" or t.lower_ not in lex.cue("one_by_one")
            or lex.events.get((noun.lemma_.lower(),)) not in MEETINGS):
        return None
    opener = noun.head if noun.dep_ == "pobj" else noun
    return noun.i if opener.i > 0 and doc[opener.left_edge.i - 1].lower_ in {"and", ","} else None


def _after(ctx: Context, sent: Sent, ments: list[Ment], cue: str) -> list[str]:
    """People named in the phrase a cue opens (``led by X and Y``, ``in the presence of X``):
    the cue's last word's subtree, else the names right after it."""
    out: list[str] = []
    for _start, end in phrase_spans(ctx, sent, cue):
        last = ctx.doc[end - 1]
        reach = [t for t in last.subtree if t.i >= end] or list(ctx.doc[end:min(end + 8, sent.span.end)])
        out += [k for k in _keys_at(ments, reach) if k not in out]
    return out


def _mediators(ctx: Context, sent: Sent, ments: list[Ment]) -> list[str]:
    """``with X mediating``, ``with X signing as a witness`` (the name just before the word)
    and ``mediated by X`` (after it)."""
    out = _after(ctx, sent, ments, "mediators")
    for start, _ in phrase_spans(ctx, sent, "mediators") + phrase_spans(ctx, sent, "witness_roles"):
        out += [m.key for m in ments if start - 2 <= m.tok_end <= start and m.key not in out]
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
        near = {tok.i, governing_verb(tok).i}
        marker = m.tok_start >= 2 and ctx.doc[m.tok_start - 2].lower_ in {"from", "on"}  # "from the Russian side were"
        if head.dep_ == "amod" and noun.lemma_.lower() in side_words and not marker and (
                noun.head.i in near or noun.head.head.i in near or noun.i == tok.head.i):
            key = side_of(ctx, m.key, None)
            if key not in out:
                out.append(key)
    return out
