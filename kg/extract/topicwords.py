"""Which cooperation topics a sentence speaks of: the topic triggers of ``topics.ttl`` read in context.

A trigger (``drones``, ``trade``, ``power grid``) signals its topic, except where context says it
does not: inside a name or a person's office (``World Trade Organization``, ``the trade
minister``), in a background or conditional clause (``since Moscow sent troops``), denied by ``no``
(``no troops``), or as the head of a phrase whose modifier names another topic (``energy
infrastructure`` is energy, not construction). Weak triggers (``health``, ``power``) and general
words (``security``) count beside a strong cue of cooperation, under a word of working together
(``cooperation on security``), or in a list with another topic (``education and health``).
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Ment, Sent
from kg.extract.text import fold

_HYPHENS = frozenset({"-", "–", "—"})
_MODIFIERS = frozenset({"compound", "amod", "nmod"})
_OWNERS = frozenset({"poss", "compound", "amod", "nmod"})


def topics_in(ctx: Context, sent: Sent) -> list[tuple[str, Token]]:
    """Topic slugs signalled in the sentence, with the token that signalled each."""
    named = {i for m in sent.mentions if m.kind == "name" and ctx.cls(m.key) != "Facility"
             for i in range(m.tok_start, m.tok_end)}  # "the El Dabaa nuclear power plant" names its topic
    named |= _background(ctx, sent)  # "... since Moscow sent troops into Ukraine": not this sentence's topic
    named |= _matters(ctx, sent)  # "coordination on North Korea's missile programmes": the matter's things
    matches = _matches(ctx, sent, named)
    at = {tok.i: slug for slug, tok, _ in matches}
    matches = [(s, t, w) for s, t, w in matches if not _kind_of_other(t, s, at)]
    strong_cue = has_cue(ctx, sent, strong=True)
    listed = {t.i for s, t, w in matches if not w}
    found: dict[str, Token] = {}
    for slug, tok, weak in matches:
        if weak and not strong_cue and not (_conjuncts(tok) & listed):
            continue  # "power" alone is no topic; "energy, transport and power" is
        found.setdefault(slug, tok)
    for slug, tok in _bound_topics(ctx, sent, named, listed).items():
        found.setdefault(slug, tok)
    subsumed = ctx.res.lexicon.subsumed_by
    return [(s, t) for s, t in found.items() if not (subsumed.get(s, frozenset()) & found.keys())]


def _matches(ctx: Context, sent: Sent, named: set[int]) -> list[tuple[str, Token, bool]]:
    """Every trigger in the sentence, longest first at each place: (slug, first token, weak)."""
    triggers = ctx.res.topic_triggers
    weak_set = ctx.res.weak_triggers
    nouns = {w: name.removeprefix("noun_topic_").replace("_", "-") for name, ws in ctx.res.lexicon.cues.items()
             if name.startswith("noun_topic_") for w in ws}
    toks = [t for t in sent.span if t.text not in _HYPHENS]  # "visa-free" is three tokens, one trigger
    forms = [fold(t.text) for t in toks]
    lemmas = [t.lemma_.lower() for t in toks]
    venues = ctx.res.lexicon.cue("venue_prepositions")
    out: list[tuple[str, Token, bool]] = []
    i = 0
    while i < len(toks):
        tok, step = toks[i], 1
        if tok.i in named or _in_a_title(ctx, tok) or _denied(tok) or _venue(tok, venues):  # "no troops"
            i += 1
            continue
        if forms[i] in nouns and _noun(tok):  # "trucks and trains" are transport, "trained" is training
            out.append((nouns[forms[i]], tok, False))
            i += 1
            continue
        for n in range(min(ctx.res.max_trigger_len, len(toks) - i), 0, -1):
            words = tuple(forms[i:i + n])
            if n == 1 and words not in triggers and tok.pos_ == "NOUN":
                words = (lemmas[i],)  # plural nouns: "satellites" -> "satellite"
            slug = triggers.get(words)
            if slug:
                weak = words in weak_set or (n == 1 and tok.pos_ == "NOUN" and (lemmas[i],) in weak_set)
                out.append((slug, tok, weak))
                step = n
                break
        i += step
    return out


def _noun(tok: Token) -> bool:
    """Tagged a noun, or coordinated with one (``trucks and trains``, which the tagger may read as a verb)."""
    return tok.pos_ == "NOUN" or (tok.dep_ == "conj" and tok.head.pos_ == "NOUN" and tok.head.i < tok.i)


def _venue(tok: Token, venues: frozenset[str]) -> bool:
    """``welcomed him at the airport``, ``spoke outside the embassy``: a topic word naming where
    something happened (the object of ``at``, ``outside`` ...), not what the sides work on."""
    noun = tok.head if tok.dep_ in _MODIFIERS and tok.head.i > tok.i else tok
    return noun.dep_ == "pobj" and noun.head.lower_ in venues


def _denied(tok: Token) -> bool:
    """``no troops``, ``no trade``: a topic the text says is absent."""
    return any(c.dep_ in {"det", "neg"} and c.lower_ == "no" for c in tok.children)


def _kind_of_other(tok: Token, slug: str, at: dict[int, str]) -> bool:
    """``energy infrastructure``, ``arms exports``: a head word qualified by another topic's trigger
    is that topic's kind of thing, so only the qualifier's topic counts."""
    return any(c.dep_ in _MODIFIERS and at.get(c.i, slug) != slug for c in tok.children)


def _conjuncts(tok: Token) -> set[int]:
    """Token indices of every conjunct in the coordination ``tok`` belongs to (without ``tok``)."""
    first = tok
    for _ in range(8):
        if first.dep_ != "conj" or first.head.i == first.i:
            break
        first = first.head
    out: set[int] = set()
    todo = [first]
    while todo and len(out) < 20:
        t = todo.pop()
        out.add(t.i)
        todo.extend(c for c in t.children if c.dep_ == "conj")
    return out - {tok.i}


def _background(ctx: Context, sent: Sent) -> set[int]:
    """Token indices of subordinate clauses that give background or a condition (``since``,
    ``after``, ``only if``): a topic word there is not what the main clause's sides cooperate on."""
    marks = ctx.res.lexicon.cue("background_marks")
    out: set[int] = set()
    for tok in sent.span:
        if tok.dep_ == "mark" and tok.lower_ in marks and tok.head.dep_ in {"advcl", "ccomp", "prep", "pcomp"}:
            out |= {t.i for t in tok.head.subtree}
    return out


def matter_phrase(ctx: Context, m: Ment) -> Token | None:
    """The head of the phrase that makes a country the matter the sides deal with, not a side:
    the object of ``on``, ``over``, ``about`` ... that is the country (``work closely on North
    Korea``) or that it qualifies (``on North Korea's missile programmes``, ``on North Korean
    missile launches``)."""
    doc = ctx.doc
    if m.tok_end < len(doc) and doc[m.tok_end].text in _HYPHENS:
        return None  # "a memorandum on an India-Middle East-Europe corridor": one end of the link, a side
    tok = doc[m.tok_end - 1]
    if tok.dep_ == "case":  # "North Korea's": the mention may hold the possessive ending
        tok = tok.head
    for _ in range(3):  # "North Korean missile launches": the demonym qualifies the head, past compounds
        if tok.dep_ not in _OWNERS or tok.head.i <= tok.i:
            break
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ in ctx.res.lexicon.cue("matter_prepositions"):
        return tok
    return None


def _matters(ctx: Context, sent: Sent) -> set[int]:
    """Token indices of the phrases that make a country a matter (:func:`matter_phrase`): the
    matter's missiles are not what the sides cooperate on."""
    out: set[int] = set()
    for m in sent.mentions:
        if ctx.country_of(m.key) is None:
            continue
        head = matter_phrase(ctx, m)
        if head is not None and head.i >= m.tok_end:
            out |= set(range(m.tok_end, head.i + 1))  # its modifiers and head, not what attaches after
    return out


def _in_a_title(ctx: Context, tok: Token) -> bool:
    """``the trade minister``, ``LeBlanc, the minister responsible for Canada-U.S. trade``: a
    topic word in a person's office names the office, not cooperation."""
    roles = ctx.res.lexicon.roles
    if tok.dep_ == "compound" and (fold(tok.head.text),) in roles:
        return True
    return any(anc.dep_ == "appos" and (fold(anc.text),) in roles for anc in list(tok.ancestors)[:5])


def _bound_topics(ctx: Context, sent: Sent, named: set[int], listed: set[int]) -> dict[str, Token]:
    """Words too general to signal a topic alone (``security``) that do when a word of working
    together governs them (``cooperation on trade, security and energy``, ``a dialogue on
    security``, ``defence ties``) or when they stand in a list with a topic's trigger (``trade and
    investment, defence and security``; ``listed``: the triggers' token indices). The lexicon's
    ``cues.bound_topic_<slug>`` lists give the words."""
    lex = ctx.res.lexicon
    heads = lex.cue("bound_topic_heads")
    lists = {name: ws for name, ws in lex.cues.items() if name.startswith("bound_topic_")}
    words = {w: name.removeprefix("bound_topic_").replace("_", "-") for name, ws in lists.items()
             if name not in {"bound_topic_heads", "bound_topic_prepositions"} for w in ws}
    found: dict[str, Token] = {}
    for tok in sent.span:
        slug = words.get(fold(tok.text))
        if not slug or tok.i in named or any(c.dep_ in _MODIFIERS for c in tok.children):
            continue  # "food security", "energy security": another matter
        if _governed_by(tok, heads, lex.cue("bound_topic_prepositions")) or _conjuncts(tok) & listed:
            found.setdefault(slug, tok)
    return found


def _governed_by(tok: Token, heads: frozenset[str], preps: frozenset[str]) -> bool:
    """The word (or the first of the conjuncts it belongs to) modifies one of ``heads``, or is
    the object of one of ``preps`` attached to one of them."""
    for _ in range(4):
        if tok.dep_ != "conj" or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.dep_ in _MODIFIERS:
        return tok.head.lemma_.lower() in heads
    if tok.dep_ == "pobj" and tok.head.lower_ in preps:
        return tok.head.head.lemma_.lower() in heads
    return False


def has_cue(ctx: Context, sent: Sent, *, strong: bool = False) -> bool:
    """Whether the sentence has a word (or phrase) of working together; ``strong``: of the strong list."""
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
