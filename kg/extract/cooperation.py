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
from kg.extract.groups import extras_beside, fits, group_ref, groups_in, hyphen_partner
from kg.extract.parse import claimants_of
from kg.extract.registry import stage
from kg.extract.text import fold
from kg.model import Cooperation

_HYPHENS = frozenset({"-", "–", "—"})


@stage("cooperation", requires=["mentions", "claims"], assigns=["cooperations"], version="1", default=True)
def find_cooperation(ctx: Context) -> None:
    """One Cooperation per (pair of sides, topic) in the article, with every evidence sentence."""
    previous: list[str] = []
    prev_cue = False  # "Space is one area where cooperation is visible. A Russian rocket launched ..."
    index: dict[tuple[frozenset[str], str], Cooperation] = {}
    groups: list[list[str]] = []  # sides named together so far ("The EU and Japan ..."), latest last
    for sent in ctx.sents:
        if sent.heading:
            continue
        topics = _topics(ctx, sent)
        sides = _sides(ctx, sent)
        strong = _has_cue(ctx, sent, strong=True)  # a strong cue is a cue ("signed a defence agreement")
        cue = strong or _has_cue(ctx, sent) or (prev_cue and not _hostile(ctx, sent))
        prev_cue = strong
        ref = group_ref(ctx, sent)
        if (ref and ref[1].dep_ in {"nsubj", "nsubjpass"} or previous and _they_act(sent)) and not _hostile(ctx, sent):
            cue = True  # "the two partners promised to build ...", "They also discussed ...": the pair acting together
        referred = _referred_group(ctx, sent, ref, groups, previous) if ref and cue and len(sides) < 2 else None
        groups.extend(groups_in(ctx, sent, partial(_qualifies_person, ctx, sent)))
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
            previous = sides[:2]  # the pair a later "they" or "the two sides" means
        elif len(sides) == 2 and not (previous and set(previous) & set(sides)):
            previous = sides


def _referred_group(ctx: Context, sent: Sent, ref: tuple[int, Token], groups: list[list[str]],
                    previous: list[str]) -> list[str] | None:
    """The sides a counted reference (``the two sides``, ``both blocs``) means: the latest group of
    that many sides named together, else the previous pair; with any side joined to the reference."""
    count, head = ref
    if count == 0:  # "The leaders ...": the pair told of last, else the latest group
        group = previous if len(previous) == 2 else next(iter(reversed(groups)), None)
        return None if group is None else list(group)
    group = next((g for g in reversed(groups) if len(g) == count and fits(ctx, head, g)), None)
    if group is None:
        group = previous if count == 2 and len(previous) == 2 and fits(ctx, head, previous) else None
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


def _topics(ctx: Context, sent: Sent) -> list[tuple[str, Token]]:
    """Topic slugs signalled in the sentence, with the token that signalled each."""
    triggers = ctx.res.topic_triggers
    toks = [t for t in sent.span if t.text not in _HYPHENS]  # "visa-free" is three tokens, one trigger
    forms = [fold(t.text) for t in toks]
    lemmas = [t.lemma_.lower() for t in toks]
    found: dict[str, Token] = {}
    weak_only: set[str] = set()
    named = {i for m in sent.mentions if m.kind == "name" and ctx.cls(m.key) != "Facility"
             for i in range(m.tok_start, m.tok_end)}  # "the El Dabaa nuclear power plant" names its topic
    named |= _background(ctx, sent)  # "... since Moscow sent troops into Ukraine": not this sentence's topic
    i = 0
    while i < len(toks):
        step = 1
        if toks[i].i in named or _in_a_title(ctx, toks[i]):  # "World Trade Organization", "trade minister"
            i += 1
            continue
        for n in range(min(ctx.res.max_trigger_len, len(toks) - i), 0, -1):
            words = tuple(forms[i:i + n])
            if n == 1 and words not in triggers and toks[i].pos_ == "NOUN":
                words = (lemmas[i],)  # plural nouns: "satellites" -> "satellite"
            slug = triggers.get(words)
            if slug:
                weak = words in ctx.res.weak_triggers or (toks[i].pos_ == "NOUN" and (lemmas[i],) in ctx.res.weak_triggers)
                if slug not in found or slug in weak_only:
                    (weak_only.add if weak else weak_only.discard)(slug)
                found.setdefault(slug, toks[i])
                step = n
                break
        i += step
    if weak_only and not _has_cue(ctx, sent, strong=True):
        found = {s: t for s, t in found.items() if s not in weak_only}
    for slug, tok in _bound_topics(ctx, sent, named).items():
        found.setdefault(slug, tok)
    subsumed = ctx.res.lexicon.subsumed_by
    return [(s, t) for s, t in found.items() if not (subsumed.get(s, frozenset()) & found.keys())]


def _background(ctx: Context, sent: Sent) -> set[int]:
    """Token indices of subordinate clauses that give background or a condition (``since``,
    ``after``, ``only if``): a topic word there is not what the main clause's sides cooperate on."""
    marks = ctx.res.lexicon.cue("background_marks")
    out: set[int] = set()
    for tok in sent.span:
        if tok.dep_ == "mark" and tok.lower_ in marks and tok.head.dep_ in {"advcl", "ccomp", "prep", "pcomp"}:
            out |= {t.i for t in tok.head.subtree}
    return out


def _in_a_title(ctx: Context, tok: Token) -> bool:
    """``the trade minister``, ``LeBlanc, the minister responsible for Canada-U.S. trade``: a
    topic word in a person's office names the office, not cooperation."""
    roles = ctx.res.lexicon.roles
    if tok.dep_ == "compound" and (fold(tok.head.text),) in roles:
        return True
    return any(anc.dep_ == "appos" and (fold(anc.text),) in roles for anc in list(tok.ancestors)[:5])


def _bound_topics(ctx: Context, sent: Sent, named: set[int]) -> dict[str, Token]:
    """Words too general to signal a topic alone (``security``) that do when a word of working
    together governs them: ``cooperation on trade, security and energy``, ``a dialogue on
    security``, ``defence ties``. The lexicon's ``cues.bound_topic_<slug>`` lists give the words."""
    lex = ctx.res.lexicon
    heads = lex.cue("bound_topic_heads")
    lists = {name: ws for name, ws in lex.cues.items() if name.startswith("bound_topic_")}
    words = {w: name.removeprefix("bound_topic_").replace("_", "-") for name, ws in lists.items()
             if name not in {"bound_topic_heads", "bound_topic_prepositions"} for w in ws}
    found: dict[str, Token] = {}
    for tok in sent.span:
        slug = words.get(fold(tok.text))
        if any(c.dep_ in {"compound", "amod", "nmod"} for c in tok.children):
            continue  # "food security", "energy security": another matter
        if slug and tok.i not in named and _governed_by(tok, heads, lex.cue("bound_topic_prepositions")):
            found.setdefault(slug, tok)
    return found


def _governed_by(tok: Token, heads: frozenset[str], preps: frozenset[str]) -> bool:
    """The word (or the first of the conjuncts it belongs to) modifies one of ``heads``, or is
    the object of one of ``preps`` attached to one of them."""
    for _ in range(4):
        if tok.dep_ != "conj" or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.dep_ in {"compound", "amod", "nmod"}:
        return tok.head.lemma_.lower() in heads
    if tok.dep_ == "pobj" and tok.head.lower_ in preps:
        return tok.head.head.lemma_.lower() in heads
    return False


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
        if before & (ctx.res.lexicon.cue("conflict") | ctx.res.lexicon.cue("passing")) or _qualifies_thing(ctx, m):
            continue  # fought over, only passed through, or naming a currency ("U.S. dollars")
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
    if _qualifies_person(ctx, sent, m):
        return None  # "European Commission President X": the organisation only qualifies a title
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


def _qualifies_thing(ctx: Context, m: Ment) -> bool:
    """``the Ukraine crisis``, ``56 billion U.S. dollars``: a country that only qualifies a
    conflict or a currency is not a side."""
    tok = ctx.doc[m.tok_end - 1]
    if tok.dep_ not in {"compound", "nmod", "amod"} or tok.head.i < m.tok_end:
        return False
    head = fold(tok.head.text)
    return head in ctx.res.lexicon.cue("conflict") or head in ctx.res.lexicon.cue("currencies")


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


def _has_cue(ctx: Context, sent: Sent, *, strong: bool = False) -> bool:
    lex = ctx.res.lexicon
    cues = lex.strong_cooperation_cues if strong else lex.cooperation_cues
    toks = list(sent.span)
    forms = [fold(t.text) for t in toks]
    if any((f in cues.words or t.lemma_.lower() in cues.words) and not _negated(t)
           for f, t in zip(forms, toks, strict=True)):
        return True
    text = " " + " ".join(forms) + " "
    return any(f" {' '.join(p)} " in text for p in cues.phrases)


def _negated(tok: Token) -> bool:
    """``Iran must never acquire ...``: a denied act of working together is no cue."""
    return any(c.dep_ == "neg" for c in tok.children)


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
