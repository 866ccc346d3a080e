"""What happened: meetings, calls, summits, visits, invitations, operations, agreements, training.

One event node per real event in an article: later sentences about the same encounter
(``their talks``, ``the meeting``) join the earlier event instead of minting a new one.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Token

from kg.extract.context import Context, Ment, Sent
from kg.extract.eventkit import (
    MEETINGS,
    add_event,
    event_date,
    located,
    places_after,
    subject_tokens,
)
from kg.extract.invitations import invitation
from kg.extract.meetings import attendance, delegation_sentence, meeting, one_sided, signing, summit_with
from kg.extract.parse import claimants_of
from kg.extract.registry import stage
from kg.extract.text import PLACE_CLASSES, fold
from kg.model import Event


@stage("events", requires=["mentions", "claims"], assigns=["events"], version="7", default=True)
def find_events(ctx: Context) -> None:
    """Read every sentence's event triggers into merged, article-level events."""
    for sent in ctx.sents:
        triggers = _triggers(ctx, sent)
        for cls, tok in triggers:
            handler = _HANDLERS.get(cls)
            if handler is not None:
                handler(ctx, sent, tok, cls)
        if not any(cls in MEETINGS for cls, _ in triggers):
            delegation_sentence(ctx, sent)
        attendance(ctx, sent)
    one_sided(ctx)
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
            cls = events.get(tuple(words[i:i + n]))
            if not cls and n == 1:
                cls = events.get((toks[i].lemma_.lower(),))
            if cls:
                hit = (cls, n)
                break
        if hit is None:
            i += 1
            continue
        cls, n = hit
        if cls == "PhoneCall" and n == 1 and i + 1 < len(toks) and toks[i + 1].lower_ == "for":
            i += 1  # "received Modi's call for a ceasefire": an appeal, not a telephone call
            continue
        window = {fold(t.text) for t in toks[max(0, i - 3):i + n + 3]}
        if (n > 1 or cls not in cues or window & cues[cls]) and (cls in MEETINGS or not any(c == cls for c, _ in found)):
            found.append((cls, _phrase_head(toks[i:i + n]) if cls in MEETINGS else toks[i]))
        i += n
    if not any(cls in MEETINGS for cls, _ in found):  # "talked over the phone with": the call word says it
        found += [("Meeting", t) for t in toks if _talks_with(ctx, t)][:1]
    return found


def _talks_with(ctx: Context, tok: Token) -> bool:
    """``spoke today with X``: a verb of talking whose own ``with`` phrase is not right after it
    (a contiguous ``spoke with`` is a phrase trigger already)."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in ctx.res.lexicon.cue("with_verbs"):
        return False
    return any(c.dep_ == "prep" and c.lower_ == "with" and c.i > tok.i + 1 for c in tok.children)


def _phrase_head(toks: list[Token]) -> Token:
    """The word of a meeting or call phrase the parse hangs it on (``conversation`` of ``a
    telephone conversation``, ``spoke`` of ``spoke by phone``): its subject and ``with`` phrase
    are there."""
    span = {t.i for t in toks}
    return next((t for t in toks if t.head.i not in span or t.head.i == t.i), toks[0])


def _phrase_tokens(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> set[int]:
    out: set[int] = set()
    for i in range(len(words)):
        for p in phrases:
            if tuple(words[i:i + len(p)]) == p:
                out.update(range(i, i + len(p)))
    return out


def _summit(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    if tok.dep_ in {"compound", "amod"} and _meeting_word(ctx, tok.head):
        return  # "held a summit telephone talk with X", "summit talks": the meeting word reads it
    orgs = [m for m in sent.mentions if ctx.cls(m.key) == "Organization" and abs(m.tok_end - tok.i) <= 3]
    host = orgs[0].key if orgs else None
    if host is None and (summit_with(ctx, sent, tok) or _held_by_people(ctx, sent, tok)):
        meeting(ctx, sent, tok, "Meeting")  # "a summit with Prime Minister Kishida", "Kim and Putin held a summit"
        return
    ev = next((e for e in ctx.extraction.events if e.cls == "Summit" and (host is None or host in e.participants)), None)
    hosts = _summit_people(ctx, sent, tok)
    if ev is None:
        if host is None and not hosts and not located(ctx, sent):
            return
        ev = add_event(ctx, Event(key="", cls="Summit", label=""))
        ent = ctx.entity(host) if host else None
        ev.label = f"{ent.label} summit" if ent else "Summit"
        if host:
            ev.participants.append(host)
    ev.participants += [p for p in hosts if p not in ev.participants]
    ev.location += [p for p in located(ctx, sent) if p not in ev.location]
    ev.date = ev.date or event_date(ctx, sent, tok)
    ev.evidence.append(ctx.evidence(sent))


def _meeting_word(ctx: Context, tok: Token) -> bool:
    """A word the lexicon's ``events`` give as a meeting or call (``talk``, ``call``, ``meeting``)."""
    events = ctx.res.lexicon.events
    return bool({events.get((tok.lower_,)), events.get((tok.lemma_.lower(),))} & MEETINGS)


def _beside_summit(ctx: Context, ev: Event) -> bool:
    """``On the eve of the summit X held talks with Y``, ``ahead of the summit``: the talks' own
    sentence puts them before or after a summit (the lexicon's ``beside_summit``), not at it."""
    words = ctx.res.lexicon.cue("beside_summit")
    for x in ev.evidence:
        sent = ctx.sentence_at(x.start)
        for tok in (t for t in sent.span if t.lemma_.lower() == "summit") if sent else ():
            line = [tok, *list(tok.ancestors)[:3]]
            if any(a.lower_ in words for a in line[1:]):
                return True
    return False


def _summit_people(ctx: Context, sent: Sent, tok: Token) -> list[str]:
    """``a summit hosted by X and attended by Y``: the people of the ``by`` phrases of the
    participles after the summit word (the lexicon's ``summit_people_verbs``; read by position,
    since the parser often hangs a second participle on the main verb) took part in it."""
    verbs = ctx.res.lexicon.cue("summit_people_verbs")
    acl = [t for t in ctx.doc[tok.i + 1:sent.span.end] if t.tag_ == "VBN" and t.lemma_.lower() in verbs]
    idx = {t.i for v in acl for a in v.children if a.dep_ == "agent" for t in a.subtree}
    return list(dict.fromkeys(m.key for m in sent.mentions if ctx.is_person(m.key) and m.tok_start in idx))


def _held_by_people(ctx: Context, sent: Sent, tok: Token) -> bool:
    """``Kim and Putin held a summit``: the object of a verb whose subject names two or more people."""
    if tok.dep_ != "dobj":
        return False
    idx = {t.i for t in subject_tokens(tok.head)}
    return len({m.key for m in sent.mentions if ctx.is_person(m.key) and m.tok_start in idx}) >= 2


def _link_summits(ctx: Context) -> None:
    """Talks held at a summit are part of it and happen where it happens."""
    summits = [e for e in ctx.extraction.events if e.cls == "Summit"]
    if len(summits) != 1:
        return
    summit = summits[0]
    spans = {(x.start, x.end) for x in summit.evidence}
    recalled = ctx.res.lexicon.cue("recalled_time") | ctx.res.lexicon.cue("recalled_encounter")
    told_there = {(x.start, x.end) for x in summit.evidence
                  if not {fold(w) for w in x.text.split()} & recalled}  # not "the first summit since they met in ..."
    together: list[Event] = []
    for ev in ctx.extraction.events:
        if ev.cls in MEETINGS and ({(x.start, x.end) for x in ev.evidence} & spans or len(summits) == 1):
            ev.part_of = summit.key
            ev.location += [p for p in summit.location if p not in ev.location]
            if ev.cls == "Meeting" and {(x.start, x.end) for x in ev.evidence} & told_there and _same_days(
                    ev.date, summit.date) and not _beside_summit(ctx, ev):
                # talks told in the summit's own sentence: their people attended it
                summit.participants += [p for p in ev.participants if p not in summit.participants]
                together.append(ev)
    if not summit.participants:
        together = _attended_by_its_talks(ctx, summit, ctx.res.lexicon.cue("recalled_encounter"))
    _talks_are_the_summit(ctx, summit, together)


def _attended_by_its_talks(ctx: Context, summit: Event, recalled: frozenset[str]) -> list[Event]:
    """A summit no sentence of its own gives people to (a live blog's "tonight's summit in Paris",
    then its entries on each encounter): the leaders of the talks held at it, those the article
    tells of on its day and never beside an earlier encounter ("the first call since they met")."""
    talks = [ev for ev in ctx.extraction.events if ev.part_of == summit.key and ev.cls == "Meeting"
             and _same_days(ev.date, summit.date)
             and not any({fold(w) for w in x.text.split()} & recalled for x in ev.evidence) and not _beside_summit(ctx, ev)]
    for ev in talks:  # its leaders: the ministers a talk seats are not the summit's
        summit.participants += [p for p in ev.participants if p not in summit.participants and ctx.cls(p) == "Leader"]
    return talks


def _talks_are_the_summit(ctx: Context, summit: Event, together: list[Event]) -> None:
    """Talks told with a summit that seat everyone at it are the summit itself (``the summit``
    and ``their talks`` of one two-leader summit): one event, not a summit and its one meeting.
    Talks of some of them (a bilateral on the sidelines) stay their own, part of it."""
    whole = set(summit.participants)
    same = [e for e in together if len(whole) >= 2 and whole <= set(e.participants)]
    for ev in same:
        summit.evidence += [x for x in ev.evidence if x not in summit.evidence]
        summit.location += [p for p in ev.location if p not in summit.location]
        summit.delegates += [p for p in ev.delegates if p not in summit.delegates and p not in summit.participants]
        summit.participants += [p for p in ev.participants if p not in summit.participants]
        summit.date = summit.date or ev.date
    gone = {e.key for e in same}
    ctx.extraction.events = [e for e in ctx.extraction.events if e.key not in gone]


def _same_days(a: str | None, b: str | None) -> bool:
    """No dates to tell them apart: either undated, or a day apart at most (a dateline after
    midnight)."""
    if a is None or b is None or a == b:
        return True
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= 1
    except ValueError:
        return a.startswith(b) or b.startswith(a)


def _visit(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    if any(t.lemma_.lower() in {"invite", "invitation"} and not _at_the_invitation(ctx, t) for t in sent.span):
        return  # a visit someone is invited to make has not happened ("on a visit at the invitation of X" has)
    visitor = _visitor(ctx, sent, tok)
    dest = places_after(ctx, sent, tok)[:1]
    if visitor is None or not dest or ctx.country_of(visitor) == dest[0]:
        return
    ev = next((e for e in ctx.extraction.events if e.cls == "Visit" and e.initiator == [visitor] and e.destination == dest), None)
    if ev is None:
        ev = add_event(ctx, Event(key="", cls="Visit", label="", initiator=[visitor], participants=[visitor], destination=dest))
        ev.label = f"Visit of {ctx.entity(visitor).label} to {ctx.entity(dest[0]).label}"  # type: ignore[union-attr]
    ev.evidence.append(ctx.evidence(sent))
    ev.date = ev.date or event_date(ctx, sent, tok)


def _at_the_invitation(ctx: Context, tok: Token) -> bool:
    """``at the invitation of X``: the invitation a trip was made on, not one to make it."""
    return tok.lower_ == "invitation" and tok.dep_ == "pobj" and tok.head.lower_ in ctx.res.lexicon.cue("invitation_of_preps")


def _visitor(ctx: Context, sent: Sent, tok: Token) -> str | None:
    """Who travels: the verb's subject (``Modi visited``), the noun's owner (``Modi's visit``),
    the subject of the verb the noun serves (``Modi paid a visit``) or whose ``on`` phrase it
    is (``Modi is on an official visit to Ukraine``, ``arrived on a state visit``)."""
    heads = [tok] if tok.pos_ in {"VERB", "AUX"} else [tok, tok.head]
    noun = tok.head if tok.dep_ in {"amod", "compound"} else tok  # "official" of "an official visit"
    if noun.dep_ == "pobj" and noun.head.lower_ == "on" and noun.head.head.pos_ in {"VERB", "AUX"}:
        heads.append(noun.head.head)
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
    while end < sent.span.end and fold(doc[end].text) in ctx.res.lexicon.cue("operation_words"):
        end += 1
    places: list[Ment] = []
    if end < sent.span.end and doc[end].lower_ in ctx.res.lexicon.cue("operation_heads"):
        places = [m for m in sent.mentions if m.tok_start > end and m.tok_start <= end + 3 and ctx.cls(m.key) in PLACE_CLASSES]
    start = tok.i - 1 if tok.i > sent.span.start and doc[tok.i - 1].lower_ in ctx.res.lexicon.cue("operation_openers") else tok.i
    if not places and doc[start:end].text.lower().split()[-1:] not in (["operation"],):
        return
    label = doc[start:places[0].tok_end].text if places else doc[start:end].text
    label = " ".join(label.split())
    ev = next((e for e in ctx.extraction.events if e.cls == "MilitaryOperation" and fold(e.label) == fold(label)), None)
    if ev is None:
        ev = add_event(ctx, Event(key="", cls="MilitaryOperation", label=label[:1].upper() + label[1:]))
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
    if signing(ctx, sent, tok):
        meeting(ctx, sent, tok, "Meeting")  # "Macron and Tusk signed a treaty in Nancy": they met to sign
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
        ev = add_event(ctx, Event(key="", cls="Agreement", label="Agreement"))
    ev.participants += [p for p in parties if p not in ev.participants]
    ev.evidence.append(ctx.evidence(sent))
    ev.date = ev.date or event_date(ctx, sent, tok)
    names = [ctx.entity(p).label for p in ev.participants if ctx.cls(p) == "Country"]  # type: ignore[union-attr]
    ev.label = f"Agreement between {' and '.join(names)}" if len(names) >= 2 else "Agreement"


def _training(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    sides = [c for c in (ctx.country_of(m.key) for m in sent.mentions) if c]
    sides = list(dict.fromkeys(sides))
    if not sides:
        return
    ev = add_event(ctx, Event(key="", cls="Training", label="Military exercise", participants=sides))
    ev.location = located(ctx, sent)
    ev.evidence.append(ctx.evidence(sent))


_HANDLERS = {
    "Meeting": meeting, "PhoneCall": meeting, "Summit": _summit, "Invitation": invitation,
    "Visit": _visit, "MilitaryOperation": _operation, "Agreement": _agreement, "Training": _training,
}
