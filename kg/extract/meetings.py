"""Meetings and calls: who met whom, from the parse; one node per real encounter.

A meeting has at least two parties: a trigger whose counterpart is never resolved makes no
meeting (:func:`one_sided`). Meetings that were planned, proposed, refused or cancelled
(:func:`not_held`) and sessions people merely attend (:func:`_gathering`) make none either.
Who sits at the table is read by :mod:`kg.extract.tables`.
"""

from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Token

from kg.extract.context import Context, Ment, Sent
from kg.extract.eventkit import MEETINGS, add_event, event_date, located, meetings_told, phrase_spans, subject_tokens
from kg.extract.invitations import hoped_welcome
from kg.extract.pairs import group_word
from kg.extract.tables import governing_verb, parties, seat, their_clause
from kg.model import Event


def _definite(ctx: Context, tok: Token) -> bool:
    """``the meeting``, ``their talks``: a noun that refers back to one event, not ``such meetings``
    (a verb never does)."""
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    lex = ctx.res.lexicon
    dets = {c.lower_ for c in tok.children if c.dep_ in {"det", "poss"}}
    window = {t.lower_ for t in ctx.doc[max(tok.sent.start, tok.i - 2):tok.i]}
    return bool((dets | window) & lex.cue("definite_determiners")) and not window & lex.cue("not_definite")


def irrealis(ctx: Context, sent: Sent, tok: Token) -> bool:
    """The trigger is planned, hoped for or hypothetical rather than reported as happening."""
    after = ctx.res.lexicon.cue("after_meeting_preps")
    if (tok.dep_ == "pobj" and tok.head.lower_ in after) or any(
            c.dep_ == "mark" and c.lower_ in after for c in tok.head.children):
        return False  # "could be saved after his meeting with Trump (ended)": the modal is not the meeting's
    future, modals = ctx.res.lexicon.cue("future"), ctx.res.lexicon.cue("modals")
    head = tok
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head  # "for a state visit to France and talks with X"
    purpose = _clause_verbs(head) if head.dep_ == "pobj" and head.head.lower_ == "for" else []
    if any(_future_before(ctx, sent, t, future) for t in (tok, *purpose)):
        return True  # "due to meet", "is set to fly to Washington for his first summit with X"
    heads = [tok, *_clause_verbs(tok)]  # "should pursue ..., as the prime minister met him": not its clause
    return any(c.dep_ == "aux" and c.lower_ in modals for h in heads for c in h.children)


def _future_before(ctx: Context, sent: Sent, tok: Token, future: frozenset[str]) -> bool:
    """A phrase of the future (``set to``, ``due to``) among the five words before ``tok``."""
    window = [t.lower_ for t in ctx.doc[max(sent.span.start, tok.i - 5):tok.i]]
    return any(f"{a} {b}" in future for a, b in pairwise(window))


def _clause_verbs(tok: Token) -> list[Token]:
    """The verbs ``tok`` hangs on within its own clause, nearest first (``for his summit``
    hangs on ``fly``, which hangs on ``set``); a clause of its own stops the walk."""
    out: list[Token] = []
    node = tok
    for _ in range(4):
        if node.head.i == node.i or node.dep_ in {"conj", "parataxis", "relcl", "advcl", "ccomp", "acl"}:
            break
        node = node.head
        if node.pos_ in {"VERB", "AUX"}:
            out.append(node)
    return out


def _instructed(ctx: Context, tok: Token) -> bool:
    """``directed the envoys to meet``, ``asked them to hold talks``: a meeting in the infinitive
    complement of a verb that is not one of going on (``went on to meet``) is not reported as held."""
    verb = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    if verb.dep_ != "xcomp" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    return verb.head.lemma_.lower() not in ctx.res.lexicon.cue("realis_infinitive_heads")


def _planned_with(ctx: Context, sent: Sent, tok: Token) -> bool:
    """``is scheduled to hold talks with X, meet Y and attend Z``, ``is to host X for lunch and
    hold talks with Y``: a verb coordinated with a planned one (a future phrase, a modal, an
    infinitive under a verb of wanting or being) and sharing its subject shares its plan."""
    verb = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    while verb.dep_ == "conj" and verb.head.i != verb.i and verb.head.pos_ in {"VERB", "AUX"} and not any(
            c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):  # "..., and the two met": a clause of its own
        verb = verb.head
        infinitives = [c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}
                       and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
        if irrealis(ctx, sent, verb) or _instructed(ctx, verb) or any(irrealis(ctx, sent, v) for v in infinitives):
            return True  # (an infinitive the head only asks for, "invited X to visit, and the two met", is not its plan)
    return False


def not_held(ctx: Context, sent: Sent, tok: Token) -> bool:
    """Planned, proposed, refused, cancelled, negated or hypothetical: the trigger's modifiers, or
    the words governing it in the parse (up to the verb of attribution), say it did not take place."""
    if irrealis(ctx, sent, tok) or _instructed(ctx, tok) or _planned_with(ctx, sent, tok):
        return True
    lex = ctx.res.lexicon
    mods = {c.lower_ for c in tok.children if c.dep_ in {"amod", "det", "compound", "advmod"}}
    verb = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    if mods & lex.cue("meeting_not_held_modifiers") or any(c.dep_ == "neg" for c in (*tok.children, *verb.children)):
        return True  # "a possible meeting", "no talks", "did not meet", "the talks did not take place"
    blocked = lex.cue("meeting_not_held")
    node = tok
    for _ in range(4):
        own_clause = node.dep_ in {"conj", "parataxis", "relcl", "advcl"}
        if node.head.i == node.i or own_clause:
            return False  # a coordinated or adverbial clause tells its own event ("invited X, and the two met",
            # "a day after X held a call with Y, officials were trying to ...")
        saying = node.head.lemma_.lower() in lex.claim_verbs
        if saying and node.dep_ == "ccomp":
            return False  # "said the two had met", "suggested that he had met X": a clause reporting it
        if _forms(node.head) & blocked:
            return True  # "proposed that X meet Y", and a verb of saying that governs the meeting
            # itself: "suggested meeting X", "is expected in Ankara for talks"
        if saying:
            return False
        node = node.head
    return False


def _forms(node: Token) -> set[str]:
    """A verb's lemma, with its particle or preposition (``call off``, ``prepare for``) and the
    lemma of its object (``begun arrangements for a meeting``)."""
    lemma = node.lemma_.lower()
    forms = {lemma} | {f"{lemma} {c.lower_}" for c in node.children if c.dep_ in {"prt", "prep"}}
    return forms | {c.lemma_.lower() for c in node.children if c.dep_ == "dobj"}


def _gathering(ctx: Context, tok: Token) -> bool:
    """``both attended the SCO meeting``, ``a panel discussion``: a session people attend, not an
    encounter between them."""
    lex = ctx.res.lexicon
    before = {t.lower_ for t in ctx.doc[max(tok.sent.start, tok.i - 2):tok.i]}
    if before & lex.cue("not_encounter_modifiers"):
        return True
    heads = [tok.head, tok.head.head] if tok.dep_ == "pobj" else [tok.head]
    return tok.pos_ == "NOUN" and any(h.lemma_.lower() in lex.cue("gathering_verbs") for h in heads)


def _meets_someone(ctx: Context, sent: Sent, tok: Token) -> bool:
    """``received``, ``hosted``, ``welcomed`` and ``called on`` are meetings only with a person as
    object (``Putin received Wang Yi``, ``X was received by Y``, ``received each leader``), not
    ``received aid``, ``welcomed the initiative`` or ``called on Kiev to agree``."""
    lex = ctx.res.lexicon
    courtesy = any(start == tok.i for start, _ in phrase_spans(ctx, sent, "courtesy_calls"))
    if tok.lemma_.lower() not in lex.cue("person_object_meetings") and not courtesy:
        return True
    if courtesy and any(c.dep_ in {"xcomp", "ccomp"} for t in (tok, *tok.children) for c in t.children):
        return False  # "called on Kiev to agree to the meeting": urging, not visiting
    preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ != "from"]  # "received a call from X": a call
    objects = [c for t in (tok, *preps) for c in t.children
               if c.dep_ in {"dobj", "nsubjpass", "pobj"}]
    objects += [c for o in objects for c in o.children if c.dep_ == "conj"]
    members = ctx.res.lexicon.cue("member_verbs")  # "received a delegation including X"
    objects += [t for o in objects for r in o.children if r.lemma_.lower() in members for t in r.subtree]
    seated = parties(ctx, sent, tok)
    if any(m.tok_start <= o.i < m.tok_end for o in objects for m in seated):
        return True
    return any(group_word(ctx, list(o.subtree)) for o in objects)


def meeting(ctx: Context, sent: Sent, tok: Token, cls: str) -> None:
    """Read one meeting or call trigger: one encounter per group of principals it seats."""
    if hoped_welcome(ctx, sent, tok):
        return  # "looked forward to welcoming X to Japan": an invitation
    if not_held(ctx, sent, tok) or not _meets_someone(ctx, sent, tok):
        return  # "was due to meet", "proposed talks", "the meeting was cancelled": not held
    definite = _definite(ctx, tok)
    if definite and _joined(ctx, sent, tok):
        return  # "X and Y joined the president for the meeting": company at the meeting told before
    table = seat(ctx, sent, tok, sole=_sole_trigger(ctx, sent, tok) and not definite)
    if _gathering(ctx, tok):
        if definite:  # "Lavrov also attended the talks": a delegate of the talks told before
            _join_delegates(ctx, sent, table.groups[0] + table.delegates)
        return
    multilateral = bool({c.lower_ for c in tok.children} & ctx.res.lexicon.cue("multilateral_words"))
    for people in table.groups:
        people = _fill_table(ctx, sent, tok, people, table.delegates)
        _record(ctx, sent, cls, people, table.delegates, definite=definite, new=multilateral, tok=tok)


def _fill_table(ctx: Context, sent: Sent, tok: Token, people: list[str], delegates: list[str]) -> list[str]:
    """``hosted a trilateral meeting with X and Y``: a word of the table's size (the lexicon's
    ``three_party_words``, ``four_party_words``) seating fewer than it says (a long title made the
    parser lose a name) takes the people named after the trigger, when exactly that many are."""
    words = {c.lower_ for c in tok.children}
    size = 3 if words & ctx.res.lexicon.cue("three_party_words") else 4 if words & ctx.res.lexicon.cue(
        "four_party_words") else 0
    if len(people) >= size:
        return people
    after = list(dict.fromkeys(m.key for m in parties(ctx, sent, tok) if m.tok_start > tok.i and ctx.is_person(m.key)
                               and m.key not in people and m.key not in delegates))
    return people + after if len(people) + len(after) == size else people


def _sole_trigger(ctx: Context, sent: Sent, tok: Token) -> bool:
    """No other word of the sentence names a meeting or call."""
    events = ctx.res.lexicon.events
    kinds = MEETINGS | {"Summit"}
    return not any(t.i != tok.i and (events.get((t.lemma_.lower(),)) in kinds or events.get((t.lower_,)) in kinds)
                   for t in sent.span)


def summit_with(ctx: Context, sent: Sent, tok: Token) -> bool:
    """``a summit with Prime Minister Kishida``, ``Trump's summit with Putin``: a summit word whose
    ``with``/``between`` phrase names a person, or that the subjects hold (``Kim and Putin held a
    summit``) or own (``X and Y agreed ..., in their summit``), is two leaders meeting (attending
    one is not)."""
    seated = parties(ctx, sent, tok)
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in {"with", "between"}):
        idx = {t.i for t in prep.subtree}
        if any(m.tok_start in idx for m in seated):
            return True
    if tok.dep_ == "dobj" and _leaders_of_two_countries(ctx, seated, subject_tokens(tok.head)):
        return True
    # "X and Y agreed ..., in their summit"; with talks told beside it ("held talks at their summit"),
    # the talks are the summit itself (kg.extract.events)
    return _sole_trigger(ctx, sent, tok) and _leaders_of_two_countries(ctx, seated, their_clause(tok))


def _leaders_of_two_countries(ctx: Context, seated: list[Ment], toks: list[Token]) -> bool:
    """``Takaichi and Lee held their first summit``: the subjects are people of two countries."""
    idx = {t.i for t in toks}
    people = {m.key for m in seated if ctx.is_person(m.key) and m.tok_start in idx}
    return len({ctx.country_of(k) for k in people} - {None}) >= 2


def signing(ctx: Context, sent: Sent, tok: Token) -> bool:
    """``Macron and Tusk signed a treaty``: people of two or more countries who sign together met."""
    if tok.lemma_.lower() not in ctx.res.lexicon.cue("signing_verbs") or tok.pos_ not in {"VERB", "AUX"}:
        return False
    return _leaders_of_two_countries(ctx, parties(ctx, sent, tok), subject_tokens(tok))


def _joined(ctx: Context, sent: Sent, tok: Token) -> bool:
    """``Vance and Rubio joined the president for the meeting``, ``Joining the Prime Minister for
    the talks were X and Y``: an active verb of company (the lexicon's ``company_verbs``) whose
    phrase is a meeting told before. Its subjects join that meeting: a delegate when of a
    country already at the table, else a party. Returns whether the trigger was read so."""
    verb = governing_verb(tok)
    if verb.i == tok.i or verb.lemma_.lower() not in ctx.res.lexicon.cue("company_verbs") or any(
            c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children):
        return False  # "was joined at the talks by X" is read by kg.extract.tables
    seated = parties(ctx, sent, tok)
    subjects = {t.i for t in subject_tokens(verb)}
    objects = {t.i for c in verb.children if c.dep_ == "dobj" for t in c.subtree}
    joiners = [m.key for m in seated if m.tok_start in subjects and ctx.is_person(m.key)]
    joined = {m.key for m in seated if m.tok_start in objects}
    ev = find_meeting(ctx, joined, definite=True)
    if ev is None or not joiners:
        return ev is None and bool(joiners)  # company of a meeting never told: no meeting of theirs
    home = {ctx.country_of(p) for p in ev.participants}
    for p in joiners:
        if p not in ev.participants and p not in ev.delegates:
            (ev.delegates if ctx.country_of(p) in home else ev.participants).append(p)
    _add_evidence(ctx, sent, ev)
    return True


def _join_delegates(ctx: Context, sent: Sent, people: list[str]) -> None:
    ev = find_meeting(ctx, set(), definite=True)
    if ev is not None:
        ev.delegates += [p for p in people if p not in ev.participants and p not in ev.delegates]
        _add_evidence(ctx, sent, ev)


def _record(ctx: Context, sent: Sent, cls: str, people: list[str], delegates: list[str], *, definite: bool,
            new: bool = False, tok: Token | None = None) -> None:
    """Add this sentence's account to the meeting it tells of (an earlier one, or a new one;
    ``new``: a trilateral after the bilaterals is a meeting of its own)."""
    if not people and not definite:
        return
    # talks told with a place or date of their own are not the call told before ("On Wednesday
    # they held talks in Anchorage"); without ("the two leaders discussed a ceasefire") they are
    own = tok is None or bool(located(ctx, sent)) or event_date(ctx, sent, tok) is not None
    ev = _same_sentence(ctx, sent, people) if new else \
        find_meeting(ctx, set(people), definite=definite, sent=sent, cls=cls if own else None)
    if ev is None:
        if len(people) < 2:
            return  # a definite "the talks" with no earlier meeting, or one party: nothing to add to
        ev = add_event(ctx, Event(key="", cls=cls, label=""))
    if not (definite and ev.participants):
        ev.participants += [p for p in people if p not in ev.participants]
    elif delegates or phrase_spans(ctx, sent, "delegation_cues"):  # "X sat in on the talks": a delegate
        delegates = delegates + [p for p in people if p not in ev.participants]
    ev.delegates += [p for p in delegates if p not in ev.participants and p not in ev.delegates]
    ev.location += [p for p in located(ctx, sent) if p not in ev.location]
    ev.date = ev.date or (event_date(ctx, sent, tok) if tok is not None else None)
    _add_evidence(ctx, sent, ev)


def _same_sentence(ctx: Context, sent: Sent, people: list[str]) -> Event | None:
    """``X hosted Y and Z for a trilateral meeting``: the meeting this sentence told already with
    the same parties (another word for it, not another meeting)."""
    return next((e for e in meetings_told(ctx, sent) if set(e.participants) == set(people)), None)


def _add_evidence(ctx: Context, sent: Sent, ev: Event) -> None:
    if ctx.evidence(sent) not in ev.evidence:
        ev.evidence.append(ctx.evidence(sent))
    names = [ctx.entity(p).label for p in ev.participants[:3] if ctx.entity(p)]  # type: ignore[union-attr]
    kind = "Phone call" if ev.cls == "PhoneCall" else "Meeting"
    ev.label = f"{kind} of {' and '.join(names)}" if names else kind


def delegation_sentence(ctx: Context, sent: Sent) -> None:
    """``The Russian delegation included X and Y`` with no meeting word: delegates of the meeting
    told just before (at most two sentences back)."""
    meetings = [e for e in ctx.extraction.events if e.cls in MEETINGS]
    if not meetings:
        return
    last = _last_told(meetings)
    told = [s.index for s in (ctx.sentence_at(e.start) for e in last.evidence) if s is not None]
    if not told or sent.index - max(told) > 2:
        return
    if not phrase_spans(ctx, sent, "delegation_cues"):
        return
    people = [m.key for m in parties(ctx, sent) if ctx.is_person(m.key)]
    last.delegates += [p for p in people if p not in last.participants and p not in last.delegates]
    _add_evidence(ctx, sent, last)


def attendance(ctx: Context, sent: Sent) -> None:
    """``Trump met al-Sharaa in Riyadh. Saudi Crown Prince X attended``: X was at the meeting told
    in the sentence before, a principal when of a third country, else a delegate of his side."""
    meetings = [e for e in ctx.extraction.events if e.cls in MEETINGS]
    came = _attendees(ctx, sent) if meetings else []
    if not came:
        return
    last = _last_told(meetings)
    told = [s.index for s in (ctx.sentence_at(e.start) for e in last.evidence) if s is not None]
    if not told or sent.index - max(told) != 1:
        return
    home = {ctx.country_of(p) for p in last.participants}
    for p in came:
        if p not in last.participants and p not in last.delegates:
            (last.delegates if ctx.country_of(p) in home else last.participants).append(p)
    _add_evidence(ctx, sent, last)


def _attendees(ctx: Context, sent: Sent) -> list[str]:
    """The people who ``attended`` with no object (``X attended, and Y joined by telephone``)."""
    verbs = [t for t in sent.span if t.lemma_.lower() in ctx.res.lexicon.cue("attendance_verbs") and t.pos_ == "VERB"
             and not any(c.dep_ in {"dobj", "prep"} for c in t.children)]
    idx = {t.i for v in verbs for t in subject_tokens(v)}
    return [m.key for m in parties(ctx, sent) if ctx.is_person(m.key) and m.tok_start in idx]


def one_sided(ctx: Context) -> None:
    """A meeting has at least two parties: drop meetings and calls whose counterpart was never
    resolved, and the links that pointed at them."""
    dropped = {e.key for e in ctx.extraction.events if e.cls in MEETINGS and len(e.participants) < 2}
    ctx.extraction.events = [e for e in ctx.extraction.events if e.key not in dropped]
    for ev in ctx.extraction.events:
        if ev.part_of in dropped:
            ev.part_of = None


def _last_told(meetings: list[Event]) -> Event:
    """The meeting told last in the text (a live blog's newest entry comes first, so the one
    added last is not always the one the next sentence is about)."""
    return max(reversed(meetings), key=lambda e: max((ev.start for ev in e.evidence), default=-1))


def _new_pair(meetings: list[Event], people: set[str]) -> bool:
    """``Modi rode with Putin to their talks`` after Modi's talks with Xi: a definite meeting word
    whose parse seats two or more who have not met in the text yet is another encounter."""
    return len(people) >= 2 and not any(people <= set(e.participants) for e in meetings)


def find_meeting(ctx: Context, people: set[str], *, definite: bool = False, sent: Sent | None = None,
                 cls: str | None = None) -> Event | None:
    """The earlier meeting this sentence talks about, if any: for ``the talks``, the last one
    told sharing a party; else one of the same kind (``cls``: talks are not the call) with the
    same parties, or fewer of them. A meeting told earlier in the same sentence is a different
    encounter (``received each separately, then together``)."""
    meetings = [e for e in ctx.extraction.events if e.cls in MEETINGS]
    if not meetings:
        return None
    if definite and not _new_pair(meetings, people):
        overlapping = [e for e in meetings if people & set(e.participants)]
        if overlapping or not people:
            return _last_told(overlapping or meetings)
    meetings = [e for e in meetings if cls is None or e.cls == cls]
    if not meetings:
        return None
    if not people or len(people) == 1:
        hits = [e for e in meetings if people <= set(e.participants)]
        return _last_told(hits) if hits else (_last_told(meetings) if not people else None)
    here = ctx.evidence(sent) if sent is not None else None
    for ev in reversed(meetings):
        told = set(ev.participants)
        if people == told:
            return ev  # two of a trilateral or a multilateral who hold talks or sign meet on their own
    fewer = [e for e in meetings if set(e.participants) < people and here not in e.evidence]
    return fewer[0] if len(fewer) == 1 else None  # "met each in turn, then all three spoke": a new one
