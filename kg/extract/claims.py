"""Who says what: attribution cues make Claims with a named claimant and, if given, the outlet.

``X said``, ``said X``, ``X told Tsargrad``, ``according to X``, and ``He added`` (the
last speaker) are read from the dependency parse; a claim whose wording hedges
(``could``, ``may``, ``potentially``) is marked hedged.
"""

from __future__ import annotations

from itertools import zip_longest

from spacy.tokens import Token

from kg.extract.context import Context, Ment, Sent
from kg.extract.registry import stage
from kg.extract.sources import seat_institution, source_lines, unnamed_source
from kg.extract.text import AGENT_CLASSES, PERSON_CLASSES, entity_key, fold
from kg.model import Claim, Evidence

_PRONOUNS = {"he", "she"}


@stage("claims", requires=["mentions"], assigns=["claims"], version="1", default=True)
def find_claims(ctx: Context) -> None:
    """Add one Claim per named claimant per sentence; remember each sentence's claimants."""
    last: str | None = None
    last_at = -9
    n = 0
    for i, sent in enumerate(ctx.sents):
        if sent.heading:
            continue
        recent = last if i - last_at <= 2 else None  # '"...," he said' right after X spoke is X again
        for claimant, outlet, cue in _attributions(ctx, sent, recent):
            n += 1
            ctx.extraction.claims.append(Claim(
                key=f"claim-{n}", claimant=claimant, text=ctx.evidence(sent).text,
                evidence=[ctx.evidence(sent)], reported_by=outlet, cue=cue,
                certainty=_certainty(ctx, sent, cue),
            ))
            if ctx.is_person(claimant):
                last, last_at = claimant, i
        if not any(c.evidence[0].start == ctx.evidence(sent).start for c in ctx.extraction.claims):
            person = _last_person(ctx, sent)
            if person is not None:
                last, last_at = person, i
    _views(ctx)


def _views(ctx: Context) -> None:
    """``experts react``: each sentence under a ``Name: role, Affiliation`` line, until the next
    such line, is that person's view, unless it attributes itself to someone else."""
    lines = source_lines(ctx)
    said = {c.evidence[0].start for c in ctx.extraction.claims}
    for line, nxt in zip_longest(lines, lines[1:]):
        who = entity_key(line.name, line.cls)
        for sent in ctx.sents:
            ev = ctx.evidence(sent)
            if sent.heading or ev.start < line.end or (nxt is not None and ev.start >= nxt.start) or ev.start in said:
                continue
            ctx.extraction.claims.append(Claim(key=f"claim-{len(ctx.extraction.claims) + 1}", claimant=who,
                                               text=ev.text, evidence=[ev], cue="view",
                                               certainty=_certainty(ctx, sent, "view")))


def _attributions(ctx: Context, sent: Sent, last: str | None) -> list[tuple[str, str | None, str]]:
    lex = ctx.res.lexicon
    found: list[tuple[str, str | None, str]] = []
    for tok in sent.span:
        if _says(ctx, tok):
            speaker = found[-1][0] if found and ctx.is_person(found[-1][0]) else last
            trailing = None if _own_subjects(tok) else _subject(ctx, sent, tok, [], speaker)
            for group in [[]] if trailing else _subject_groups(sent, tok):  # 'Trump said he thought': "he" is Trump
                who = trailing or _subject(ctx, sent, tok, group, speaker)
                if who is None:
                    continue
                outlet = _outlet(ctx, sent, tok) if tok.lemma_.lower() in lex.outlet_verbs else None
                found.append((who, outlet, tok.lemma_.lower()))
        elif tok.lower_ == "according" and tok.i + 2 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            m = _according_to(sent, tok.doc[tok.i + 1])
            if m is not None and ctx.cls(m.key) in AGENT_CLASSES:
                outlet = m.key if ctx.cls(m.key) == "MediaOutlet" else None
                found.append((m.key, outlet, "according to"))
    quoted = _quote_after(ctx, sent)
    if quoted is not None and not found:
        found.append((quoted, None, "quote"))
    if not found and last is not None and _in_their_view(ctx, sent):
        found.append((last, None, "view"))  # "Kulkarni is more cautious. In her view the border ..."
    found = _outlet_reports(ctx, found)
    unique: dict[str, tuple[str, str | None, str]] = {}
    for who, outlet, cue in found:
        if who not in unique or (outlet and not unique[who][1]):
            unique[who] = (who, outlet, cue)
    return list(unique.values())


def _says(ctx: Context, tok: Token) -> bool:
    """Whether ``tok`` is a verb of saying: a claim verb; an evaluative verb (``hailed the result
    as``, ``called the deal the most important achievement``, ``welcomed it as "historic"``) with
    its complement or a quotation; or a verb that says only with a clause (``posted that ...``)."""
    lemma, lex = tok.lemma_.lower(), ctx.res.lexicon
    if tok.pos_ not in {"VERB", "AUX"}:
        return False
    deps = {c.dep_ for c in tok.children}
    if lemma in lex.claim_verbs:
        preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
        # "Helena Maurer writes on EU foreign policy": a byline's note, not a claim
        return not (lemma == "write" and preps & {"on", "about"} and not deps & {"ccomp", "dobj"}
                    and not _quoted(tok))
    if lemma in lex.cue("evaluative_verbs"):
        as_ = any(c.dep_ == "prep" and c.lower_ == "as" for c in tok.children)
        return "oprd" in deps or as_ or _quoted(tok)
    return lemma in lex.cue("clause_claim_verbs") and "ccomp" in deps


def _quoted(verb: Token) -> bool:
    """A quotation mark in what the verb governs, its subject aside."""
    return any(t.text in _QUOTES or t.text in {"”", "’", "»"} for c in verb.children
               if c.dep_ not in {"nsubj", "nsubjpass"} for t in c.subtree)


def _subject_groups(sent: Sent, verb: Token) -> list[list[Token]]:
    """The verb's subjects, then each subject coordinated with them (``X and Y said``: two speakers;
    not a word the parser joined from inside a longer name, ``X of the Institute of China and Asia``).

    A verb with no subject of its own takes that of the verb it continues: ``X thanked Y and said``
    (a conjunct), ``X rejected the claims, saying`` (a participle); ``Prime Minister Y, who said``
    is Y (a name: ``lawmakers who accuse him`` are no source)."""
    head = verb
    while not _own_subjects(head) and head.head is not head and head.head.pos_ in {"VERB", "AUX"} and (
            head.dep_ == "conj" or (head.dep_ == "advcl" and head.tag_ == "VBG")):
        head = head.head
    own = _own_subjects(head)
    if own and all(t.tag_ in {"WP", "WDT"} for t in own) and head.dep_ == "relcl" and head.head.pos_ == "PROPN":
        own = [head.head]  # "Prime Minister X, who said": the name the clause hangs on
    groups = [own]
    for sub in own:
        groups += [[c] for c in sub.conjuncts if c.i > sub.i and c.pos_ in {"PROPN", "NOUN"}
                   and not any(m.tok_start < c.left_edge.i <= m.tok_end - 1 for m in sent.mentions)]
    return groups


def _own_subjects(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]


def _according_to(sent: Sent, to: Token) -> Ment | None:
    """The source after ``according to``: the mention at the head of its object (``according to
    Yunus's press secretary Shafiqul Alam`` is Alam, not Yunus), else the first one after ``to``."""
    for obj in to.children:
        if obj.dep_ == "pobj":
            m = _mention_in(sent, obj)  # the name covering the head, else the person in apposition to it
            if m is not None and m.kind in {"name", "ref"}:
                return m
    return _mention_from(sent, to.i + 1)


def _in_their_view(ctx: Context, sent: Sent) -> bool:
    """``In her view``, ``in his opinion``: the view of the person just named."""
    text = " " + " ".join(fold(t.text) for t in sent.span) + " "
    return any(f" {p} " in text for p in ctx.res.lexicon.cue("view_phrases"))


def _outlet_reports(ctx: Context, found: list[tuple[str, str | None, str]]) -> list[tuple[str, str | None, str]]:
    """``According to Xinhua, Xi told Modi ...``, ``X described the talks as useful, IRNA reported``:
    the agency reports what someone else said; it is the outlet of that claim, not a claimant beside them."""
    outlets = [who for who, _, cue in found if cue in {"according to", "report"} and ctx.cls(who) == "MediaOutlet"]
    others = [f for f in found if f[0] not in outlets]
    if not outlets or not others:
        return found
    return [(who, outlet or outlets[0], cue) for who, outlet, cue in others]


def _subject(ctx: Context, sent: Sent, verb: Token, subjects: list[Token], last: str | None) -> str | None:
    """The named agent among ``subjects`` (the verb's); a pronoun subject is the last speaker."""
    before = verb.doc[verb.i - 1] if verb.i > sent.span.start else None
    if not subjects and before is not None and before.pos_ in {"NOUN", "PROPN"} and before.dep_ == "appos":
        subjects = [before]  # "..., Iran's foreign ministry said": the parser hung the speaker on the clause
    for child in subjects:  # "Iran's official news agency IRNA reported": the named subject first
        named = [m.key for m in sent.mentions if m.tok_start <= child.i < m.tok_end and m.kind == "name"]
        if len(subjects) > 1 and named and ctx.cls(named[0]) in AGENT_CLASSES:
            return named[0]
    for child in subjects:
        if child.lower_ in _PRONOUNS:
            if last is not None:
                return last
            resolved = [m.key for m in sent.mentions if m.kind == "pronoun" and m.tok_start == child.i]
            return resolved[0] if resolved else None
        if not any(m.tok_start <= child.i < m.tok_end for m in sent.mentions):
            source = unnamed_source(ctx, sent, child)  # "officials said", "Netanyahu's office said"
            if source is not None:
                return source
        m = _mention_in(sent, child)
        if m is not None and m.kind == "seat" and m.tok_start <= child.i < m.tok_end:
            if any(c.dep_ == "xcomp" for c in verb.children):
                return None  # "which the Kremlin expects to hold": an intention, not a claim
            return seat_institution(ctx, sent, m)  # "the White House said": the office that sits there
        if m is not None and ctx.cls(m.key) == "Facility" and m.tok_start <= child.i < m.tok_end:
            return seat_institution(ctx, sent, m)  # "Buckingham Palace said": a building speaks for its office
        if m is None or ctx.cls(m.key) not in AGENT_CLASSES:
            continue
        if not (m.tok_start <= child.i < m.tok_end) and _is_role(ctx, child) and not ctx.is_person(m.key):
            continue  # "The Pentagon chief said": a person we cannot name, not the Pentagon
        return m.key
    return None


_INTRODUCERS = {":", "-", "–", "—", "--"}
_QUOTES = {'"', "“", "‘", "'", "«"}


def _quote_after(ctx: Context, sent: Sent) -> str | None:
    """``Lavrov: "We ..."``, ``Lavrov — "we ..."``: a named agent, a colon or dash, then a quotation."""
    doc = ctx.doc
    for m in sent.mentions:
        if m.kind == "pronoun" or ctx.cls(m.key) not in AGENT_CLASSES or m.tok_end + 1 >= sent.span.end:
            continue
        if doc[m.tok_end].text in _INTRODUCERS and doc[m.tok_end + 1].text in _QUOTES:
            return m.key
    marks = [t.i for t in sent.span if t.text in _INTRODUCERS and t.i + 1 < len(doc) and doc[t.i + 1].text in _QUOTES]
    subject = [t for t in sent.span if marks and t.i < marks[0] and t.dep_ == "nsubj" and t.head.i < marks[0]]
    if subject:  # 'X sees the risk on the European side: "..."', 'X is more optimistic - "..."'
        people = [m.key for m in sent.mentions if ctx.is_person(m.key) and m.kind != "pronoun"
                  and m.tok_start <= subject[0].i < m.tok_end]
        return people[0] if people else None
    return None


def _is_role(ctx: Context, tok: Token) -> bool:
    return (fold(tok.text),) in ctx.res.lexicon.roles or (tok.lemma_.lower(),) in ctx.res.lexicon.roles


def _mention_in(sent: Sent, head: Token) -> Ment | None:
    """The mention covering ``head``, or else the first agent mention in its subtree."""
    left, right = head.left_edge.i, head.right_edge.i + 1
    inside = [m for m in sent.mentions if m.tok_start <= head.i < m.tok_end]
    if inside:
        return inside[0]
    sub = [m for m in sent.mentions if left <= m.tok_start and m.tok_end <= right and m.kind in {"name", "ref"}]
    people = [m for m in sub if m.key.startswith("person/")]  # "a former EU diplomat, Thomas Brenner"
    best = people or sub
    return best[0] if best else None


def _mention_from(sent: Sent, tok_i: int) -> Ment | None:
    """The first named mention starting at or within two tokens after ``tok_i``."""
    for m in sent.mentions:
        if tok_i <= m.tok_start <= tok_i + 2 and m.kind in {"name", "ref"}:
            return m
    return None


def _outlet(ctx: Context, sent: Sent, verb: Token) -> str | None:
    for child in verb.children:
        if child.dep_ in {"dobj", "dative", "iobj", "obj"}:
            m = _mention_in(sent, child)
            if m is not None and ctx.cls(m.key) == "MediaOutlet":
                return m.key
    return None


def _certainty(ctx: Context, sent: Sent, cue: str) -> str:
    hedges = ctx.res.lexicon.hedges
    if cue in hedges:
        return "hedged"
    return "hedged" if any(fold(t.text) in hedges for t in sent.span) else "asserted"


def _last_person(ctx: Context, sent: Sent) -> str | None:
    persons = [m.key for m in sent.mentions if ctx.cls(m.key) in PERSON_CLASSES]
    return persons[-1] if len(set(persons)) == 1 else None


@stage("claim-targets", requires=["claims", "events", "cooperations"], assigns=["claims.about"], version="1",
       default=True)
def claim_targets(ctx: Context) -> None:
    """What each claim is about: the entities and facts read from its sentence."""
    facts: list[tuple[str, list[Evidence]]] = [(e.key, e.evidence) for e in ctx.extraction.events]
    facts += [(c.key, c.evidence) for c in ctx.extraction.cooperations]
    for claim in ctx.extraction.claims:
        span = (claim.evidence[0].start, claim.evidence[0].end)
        sent = ctx.sentence_at(span[0])
        keys = [m.key for m in (sent.mentions if sent else []) if m.key not in {claim.claimant, claim.reported_by}]
        keys += [key for key, evidence in facts if any((e.start, e.end) == span for e in evidence)]
        claim.about = list(dict.fromkeys(keys))
