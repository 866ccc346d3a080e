"""What happened: meetings, calls, summits, visits, invitations, operations, agreements, training.

One event node per real event in an article: later sentences about the same encounter
(``their talks``, ``the meeting``) join the earlier event instead of minting a new one.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract import dates
from kg.extract.claims import claimants_of
from kg.extract.context import Context, Ment, Sent
from kg.extract.text import AGENT_CLASSES, PLACE_CLASSES, fold
from kg.model import Event

_MEETINGS = {"Meeting", "PhoneCall"}
_OP_HEADS = {"of", "in", "on", "against"}


def find_events(ctx: Context) -> None:
    """Read every sentence's event triggers into merged, article-level events."""
    for sent in ctx.sents:
        for cls, tok in _triggers(ctx, sent):
            handler = _HANDLERS.get(cls)
            if handler is not None:
                handler(ctx, sent, tok, cls)
    _link_summits(ctx)


def _triggers(ctx: Context, sent: Sent) -> list[tuple[str, Token]]:
    """(event class, trigger token) pairs; a phrase is found by its first token."""
    events = ctx.res.lexicon.events
    cues = ctx.res.lexicon.event_cues
    found: list[tuple[str, Token]] = []
    toks = list(sent.span)
    words = [fold(t.text) for t in toks]
    quoted = _phrase_tokens(words, ctx.res.lexicon.claim_phrases.phrases)
    i = 0
    while i < len(toks):
        if i in quoted:  # "according to" is attribution, not an accord
            i += 1
            continue
        hit = None
        for n in range(min(5, len(toks) - i), 0, -1):
            cls = events.get(tuple(words[i:i + n])) if n > 1 else (events.get((words[i],)) or events.get((toks[i].lemma_.lower(),)))
            if cls:
                hit = (cls, n)
                break
        if hit is None:
            i += 1
            continue
        cls, n = hit
        window = {fold(t.text) for t in toks[max(0, i - 3):i + n + 3]}
        if n > 1 or cls not in cues or window & cues[cls]:
            if cls in _MEETINGS or not any(c == cls for c, _ in found):
                found.append((cls, toks[i]))
        i += n
    return found


def _phrase_tokens(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> set[int]:
    out: set[int] = set()
    for i in range(len(words)):
        for p in phrases:
            if tuple(words[i:i + len(p)]) == p:
                out.update(range(i, i + len(p)))
    return out


def _definite(ctx: Context, tok: Token) -> bool:
    """``the meeting``, ``their talks``: a reference back to one event, not ``such meetings``."""
    window = [t.lower_ for t in ctx.doc[max(tok.sent.start, tok.i - 3):tok.i]]
    return bool(set(window) & {"the", "their", "this", "that", "his", "her", "these"}) and "such" not in window


_MODALS = {"will", "would", "could", "may", "might", "should", "shall", "must"}
_FUTURE = {("due", "to"), ("expected", "to"), ("plans", "to"), ("planned", "to"), ("set", "to"),
           ("scheduled", "to"), ("hopes", "to"), ("wants", "to"), ("agreed", "to"), ("intends", "to")}


def _irrealis(ctx: Context, sent: Sent, tok: Token) -> bool:
    """The trigger is planned, hoped for or hypothetical rather than reported as happening."""
    doc = ctx.doc
    window = [t.lower_ for t in doc[max(sent.span.start, tok.i - 5):tok.i]]
    if any(pair in _FUTURE for pair in zip(window, window[1:])):
        return True
    heads = [tok, tok.head, tok.head.head]
    return any(c.dep_ == "aux" and c.lower_ in _MODALS for h in heads for c in h.children)


def _add(ctx: Context, event: Event) -> Event:
    event.key = f"{event.cls.lower()}-{1 + sum(1 for e in ctx.extraction.events if e.cls == event.cls)}"
    ctx.extraction.events.append(event)
    return event


def _places_after(ctx: Context, sent: Sent, tok: Token) -> list[str]:
    return [m.key for m in sent.mentions if m.tok_start > tok.i and m.kind == "name" and ctx.cls(m.key) in PLACE_CLASSES]


def _located(ctx: Context, sent: Sent) -> list[str]:
    """Places the sentence puts things in: ``in X``, ``at X``."""
    out = []
    for m in sent.mentions:
        if m.kind == "name" and ctx.cls(m.key) in PLACE_CLASSES and m.tok_start > 0:
            prev = ctx.doc[m.tok_start - 1]
            prev2 = ctx.doc[m.tok_start - 2] if m.tok_start > 1 else prev
            if prev.lower_ in {"in", "at", "near", "on"} or (prev.lower_ == "the" and prev2.lower_ in {"in", "at"}):
                out.append(m.key)
    return out


def _participants(ctx: Context, sent: Sent) -> list[str]:
    speakers = claimants_of(ctx, sent)
    out: list[str] = []
    for m in sent.mentions:
        ent = ctx.entity(m.key)
        if ent is None or not ctx.is_person(m.key) or m.key in speakers or ent.cls == "Expert" or m.key in out:
            continue
        out.append(m.key)
    return out


def _meeting(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    if _irrealis(ctx, sent, tok):
        return  # "was due to meet", "would lead the consultations": not (yet) a meeting
    people = _parties(ctx, sent, tok) or _participants(ctx, sent)
    definite = _definite(ctx, tok)
    if len(people) < 2 and _group_ref(ctx, sent):  # "the two were joined by Austin": the pair named before
        people = [p for p in _last_pair(ctx, sent) if p not in people] + people
    if not people and not definite:
        return
    ev = _find_meeting(ctx, set(people), definite=definite)
    if ev is None:
        if not people:
            return
        ev = _add(ctx, Event(key="", cls=cls, label=""))
    if not (definite and ev.participants):  # "X sat in on the talks" adds evidence, not a party
        ev.participants += [p for p in people if p not in ev.participants]
    ev.location += [p for p in _located(ctx, sent) if p not in ev.location]
    ev.date = ev.date or dates.resolve(sent.span.text, ctx.article.date) if _has_date(sent) else ev.date
    if ctx.evidence(sent) not in ev.evidence:
        ev.evidence.append(ctx.evidence(sent))
    names = [ctx.entity(p).label for p in ev.participants[:3] if ctx.entity(p)]  # type: ignore[union-attr]
    kind = "Phone call" if ev.cls == "PhoneCall" else "Meeting"
    ev.label = f"{kind} of {' and '.join(names)}" if names else kind


def _parties(ctx: Context, sent: Sent, tok: Token) -> list[str]:
    """The people a trigger itself connects, from the parse: its subject (through ``who``
    and coordinated verbs) and its objects (``met X``, ``talks with Y``); empty unless two."""
    verb = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    subjects = _subject_tokens(verb)
    objects = _phrase(tok) + ([t for c in verb.children if c.dep_ in {"dobj", "prep", "dative"} for t in _phrase(c)]
                              if verb is not tok else [])
    allowed = set(_participants(ctx, sent))
    found: list[str] = []
    for t in [*subjects, *objects]:
        for m in sent.mentions:
            if m.tok_start <= t.i < m.tok_end and m.key in allowed and m.key not in found:
                found.append(m.key)
    return found if len(found) >= 2 else []


_CLAUSES = {"relcl", "acl", "ccomp", "advcl", "xcomp", "conj", "parataxis", "appos"}


def _phrase(tok: Token) -> list[Token]:
    """A token and its dependents, without the clauses hanging off it."""
    out = [tok]
    for child in tok.children:
        if child.dep_ not in _CLAUSES or (child.dep_ in {"conj", "appos"} and child.pos_ == "PROPN"):
            out += _phrase(child)
    return out


def _subject_tokens(verb: Token) -> list[Token]:
    """The subject of ``verb``; for ``who met``, the noun ``who`` stands for; for the second of
    two coordinated verbs, the first one's subject."""
    for _ in range(3):
        subj = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subj:
            if subj[0].lower_ in {"who", "which", "that"} and verb.dep_ == "relcl":
                return [verb.head]
            return _phrase(subj[0])
        if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    return []


def _group_ref(ctx: Context, sent: Sent) -> bool:
    return ctx.has_phrase(sent, ctx.res.lexicon.group_refs.phrases)


def _last_pair(ctx: Context, sent: Sent) -> list[str]:
    """The last two people (not analysts) named before this sentence."""
    seen: list[str] = []
    for s in reversed(ctx.sents[:ctx.sents.index(sent)]):
        for m in reversed(s.mentions):
            if ctx.is_person(m.key) and ctx.cls(m.key) != "Expert" and m.key not in seen:
                seen.append(m.key)
            if len(seen) == 2:
                return seen[::-1]
    return []


def _find_meeting(ctx: Context, people: set[str], *, definite: bool = False) -> Event | None:
    """The earlier meeting this sentence talks about, if any."""
    meetings = [e for e in ctx.extraction.events if e.cls in _MEETINGS]
    if not meetings:
        return None
    if definite:
        overlapping = [e for e in meetings if people & set(e.participants)]
        if overlapping or not people:
            return (overlapping or meetings)[-1]
    if not people or len(people) == 1:
        hits = [e for e in meetings if people <= set(e.participants)]
        return hits[-1] if hits else (meetings[-1] if not people else None)
    for ev in reversed(meetings):
        if people <= set(ev.participants) or set(ev.participants) <= people:
            return ev
    return None


def _has_date(sent: Sent) -> bool:
    return any(e.label_ == "DATE" for e in sent.span.ents)


def _summit(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    orgs = [m for m in sent.mentions if ctx.cls(m.key) == "Organization" and abs(m.tok_end - tok.i) <= 3]
    host = orgs[0].key if orgs else None
    if host is None and len(_participants(ctx, sent)) >= 2:
        _meeting(ctx, sent, tok, "Meeting")  # "a summit with Prime Minister Kishida": two leaders meet
        return
    ev = next((e for e in ctx.extraction.events if e.cls == "Summit" and (host is None or host in e.participants)), None)
    if ev is None:
        if host is None and not _located(ctx, sent):
            return
        ev = _add(ctx, Event(key="", cls="Summit", label=""))
        ent = ctx.entity(host) if host else None
        ev.label = f"{ent.label} summit" if ent else "Summit"
        if host:
            ev.participants.append(host)
    ev.location += [p for p in _located(ctx, sent) if p not in ev.location]
    if _has_date(sent) and not ev.date:
        ev.date = dates.resolve(sent.span.text, ctx.article.date)
    ev.evidence.append(ctx.evidence(sent))


def _link_summits(ctx: Context) -> None:
    """Talks held at a summit are part of it and happen where it happens."""
    summits = [e for e in ctx.extraction.events if e.cls == "Summit"]
    if len(summits) != 1:
        return
    summit = summits[0]
    spans = {(x.start, x.end) for x in summit.evidence}
    for ev in ctx.extraction.events:
        if ev.cls in _MEETINGS and ({(x.start, x.end) for x in ev.evidence} & spans or len(summits) == 1):
            ev.part_of = summit.key
            ev.location += [p for p in summit.location if p not in ev.location]


def _invitation(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    initiator, invitee = _inviter_and_guest(ctx, sent, tok) or _by_position(ctx, sent, tok)
    if not initiator:
        return
    ev = next((e for e in ctx.extraction.events if e.cls == "Invitation" and e.initiator == initiator
               and (not invitee or not e.participants or e.participants == invitee)), None)
    if ev is None:
        ev = _add(ctx, Event(key="", cls="Invitation", label="", initiator=initiator))
    ev.participants = ev.participants or invitee
    ev.destination += [p for p in _places_after(ctx, sent, tok)[:1] if p not in ev.destination]
    ev.evidence.append(ctx.evidence(sent))
    names = [ctx.entity(k).label for k in ev.initiator + ev.participants if ctx.entity(k)]  # type: ignore[union-attr]
    ev.label = "Invitation" + (f": {names[0]} invites {names[1]}" if len(names) > 1 else "")


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


def _inviter_and_guest(ctx: Context, sent: Sent, tok: Token) -> tuple[list[str], list[str]] | None:
    """From the parse: ``X invited Y`` / ``X had invited him`` (subject, object) and
    ``X extended an invitation for Y`` (the governing verb's subject, ``for``/``to`` object)."""
    if tok.pos_ == "NOUN":
        return _invitation_noun(ctx, sent, tok)
    if tok.pos_ not in {"VERB", "AUX"} or any(c.dep_ in {"nsubjpass", "agent"} for c in tok.children):
        return None
    inviter = _agent_in(ctx, sent, _subject_tokens(tok))
    guests = [c for c in tok.children if c.dep_ in {"dobj", "obj"}]
    guest = _agent_in(ctx, sent, _phrase(guests[0])) if guests else None
    if guests and guest is None and guests[0].lower_ in {"him", "her"}:
        guest = _previous_person(ctx, sent, guests[0], not_=inviter)
    if inviter is None or guest is None:
        return None
    return [inviter], [guest]


_RECEIVING = {"thank", "accept", "receive", "decline", "welcome", "get", "reject", "take"}


def _invitation_noun(ctx: Context, sent: Sent, tok: Token) -> tuple[list[str], list[str]] | None:
    """``Putin's invitation to Kim``, ``X handed Y an invitation``, ``X thanked Y for the invitation``."""
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    owner = _agent_in(ctx, sent, [c for c in tok.children if c.dep_ == "poss"])
    to_whom = _agent_in(ctx, sent, [t for c in tok.children if c.dep_ == "prep" and c.lower_ in {"to", "for"}
                                    for t in _phrase(c)])
    from_whom = _agent_in(ctx, sent, [t for c in tok.children if c.dep_ == "prep" and c.lower_ in {"from", "by"}
                                      for t in _phrase(c)])
    subject = _agent_in(ctx, sent, _subject_tokens(verb)) if verb.i != tok.i else None
    objects = [t for c in verb.children if c.dep_ in {"dobj", "dative", "iobj"} and c.i != tok.i for t in _phrase(c)]
    obj = _agent_in(ctx, sent, objects)
    if verb.lemma_.lower() in _RECEIVING:
        inviter, guest = owner or from_whom or obj, subject
    else:
        inviter, guest = owner or subject, to_whom or obj
    if inviter is None or guest is None or inviter == guest:
        return None
    return [inviter], [guest]


def _agent_in(ctx: Context, sent: Sent, toks: list[Token]) -> str | None:
    idx = {t.i for t in toks}
    for m in sent.mentions:
        if ctx.cls(m.key) in AGENT_CLASSES and any(i in idx for i in range(m.tok_start, m.tok_end)):
            return m.key
    return None


def _previous_person(ctx: Context, sent: Sent, tok: Token, *, not_: str | None) -> str | None:
    """``him``: the last person named before the pronoun, other than ``not_``."""
    for s in reversed(ctx.sents[:ctx.sents.index(sent) + 1]):
        for m in reversed(s.mentions):
            if m.tok_start < tok.i and ctx.is_person(m.key) and m.key != not_:
                return m.key
    return None


def _visit(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    if any(t.lemma_.lower() in {"invite", "invitation"} for t in sent.span):
        return  # a visit someone is invited to make has not happened
    visitor = _visitor(ctx, sent, tok)
    dest = _places_after(ctx, sent, tok)[:1]
    if visitor is None or not dest or ctx.country_of(visitor) == dest[0]:
        return
    ev = next((e for e in ctx.extraction.events if e.cls == "Visit" and e.initiator == [visitor] and e.destination == dest), None)
    if ev is None:
        ev = _add(ctx, Event(key="", cls="Visit", label="", initiator=[visitor], participants=[visitor], destination=dest))
        ev.label = f"Visit of {ctx.entity(visitor).label} to {ctx.entity(dest[0]).label}"  # type: ignore[union-attr]
    ev.evidence.append(ctx.evidence(sent))
    if _has_date(sent) and not ev.date:
        ev.date = dates.resolve(sent.span.text, ctx.article.date)


def _visitor(ctx: Context, sent: Sent, tok: Token) -> str | None:
    """Who travels: the verb's subject (``Modi visited``), the noun's owner (``Modi's visit``),
    or the subject of the verb the noun serves (``Modi paid a visit``)."""
    heads = [tok] if tok.pos_ in {"VERB", "AUX"} else [tok, tok.head]
    for head in heads:
        for child in head.children:
            if child.dep_ in {"nsubj", "poss", "agent"} or (child.dep_ == "prep" and child.lower_ == "by"):
                for m in sent.mentions:
                    if ctx.is_person(m.key) and child.left_edge.i <= m.tok_start and m.tok_end <= child.right_edge.i + 1:
                        return m.key
    return None


def _operation(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    doc = ctx.doc
    end = tok.i + 1
    while end < sent.span.end and fold(doc[end].text) in {"military", "operation", "offensive"}:
        end += 1
    places: list[Ment] = []
    if end < sent.span.end and doc[end].lower_ in _OP_HEADS:
        places = [m for m in sent.mentions if m.tok_start > end and m.tok_start <= end + 3 and ctx.cls(m.key) in PLACE_CLASSES]
    start = tok.i - 1 if tok.i > sent.span.start and doc[tok.i - 1].lower_ in {"special", "military"} else tok.i
    if not places and doc[start:end].text.lower().split()[-1:] not in (["operation"],):
        return
    label = doc[start:places[0].tok_end].text if places else doc[start:end].text
    label = " ".join(label.split())
    ev = next((e for e in ctx.extraction.events if e.cls == "MilitaryOperation" and fold(e.label) == fold(label)), None)
    if ev is None:
        ev = _add(ctx, Event(key="", cls="MilitaryOperation", label=label[:1].upper() + label[1:]))
        ev.location = [m.key for m in places[:1]]
    ev.participants += [c for c in _countries(ctx, sent) if c not in ev.participants and c not in ev.location]
    ev.evidence.append(ctx.evidence(sent))


def _countries(ctx: Context, sent: Sent) -> list[str]:
    out: list[str] = []
    for m in sent.mentions:
        if m.kind == "demonym" and m.key not in out:
            out.append(m.key)
    return out


def _agreement(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    speakers = claimants_of(ctx, sent)
    parties: list[str] = []
    for m in sent.mentions:
        key = ctx.country_of(m.key) if m.kind in {"demonym", "seat"} else m.key
        if not key or key in speakers or key in parties:
            continue
        if ctx.cls(key) in {"Country", "Leader", "Official", "Organization"}:
            parties.append(key)
    if len(parties) < 2:
        return
    ev = next((e for e in ctx.extraction.events if e.cls == "Agreement" and set(parties) & set(e.participants)
               and ctx.evidence(sent) not in e.evidence), None)
    if ev is None:
        ev = _add(ctx, Event(key="", cls="Agreement", label="Agreement"))
    ev.participants += [p for p in parties if p not in ev.participants]
    ev.evidence.append(ctx.evidence(sent))
    if _has_date(sent) and not ev.date:
        ev.date = dates.resolve(sent.span.text, ctx.article.date)
    names = [ctx.entity(p).label for p in ev.participants if ctx.cls(p) == "Country"]  # type: ignore[union-attr]
    ev.label = f"Agreement between {' and '.join(names)}" if len(names) >= 2 else "Agreement"


def _training(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    sides = [c for c in (ctx.country_of(m.key) for m in sent.mentions) if c]
    sides = list(dict.fromkeys(sides))
    if not sides:
        return
    ev = _add(ctx, Event(key="", cls="Training", label="Military exercise", participants=sides))
    ev.location = _located(ctx, sent)
    ev.evidence.append(ctx.evidence(sent))


_HANDLERS = {
    "Meeting": _meeting, "PhoneCall": _meeting, "Summit": _summit, "Invitation": _invitation,
    "Visit": _visit, "MilitaryOperation": _operation, "Agreement": _agreement, "Training": _training,
}
