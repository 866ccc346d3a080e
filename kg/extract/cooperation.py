"""Which countries cooperate on what: topic words beside two sides and a word of cooperation.

A sentence yields Cooperation when it names a topic (``drones``, ``trained``), two or more
sides (countries by name, demonym, capital, or through a person's affiliation or a
place's location), and a cue that they work together (``share``, ``interest in``,
``cooperation``). A sentence that names one side and a cue continues the previous
sentence's pair (``In return, Moscow is ready to share ...``).
"""

from __future__ import annotations

from functools import partial

from spacy.tokens import Token

from kg.extract.context import Context, Ment, Sent
from kg.extract.groups import extras_beside, fits, group_ref, groups_in, hyphen_partner, meeting_groups
from kg.extract.parse import claimants_of
from kg.extract.registry import stage
from kg.extract.text import fold
from kg.extract.topicwords import has_cue, matter_phrase, topics_in
from kg.model import Cooperation


@stage("cooperation", requires=["mentions", "claims", "events"], assigns=["cooperations"], version="2", default=True)
def find_cooperation(ctx: Context) -> None:
    """One Cooperation per (pair of sides, topic) in the article, with every evidence sentence."""
    previous: list[str] = []
    prev_cue = False  # "Space is one area where cooperation is visible. A Russian rocket launched ..."
    index: dict[tuple[frozenset[str], str], Cooperation] = {}
    groups: list[list[str]] = []  # sides named together so far ("The EU and Japan ..."), latest last
    meetings = meeting_groups(ctx)  # "X held talks with Y": the pair a later "the two leaders" means
    latest = [-1, -1]  # the sentences where the previous pair and the latest group were told
    for sent in ctx.sents:
        if sent.heading:
            continue
        topics = topics_in(ctx, sent)
        sides = _sides(ctx, sent)
        strong = has_cue(ctx, sent, strong=True)  # a strong cue is a cue ("signed a defence agreement")
        cue = strong or has_cue(ctx, sent) or (prev_cue and not _hostile(ctx, sent))
        prev_cue = strong
        ref = group_ref(ctx, sent)
        if (ref and ref[1].dep_ in {"nsubj", "nsubjpass"} or previous and _they_act(sent)) and not _hostile(ctx, sent):
            cue = True  # "the two partners promised to build ...", "They also discussed ...": the pair acting together
        fresh = latest[0] >= latest[1]  # the previous pair was told after the latest group
        referred = _referred_group(ctx, sent, ref, groups, previous, fresh) if ref and cue and len(sides) < 2 else None
        told = groups_in(ctx, sent, partial(_qualifies_person, ctx, sent)) + meetings.get(sent.index, [])
        groups.extend(told)
        latest[1] = sent.index if told else latest[1]
        if referred:
            sides = referred  # "The two partners promised ...", "Both blocs committed ..."
        elif previous and cue and len(sides) < 2 and ctx.has_phrase(sent, ctx.res.lexicon.group_refs.phrases):
            sides = previous + [c for c in sides if c not in previous]  # "the two were joined by Austin"
        elif previous and cue and len(sides) == 1 and sides[0] in previous:
            sides = previous  # "In return, Moscow is ready to share ..."
        elif previous and cue and not sides and _refers_back(ctx, sent):
            sides = previous  # "It also provides for closer cooperation between their defence industries"
        if topics and len(sides) >= 2 and cue:
            for slug, tok in topics:
                _record(ctx, sent, index, sides, slug, tok)
            previous, latest[0] = sides, sent.index  # the sides a later "they" or "the three sides" means
        elif (len(sides) == 2 or len(sides) > 2 and strong) and not (previous and set(previous) & set(sides)):
            previous, latest[0] = sides, sent.index  # "X, Y and Z signed a treaty": the sides a later "they" means


def _referred_group(ctx: Context, sent: Sent, ref: tuple[int, Token], groups: list[list[str]],
                    previous: list[str], fresh: bool) -> list[str] | None:
    """The sides a counted reference (``the two sides``, ``both blocs``) means: the latest group of
    that many sides named together, else the previous pair; with any side joined to the reference.
    An uncounted one (``The leaders ...``) means the previous pair when it is ``fresh`` (told after
    the latest group), else the latest group."""
    count, head = ref
    if count == 0:  # "The leaders ...": the pair or the group told of last
        group = previous if len(previous) >= 2 and (fresh or not groups) else next(iter(reversed(groups)), None)
        return None if group is None else list(group)
    group = next((g for g in reversed(groups) if len(g) == count and fits(ctx, head, g)), None)
    if group is None:
        group = previous if count == len(previous) and fits(ctx, head, previous) else None
    if group is None:
        return None
    return group + extras_beside(ctx, sent, head, group)


def _record(ctx: Context, sent: Sent, index: dict[tuple[frozenset[str], str], Cooperation],
            sides: list[str], slug: str, tok: Token) -> None:
    key = (frozenset(sides), slug)
    coop = index.get(key)
    if coop is None:
        coop = Cooperation(key=f"cooperation-{len(index) + 1}", topic=slug, partners=list(sides))
        index[key] = coop
        ctx.extraction.cooperations.append(coop)
        coop.provider, coop.recipient = _direction(ctx, sent, sides, tok)
    ev = ctx.evidence(sent)
    if ev not in coop.evidence:
        coop.evidence.append(ev)


def _sides(ctx: Context, sent: Sent) -> list[str]:
    """Countries the sentence names as actors, in order; a country fought over is not a side.

    When two or more countries act in the main clause (the people who act for them, or the
    subject), those are the sides and countries named in passing are left out."""
    out: list[str] = []
    core: list[str] = []
    actors: set[str] = set()
    doc = ctx.doc
    speakers = claimants_of(ctx, sent)
    subject = _main_subject(sent)
    for m in sent.mentions:
        if m.key in speakers or ctx.cls(m.key) == "Expert" or _qualifies_person(ctx, sent, m):
            continue  # who says it, an analyst's employer, or the "U.S." of a title is not a side
        country = ctx.country_of(m.key) or _bloc(ctx, sent, m, subject)
        if country is None:
            continue
        before = {fold(t.text) for t in doc[max(sent.span.start, m.tok_start - 3):m.tok_start]}
        if before & (ctx.res.lexicon.cue("conflict") | ctx.res.lexicon.cue("passing")) or _qualifies_thing(ctx, m) \
                or _subject_matter(ctx, m):
            continue  # fought over, passed through, naming a currency ("U.S. dollars"), talked about
        if country not in out:
            out.append(country)
        if _is_actor(ctx, m):
            actors.add(country)
        if (ctx.is_person(m.key) or m.tok_start in subject) and country not in core:
            core.append(country)
    if not actors:
        return []  # places alone ("forces moved from Kursk to the Donbass") name no partners
    return core if len(core) >= 2 else out


def _bloc(ctx: Context, sent: Sent, m: Ment, subject: set[int]) -> str | None:
    """An international organisation acting as one side (``The EU and the African Union agreed``,
    ``a deal between the Eurasian Economic Union and Indonesia``): the subject, or named after
    ``between`` / ``with``; its member states are not the partners, it is."""
    ent = ctx.entity(m.key)
    if ent is None or ent.cls != "Organization" or ent.affiliation or ent.located_in:
        return None
    if _qualifies_person(ctx, sent, m) or _national_body(ctx, sent, m):
        return None  # "European Commission President X", "Iraq's National Security Council"
    tok = ctx.doc[m.tok_end - 1]
    if tok.i in subject or _subject_of_a_verb(tok) or hyphen_partner(ctx, sent, m):
        return m.key  # "China-ASEAN cooperation": one half of a hyphenated pair
    for _ in range(3):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        if tok.lower_ in ctx.res.lexicon.cue("bloc_prepositions"):
            return m.key
    return None


def _national_body(ctx: Context, sent: Sent, m: Ment) -> bool:
    """``Iraq's National Security Council``, ``the Kenyan Parliament``: an organisation a country
    owns (named just before it, as a possessive or demonym) is that country's body, not a bloc."""
    doc = ctx.doc
    for other in sent.mentions:
        if other is m or ctx.country_of(other.key) is None:
            continue
        gap = doc[other.tok_end:m.tok_start]
        if other.tok_end <= m.tok_start and all(t.tag_ == "POS" for t in gap) and len(gap) <= 1:
            return True
    return False


def _qualifies_thing(ctx: Context, m: Ment) -> bool:
    """``the Ukraine crisis``, ``56 billion U.S. dollars``: a country that only qualifies a
    conflict or a currency is not a side."""
    tok = ctx.doc[m.tok_end - 1]
    if tok.dep_ not in {"compound", "nmod", "amod"} or tok.head.i < m.tok_end:
        return False
    head = fold(tok.head.text)
    return head in ctx.res.lexicon.cue("conflict") or head in ctx.res.lexicon.cue("currencies")


def _subject_matter(ctx: Context, m: Ment) -> bool:
    """``agreed to work closely on North Korea``, ``data on North Korean missile launches``, ``talks over
    Ukraine``: a country the sides deal with as a matter is not one of them."""
    return matter_phrase(ctx, m) is not None


def _subject_of_a_verb(tok: Token) -> bool:
    """``By the time the EU and Mercosur signed ...``: the subject (or a conjunct of it) of some clause."""
    for _ in range(3):
        if tok.dep_ in {"nsubj", "nsubjpass"}:
            return True
        if tok.dep_ != "conj" or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _is_actor(ctx: Context, m: Ment) -> bool:
    """A country named as such, by demonym or seat, or through a person or organisation;
    a mere place in it can add the host of a cooperation but not stand for both sides."""
    return m.kind in {"demonym", "seat"} or ctx.cls(m.key) not in {"Region", "City", "Facility", "Place"} or \
        m.key in ctx.res.gazetteer.seat_of


def _main_subject(sent: Sent) -> set[int]:
    """Token indices of the sentence root's subject (with its conjuncts and modifiers)."""
    root = sent.span.root
    return {t.i for c in root.children if c.dep_ in {"nsubj", "nsubjpass"} for t in c.subtree}


def _qualifies_person(ctx: Context, sent: Sent, m: Ment) -> bool:
    """``U.S. Secretary of State Antony Blinken``: the country only qualifies a person's title."""
    if ctx.cls(m.key) not in {"Country", "Organization"} and m.kind not in {"demonym"}:
        return False
    people = [p for p in sent.mentions if ctx.is_person(p.key) and p.kind != "pronoun"]
    tok = ctx.doc[m.tok_end - 1]
    for _ in range(4):
        if any(p.tok_start <= tok.i < p.tok_end for p in people):
            return True
        if tok.head.i == tok.i or tok.dep_ not in {"compound", "amod", "nmod", "poss", "npadvmod", "pobj", "prep"}:
            return False
        tok = tok.head
    return False


def _they_act(sent: Sent) -> bool:
    """``They also discussed ...``: the main clause's subject is ``they``."""
    root = sent.span.root
    return any(c.dep_ == "nsubj" and c.lower_ == "they" for c in root.children)


def _refers_back(ctx: Context, sent: Sent) -> bool:
    """A pronoun subject or a possessive (``It also provides``, ``their schools``) carries the pair on."""
    words = ctx.res.lexicon.cue("pair_pronouns")
    return any(t.lower_ in words and (t.dep_ in {"nsubj", "nsubjpass", "poss"} or t.tag_ == "PRP$") for t in sent.span)


def _hostile(ctx: Context, sent: Sent) -> bool:
    hostility = ctx.res.lexicon.hostility
    return any(fold(t.text) in hostility.words or t.lemma_.lower() in hostility.words for t in sent.span)


def _direction(ctx: Context, sent: Sent, sides: list[str], tok: Token) -> tuple[str | None, str | None]:
    """Who gives and who gets: the country qualifying the topic word provides it; the subject
    of a giving verb provides; the subject of a wanting verb receives."""
    if len(sides) != 2:
        return None, None
    lex = ctx.res.lexicon
    for m in sent.mentions:
        if m.kind == "demonym" and m.tok_end == tok.i and m.key in sides:
            return m.key, _other(sides, m.key)
    for t in sent.span:
        lemma = t.lemma_.lower()
        if lemma in lex.provider_verbs or lemma in lex.recipient_verbs:
            subj = [c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"}] or ([t.head] if t.dep_ == "acomp" else [])
            for s in subj:
                for m in sent.mentions:
                    country = ctx.country_of(m.key)
                    if country in sides and m.tok_start <= s.i < m.tok_end:
                        giver = lemma in lex.provider_verbs and s.dep_ == "nsubj"
                        return (country, _other(sides, country)) if giver else (_other(sides, country), country)
    return None, None


def _other(sides: list[str], one: str) -> str:
    return sides[1] if sides[0] == one else sides[0]
