"""Invitations: who invites whom, where to, in wire phrasing.

``X invited Y (and Z) to visit``, ``X extended an invitation to Y``, ``Y accepted X's
invitation to attend``, ``Y accepted an invitation from X``, ``Y arrived at the invitation of
X``, ``at X's invitation``, ``X invited his five counterparts``. An invitation names its
inviter and at least one invitee, or it is not recorded.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Sent
from kg.extract.eventkit import add_event, phrase, places_after, previous_person, subject_tokens
from kg.extract.text import AGENT_CLASSES, PLACE_CLASSES
from kg.model import Event


def invitation(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    """Read one invitation word into an Invitation event (merging a later account of it)."""
    inviter, guests = _from_parse(ctx, sent, tok) or _by_position(ctx, sent, tok)
    _record(ctx, sent, tok, inviter, guests)


def hoped_welcome(ctx: Context, sent: Sent, tok: Token) -> bool:
    """``looked forward to welcoming X to Japan``, ``hoped to receive X in India``, ``the hope of
    hosting X``: a verb of hosting under a word of wishing (the lexicon's ``hosting_verbs`` and
    ``wish_words``) is an invitation from whoever wishes to its object, not a meeting. Returns
    whether ``tok`` was read so (recording the invitation when it names both sides)."""
    lex = ctx.res.lexicon
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in lex.cue("hosting_verbs") or tok.dep_ not in {"xcomp", "pcomp"}:
        return False
    wish = tok.head.head if tok.head.pos_ == "ADP" else tok.head
    words = {wish.lemma_.lower(), wish.lower_} | {c.lower_ for c in wish.children if c.dep_ in {"advmod", "prt"}}
    if not words & lex.cue("wish_words"):
        return False
    verb = wish if wish.pos_ in {"VERB", "AUX"} else wish.head  # "expressed the hope of hosting X"
    objects = [t for c in tok.children if c.dep_ == "dobj" for t in phrase(c)]
    _record(ctx, sent, tok, agents_in(ctx, sent, subject_tokens(verb))[:1], agents_in(ctx, sent, objects))
    return True


def _record(ctx: Context, sent: Sent, tok: Token, inviter: list[str], guests: list[str]) -> None:
    """Add an invitation (or this sentence's account of one told before)."""
    guests = [g for g in guests if g not in inviter]
    if not inviter or not guests:
        return
    ev = next((e for e in ctx.extraction.events if e.cls == "Invitation" and e.initiator == inviter
               and (not e.participants or set(e.participants) & set(guests))), None)
    if ev is None:
        ev = add_event(ctx, Event(key="", cls="Invitation", label="", initiator=inviter))
    ev.participants += [g for g in guests if g not in ev.participants]
    ev.destination += [p for p in _destination(ctx, sent, tok)[:1] if p not in ev.destination]
    if ctx.evidence(sent) not in ev.evidence:
        ev.evidence.append(ctx.evidence(sent))
    names = [ctx.entity(k).label for k in ev.initiator + ev.participants if ctx.entity(k)]  # type: ignore[union-attr]
    ev.label = "Invitation" + (f": {names[0]} invites {', '.join(names[1:])}" if len(names) > 1 else "")


def agents_in(ctx: Context, sent: Sent, toks: list[Token]) -> list[str]:
    """The agents named in ``toks``, people first (``National Security Adviser Ajit Doval`` is
    the person, not an office the model took for an organisation); a name inside a reference
    (``Lavrov's counterparts``) is not itself named."""
    idx = {t.i for t in toks}
    refs = [r for r in sent.mentions if r.kind == "ref"]
    hits = [m for m in sent.mentions if ctx.cls(m.key) in AGENT_CLASSES and any(i in idx for i in range(m.tok_start, m.tok_end))
            and not any(m.kind != "ref" and r.key != m.key and r.tok_start <= m.tok_start and m.tok_end <= r.tok_end
                        for r in refs)]
    people = [m.key for m in hits if ctx.is_person(m.key)]
    return list(dict.fromkeys(people or [m.key for m in hits]))


def _from_parse(ctx: Context, sent: Sent, tok: Token) -> tuple[list[str], list[str]] | None:
    """``X invited Y and Z`` (subject, objects; ``him`` is the last person named) or the noun's
    readings (:func:`_noun`)."""
    if tok.pos_ == "NOUN":
        return _noun(ctx, sent, tok)
    if tok.pos_ not in {"VERB", "AUX"} or any(c.dep_ in {"nsubjpass", "agent"} for c in tok.children):
        return None
    inviter = agents_in(ctx, sent, subject_tokens(tok))[:1]
    objects = [c for c in tok.children if c.dep_ in {"dobj", "obj"}]
    guests = agents_in(ctx, sent, phrase(objects[0])) if objects else []
    if objects and not guests and objects[0].lower_ in {"him", "her"}:
        guests = [k for k in [previous_person(ctx, sent, objects[0], not_=inviter[0] if inviter else None)] if k]
    guests = [g for g in guests if g not in inviter]
    return (inviter, guests) if inviter and guests else None


def _noun(ctx: Context, sent: Sent, tok: Token) -> tuple[list[str], list[str]] | None:
    """``Putin's invitation to Kim``, ``X extended an invitation to Y``, ``Y accepted X's
    invitation``, ``an invitation from X``, and ``Y came at the invitation of X``."""
    preps = {c.lower_: [t for t in phrase(c)] for c in tok.children if c.dep_ == "prep"}
    owner = agents_in(ctx, sent, [c for c in tok.children if c.dep_ == "poss"])
    to_whom = agents_in(ctx, sent, preps.get("to", []) + preps.get("for", []))
    from_whom = agents_in(ctx, sent, preps.get("from", []) + preps.get("by", []) + preps.get("of", []))
    if tok.dep_ == "pobj" and tok.head.lower_ in ctx.res.lexicon.cue("invitation_of_preps"):
        inside = [t for t in tok.subtree if t.i > tok.i]  # "of To Lam and X" when the parse takes "To" for a preposition
        return _at_the_invitation(ctx, sent, tok, owner or from_whom or agents_in(ctx, sent, inside))
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    subject = agents_in(ctx, sent, subject_tokens(verb))[:1] if verb.i != tok.i else []
    objects = [t for c in verb.children if c.dep_ in {"dobj", "dative", "iobj"} and c.i != tok.i for t in phrase(c)]
    obj = agents_in(ctx, sent, objects)
    if verb.lemma_.lower() in ctx.res.lexicon.cue("receiving_verbs"):
        inviter, guests = (owner or from_whom or obj)[:1], subject
    else:  # "reaffirmed the invitation of Putin for Kim": the ``of`` phrase invites, not the subject
        inviter, guests = (owner or from_whom or subject)[:1], to_whom or obj
    guests = [g for g in guests if g not in inviter]
    return (inviter, guests) if inviter and guests else None


def _at_the_invitation(ctx: Context, sent: Sent, tok: Token, inviter: list[str]) -> tuple[list[str], list[str]] | None:
    """``Abiy and Hassan Sheikh arrived at the invitation of Erdogan``, ``his visit ... at the
    invitation of Xi``: the guests are whoever the clause is about (the verb's subjects, or the
    owner of the visit the phrase hangs on)."""
    node = tok.head.head
    for _ in range(8):
        owners = agents_in(ctx, sent, [c for c in node.children if c.dep_ == "poss"])
        if owners:
            guests = owners
            break
        if node.pos_ in {"VERB", "AUX"}:
            guests = agents_in(ctx, sent, subject_tokens(node))
            break
        if node.head.i == node.i:
            return None
        node = node.head
    else:
        return None
    guests = [g for g in guests if g not in inviter]
    return (inviter, guests) if inviter and guests else None  # "at the invitation of X and Y": both invite


def _by_position(ctx: Context, sent: Sent, tok: Token) -> tuple[list[str], list[str]]:
    """Who invites whom when the parse does not say: the agent before the word invites the one after
    (``by``/``from``/``accepted`` turn it round)."""
    agents = [m for m in sent.mentions if ctx.cls(m.key) in AGENT_CLASSES and m.kind in {"name", "ref", "pronoun"}]
    before = [m.key for m in agents if m.tok_end <= tok.i]
    after = [m.key for m in agents if m.tok_start > tok.i]
    passive = any(t.lower_ in {"by", "from"} for t in ctx.doc[tok.i:tok.i + 4]) or (
        tok.lower_ == "invitation" and "accept" in {t.lemma_ for t in sent.span})
    if passive:
        inviter, guest = after[:1], before[-1:]
    else:
        inviter, guest = before[-1:], [a for a in after if a not in before[-1:]][:1]
    return (inviter, guest) if inviter != guest else ([], [])


def _destination(ctx: Context, sent: Sent, tok: Token) -> list[str]:
    """The place invited to: the first named after the word, else one the clause goes ``to``."""
    after = places_after(ctx, sent, tok)
    if after:
        return after
    return [m.key for m in sent.mentions if m.kind == "name" and ctx.cls(m.key) in PLACE_CLASSES and m.tok_start > 0
            and ctx.doc[m.tok_start - 1].lower_ in {"to", "in"}]
