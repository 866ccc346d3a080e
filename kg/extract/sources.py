"""Sources that are not named people, and the ``experts react`` layout.

``officials told``, ``a senior Hamas official said``, ``sources familiar with the talks said``:
the subject noun phrase becomes the claimant (a group an Organization, one unnamed person a
Person typed by its role word), affiliated to the country or organisation the phrase
names. ``the presidency said``, ``China's Commerce Ministry said``, ``Netanyahu's office
said``: the institution. A bare ``officials said`` after ``Japanese officials`` is the same
group. Lists of words: ``source_nouns`` and ``institution_nouns`` in ``lexicon.yaml``.

``Name: role, Affiliation`` on a line of its own, then paragraphs with no verb of saying:
the paragraphs are that person's view (:func:`source_lines`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract.context import Context, Ment, Sent
from kg.extract.text import PERSON_CLASSES, entity_key, fold, norm_key
from kg.model import Entity, Mention

_DROP = {"relcl", "acl", "appos", "punct", "cc", "advcl", "parataxis"}
_DETERMINERS = {"the", "a", "an", "some", "several", "two", "three", "many", "other", "its", "their"}
_ABBREVIATED = re.compile(r"^(.*?\S)\s*\(([A-Z][A-Za-z]{1,9})\)$")
_HEADER = re.compile(r"^(?P<name>[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){1,3})\s*[:–—|,]\s+(?P<rest>[^\n.!?]{3,160})$")
# "Camila Restrepo is a senior fellow at the Atlantic Council." as a paragraph of its own
_BIO = re.compile(r"^(?P<name>[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){1,3})\s+(?:is|serves as)\s+"
                  r"(?P<rest>(?:(?:a|an|the)\s+)?[a-z][^\n!?]{3,160}?)\.?$")
_BYLINE_WORDS = {"By", "BY", "Written", "Reporting"}
_BIO_AT = re.compile(r"\b(?:at|with|of)\s+(?:the\s+)?(?=[A-Z])")


def unnamed_source(ctx: Context, sent: Sent, subject: Token) -> str | None:
    """The claimant a speaking subject without a named person stands for, or None.

    Adds the entity (and its mention) to the context when it is new."""
    lex = ctx.res.lexicon
    head = subject
    lemma = head.lemma_.lower()
    kept = {t.i for t in _noun_phrase(head)}
    if any(ctx.cls(m.key) == "MediaOutlet" and m.tok_start in kept for m in sent.mentions):
        return None  # "Iran's official news agency IRNA reported": the outlet itself
    named = {t.i for t in head.subtree} - kept  # clauses and appositions hanging off the subject
    if any(ctx.is_person(m.key) and m.tok_start in named for m in sent.mentions):
        return None  # "A former EU diplomat who served in Tehran, Thomas Brenner, argued": a named person
    institution = lemma in lex.cue("institution_nouns") or fold(head.text) in lex.cue("institution_nouns")
    whole = _noun_phrase(head)
    toks = list(whole)
    while toks and toks[0].lower_ in _DETERMINERS:
        toks = toks[1:]
    if not toks:
        return None
    indefinite = toks[0].i > 0 and ctx.doc[toks[0].i - 1].lower_ in {"a", "an"}
    # "A Downing Street spokesperson said": someone unnamed by a role word, only when introduced as new
    by_role = indefinite and lemma in lex.cue("role_source_nouns")
    if not institution and not by_role and lemma not in lex.cue("source_nouns"):
        return None
    span = ctx.doc[toks[0].i:toks[-1].i + 1]
    plural = head.tag_ in {"NNS", "NNPS"}
    if not institution and not plural and not indefinite and len(toks) == 1:
        return None  # "the official said": someone named before, not a new source
    if not institution and len(span) == 1 and plural:
        earlier = _earlier_group(ctx, norm_key(span.text))
        if earlier is not None:
            return _mention(ctx, sent, span, earlier)
    cls = "Organization" if institution or plural else _person_class(ctx, lemma)
    if institution and set(norm_key(span.text).split()) - {fold(head.text)} & lex.media_name_words:
        cls = "MediaOutlet"  # "the Qatar News Agency said": an agency of news is an outlet
    label = " ".join(span.text.split())
    key = entity_key(label, cls)
    if key not in ctx.entities and ctx.res.gazetteer.entities.get(key) is None:
        ctx.entities[key] = Entity(key, label, cls, set(), role=None if cls == "Organization" else head.text,
                                   affiliation=_affiliation(ctx, sent, span))
    ent = ctx.entities.get(key)
    if ent is not None and not institution:
        ent.aliases |= _source_aliases(ctx, whole, span, head)
    return _mention(ctx, sent, span, key)


def _source_aliases(ctx: Context, whole: list[Token], span: Span, head: Token) -> set[str]:
    """Other names of an unnamed source as the text gives them: with its article (``A Malaysian
    official familiar with the preparations``) and without what follows the head (``Malaysian official``)."""
    out = set()
    if whole and whole[0].i < span.start:
        out.add(" ".join(ctx.doc[whole[0].i:span.end].text.split()))
    if head.i < span.end - 1 and head.i > span.start:
        out.add(" ".join(ctx.doc[span.start:head.i + 1].text.split()))
    return out


def seat_institution(ctx: Context, sent: Sent, seat: Ment) -> str:
    """``The White House said``, ``the Kremlin announced``: a seat of power that speaks is the
    office that sits there, an Organization of the country the seat stands for."""
    span = ctx.doc[seat.tok_start:seat.tok_end]
    while len(span) > 1 and span[0].lower_ in _DETERMINERS:
        span = span[1:]
    label = " ".join(span.text.split())
    key = entity_key(label, "Organization")
    if key not in ctx.entities:
        ctx.entities[key] = Entity(key, label, "Organization", set(), affiliation=ctx.country_of(seat.key))
    return _mention(ctx, sent, span, key)


def _noun_phrase(head: Token) -> list[Token]:
    """The head and its modifiers (``sources familiar with the talks``), without clauses."""
    out = [head]
    for child in head.children:
        if child.dep_ not in _DROP:
            out += list(child.subtree)
    return sorted(out, key=lambda t: t.i)


def _person_class(ctx: Context, lemma: str) -> str:
    cls = ctx.res.lexicon.roles.get((lemma,))
    return cls if cls in PERSON_CLASSES else "Person"


def _affiliation(ctx: Context, sent: Sent, span: Span) -> str | None:
    """The country or organisation named inside the phrase (``Israeli``, ``Hamas``, ``China's``)."""
    for m in sent.mentions:
        if span.start <= m.tok_start and m.tok_end <= span.end:
            if ctx.cls(m.key) == "Country" or m.kind in {"demonym", "seat"}:
                return ctx.country_of(m.key)
            if ctx.cls(m.key) == "Organization":
                return m.key
    return None


def _earlier_group(ctx: Context, head: str) -> str | None:
    """``officials`` after ``Japanese officials``: the last group of that head noun."""
    groups = [k for k, e in ctx.entities.items() if e.cls == "Organization" and norm_key(e.label).endswith(head)
              and " " in e.label and not e.reference]
    return groups[-1] if groups else None


def _mention(ctx: Context, sent: Sent, span: Span, key: str) -> str:
    ent = ctx.entities.get(key)
    if ent is not None and span.text != ent.label:
        ent.aliases.add(" ".join(span.text.split()))
    if not any(m.tok_start == span.start and m.key == key for m in sent.mentions):
        sent.mentions.append(Ment(span.start_char, span.end_char, span.start, span.end, key, "name"))
        sent.mentions.sort(key=lambda m: m.start)
        ctx.extraction.mentions.append(Mention(key, span.start_char, span.end_char, span.text))
    return key


@dataclass(frozen=True, slots=True)
class SourceLine:
    """``Farah Qureshi: nonresident senior fellow, South Asia Center`` on a line of its own."""

    start: int  # body offsets of the line
    end: int
    name: str
    name_start: int
    role: str
    cls: str
    affiliation: str | None  # the text after the role's last comma, when capitalised


def source_lines(ctx: Context) -> list[SourceLine]:
    """Lines that introduce a commentator by name and role, as ``experts react`` pieces do
    (``Name: role, Organisation`` or a paragraph ``Name is a role at Organisation.``; two or more of
    them: one such line alone may be a caption or an author's note)."""
    out: list[SourceLine] = []
    start = 0
    for line in ctx.article.body.split("\n"):
        m = _HEADER.match(line.strip())
        bio = _BIO.match(line.strip()) if m is None else None
        m = m or (bio if bio is not None and ". " not in bio.group("rest") else None)
        if m is not None and m.group("name").split()[0] not in _BYLINE_WORDS:  # "By Selin Aydin, fellow, ..."
            found = _role_in(ctx, m.group("rest"))
            if found is not None:
                offset = start + line.index(m.group("name"))
                aff = _bio_affiliation(ctx, m.group("rest")) if bio else _affiliation_part(ctx, m.group("rest"))
                cls = _commentator_class(ctx, found[0], aff)
                out.append(SourceLine(start, start + len(line), m.group("name"), offset, found[1], cls, aff))
        start += len(line) + 1
    return out if len({line.name for line in out}) >= 2 else []  # a byline and its bio name one author


def _bio_affiliation(ctx: Context, rest: str) -> str | None:
    """The organisation of ``a senior fellow at the X Center``: the capitalised words after the
    last ``at``/``with``/``of`` (``deputy director of the energy program at the Global Energy Center``)."""
    cuts = list(_BIO_AT.finditer(rest))
    if not cuts:
        return None
    return _affiliation_part(ctx, "role, " + rest[cuts[-1].end():].rstrip(". "))


def _affiliation_part(ctx: Context, rest: str) -> str | None:
    """The organisation of ``role, Organisation[, City]``: the last capitalised part after the
    role that is neither a role nor a place (``Institute for Security Studies, Dakar``)."""
    parts = [p.strip() for p in rest.split(",")][1:]
    places = {"City", "Country", "Region"}
    for part in reversed(parts):
        whole = [h for h in ctx.res.gazetteer.match(part) if h.start == 0 and h.end == len(part)]
        if whole and ctx.res.gazetteer.entities[whole[0].key].cls in places:
            continue
        return part if part[:1].isupper() and not _role_in(ctx, part) else None
    return None


def _commentator_class(ctx: Context, cls: str, affiliation: str | None) -> str:
    """``head of the Africa-Europe programme, South African Institute of International Affairs``:
    in an ``experts react`` layout, someone with a post at a research body comments as an Expert."""
    if cls == "Expert" or affiliation is None or cls == "Leader":
        return cls
    words = set(norm_key(affiliation).split())
    return "Expert" if words & ctx.res.lexicon.cue("research_bodies") else cls


def source_line_mentions(ctx: Context) -> list[Ment]:
    """The people (and their organisations) that source lines introduce, as entities and mentions."""
    out: list[Ment] = []
    for line in source_lines(ctx):
        span = ctx.doc.char_span(line.name_start, line.name_start + len(line.name), alignment_mode="contract")
        if span is None:
            continue
        aff = _line_affiliation(ctx, line, out)
        key = entity_key(line.name, line.cls)
        ent = ctx.entities.setdefault(key, Entity(key, line.name, line.cls, set(), role=line.role, affiliation=aff))
        if ent.cls == "Person":
            ent.cls, ent.role = line.cls, line.role
        out.append(Ment(span.start_char, span.end_char, span.start, span.end, key, "name"))
    return out


def _line_affiliation(ctx: Context, line: SourceLine, out: list[Ment]) -> str | None:
    """The organisation after the role (``South Asia Center``): a gazetteer one, else a new one."""
    if not line.affiliation:
        return None
    body = ctx.article.body
    begin = body.find(line.affiliation, line.name_start, line.end)
    for hit in ctx.res.gazetteer.match(line.affiliation):
        if ctx.res.gazetteer.entities[hit.key].cls in {"Organization", "MediaOutlet"}:
            return hit.key
    span = ctx.doc.char_span(begin, begin + len(line.affiliation), alignment_mode="contract") if begin >= 0 else None
    if span is None:
        return None
    label, short = line.affiliation, set()
    abbr = _ABBREVIATED.match(label)  # "European Centre for Development Policy Management (ECDPM)"
    if abbr is not None:
        label, short = abbr.group(1), {abbr.group(2)}
    key = entity_key(label, "Organization")
    ctx.entities.setdefault(key, Entity(key, label, "Organization", short))
    out.append(Ment(span.start_char, span.end_char, span.start, span.end, key, "name"))
    return key


def _role_in(ctx: Context, text: str) -> tuple[str, str] | None:
    """(class, role) of the role phrases in ``text``; an Expert role wins (the line introduces a
    commentator)."""
    roles = ctx.res.lexicon.roles
    words = norm_key(text).split()
    hits = []
    for i in range(len(words)):
        for n in range(min(ctx.res.lexicon.max_role_len, len(words) - i), 0, -1):
            cls = roles.get(tuple(words[i:i + n]))
            if cls:
                hits.append((cls, " ".join(words[i:i + n])))
                break
    if not hits or len(words) > 16:
        return None
    experts = [h for h in hits if h[0] == "Expert"]
    return (experts or hits)[0]
