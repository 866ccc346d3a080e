"""Who and where: gazetteer names, statistical NER typed from context, and short references.

Order matters and is deliberate: the gazetteer speaks first (it knows Kursk is a region
even when the model calls it a product); the model then proposes names the gazetteer
lacks, typed by the words around them (``Analyst X``, ``told X``, ``the X region``);
last, surnames, titles (``the Russian president``) and pronouns resolve to people
already named in the same article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.extract.acronyms import with_role_initials
from kg.extract.context import Context, Ment
from kg.extract.expertise import research_roles
from kg.extract.references import pronoun_refs, surname_refs, title_refs
from kg.extract.registry import stage
from kg.extract.roles import (
    bio_roles,
    coordinated_place,
    event_words,
    find_role,
    in_title,
    inside_an_org_name,
    looks_like_name,
    media_context,
    not_an_org,
    person_by_context,
    speaks,
)
from kg.extract.seats import seat_places
from kg.extract.sources import source_line_mentions
from kg.extract.speaker import first_person_refs
from kg.extract.text import PERSON_CLASSES, entity_key, norm_key
from kg.model import Entity, Mention

NER_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
_LEADING = {"the", "a", "an", "former", "late", "then"}
_NER_PLACES = {"GPE": "City", "LOC": "Region", "FAC": "Facility"}
_PLACE_PREPS = {"in", "near", "at", "into", "from", "outside", "across"}


@dataclass(slots=True, kw_only=False)
class Candidate:
    """A name the gazetteer lacks, with what its context says about it."""

    span: Span
    cls: str
    ner: str = ""
    role: str | None = None
    label: str | None = None  # when the name is not the span's text ("Kherson region")
    lone: bool = False  # a one-word name kept only if it is part of a known person's name
    affiliation: str | None = None


@stage("entities", requires=["furniture"], assigns=["mentions", "entities"], version="1", default=True)
def find_entities(ctx: Context) -> None:
    """Fill ``ctx.sents[*].mentions`` and ``ctx.entities``; record ``Mention``s."""
    ments = _gazetteer_mentions(ctx)
    ments += seat_places(ctx, ments)  # "talks in the Kremlin": the building, besides the state
    lines = source_line_mentions(ctx)  # "Farah Qureshi: senior fellow, South Asia Center"
    ments = [m for m in ments if not any(m.start < n.end and n.start < m.end for n in lines)] + lines
    ments = with_role_initials(ctx, ments)  # "EAM" after "External Affairs Minister Dr. S. Jaishankar"
    taken = [(m.start, m.end) for m in ments]
    cands = _pattern_places(ctx, taken)
    cands += _pattern_people(ctx, taken)
    cands += _ner_candidates(ctx, taken, ments)
    ments += _resolve_candidates(ctx, cands, ments)
    ments = _surnames_first(ctx, ments)
    ments += surname_refs(ctx, ments)
    ments += title_refs(ctx, ments)
    ments += first_person_refs(ctx, ments)  # "I", "The President" in a statement: its speaker
    ments += pronoun_refs(ctx, ments)
    ments.sort(key=lambda m: m.start)
    body = ctx.article.body
    page = [(s, e) for s, e in ctx.furniture if body[e:e + 1] in {"", "\n"} and (s == 0 or body[s - 1] == "\n")]
    for m in ments:
        if any(s <= m.start and m.end <= e for s, e in page):
            continue  # a caption, byline or credit line: its names are the page's, not the report's
        sent = ctx.sentence_at(m.start)
        if sent is not None and not any(s <= m.start and m.end <= e for s, e in ctx.furniture):
            sent.mentions.append(m)  # a dateline's place and agency are the page's, not the sentence's
        ctx.extraction.mentions.append(Mention(m.key, m.start, m.end, ctx.article.body[m.start:m.end]))
    bio_roles(ctx)  # "Eleni Marou is a senior research fellow at ...": her class from her bio line
    research_roles(ctx)  # "Jonas Weber, of the Kiel Institute for the World Economy, ...": an Expert
    ctx.extraction.entities = ctx.entities


def _surnames_first(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """``Wagner said`` after ``Therese Kayikwamba Wagner``: a one-word gazetteer name that is the
    surname of a person named in full here is that person (``surname_refs`` then reads it)."""
    surnames = {ent.label.split()[-1] for ent in ctx.entities.values()
                if ent.cls in PERSON_CLASSES and len(ent.label.split()) >= 2 and not ent.reference}
    body = ctx.article.body
    return [m for m in ments if not (m.kind == "name" and not ctx.is_person(m.key) and m.tok_end - m.tok_start == 1
                                     and body[m.start:m.end] in surnames)]


def _gazetteer_mentions(ctx: Context) -> list[Ment]:
    out = []
    doc = ctx.doc
    for hit in ctx.res.gazetteer.match(ctx.article.body):
        span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
        if span is None:
            continue
        ent = ctx.res.gazetteer.entities[hit.key]
        if ent.cls == "City" and _first_name(ctx, span) or _inside_a_name(span, ent):
            continue  # "President Santiago Pena", "Therese Kayikwamba Wagner": part of a person's name
        if hit.kind == "demonym" and inside_an_org_name(span):
            continue  # "the Community of Latin American and Caribbean States": a word of the name
        local = ctx.entities.setdefault(hit.key, _copy(ent))
        surface = " ".join(ctx.article.body[hit.start:hit.end].split())
        if hit.kind == "name" and surface != ent.label and len(surface.split()) > 1:
            local.aliases.add(surface)  # the full form this article writes ("Yuri Ushakov" for "Yury Ushakov")
        out.append(Ment(hit.start, hit.end, span.start, span.end, hit.key, hit.kind))
    return out


def _inside_a_name(span: Span, ent: Entity) -> bool:
    """A one-word organisation or place inside a longer name the model reads as a person's."""
    if ent.cls in PERSON_CLASSES or len(span) != 1 or span[0].ent_type_ != "PERSON":
        return False
    person = next((e for e in span.doc.ents if e.start <= span.start < e.end), None)
    return person is not None and len(person) > 1


def _first_name(ctx: Context, span: Span) -> bool:
    """A place name between a role word and a capitalised word is the first name of a person."""
    doc = span.doc
    if span.start == 0 or span.end >= len(doc) or not doc[span.end].text[:1].isupper() or not doc[span.end].is_alpha:
        return False
    return (norm_key(doc[span.start - 1].text),) in ctx.res.lexicon.roles and doc[span.start - 1].text[:1].isupper()


def _copy(ent: Entity) -> Entity:
    """The article's view of a gazetteer entry: new aliases only, marked as reference data."""
    return Entity(ent.key, ent.label, ent.cls, set(), ent.wikidata, ent.role, ent.affiliation, ent.located_in,
                  reference=True)


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


def _trim(span: Span) -> Span | None:
    """Drop leading articles, a trailing possessive and anything after a bracket or line break."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and doc[start].lower_ in _LEADING:
        start += 1
    for i in range(start, end):
        if doc[i].text in {"(", "[", "\n"} or "\n" in doc[i].text or doc[i].is_space:
            end = i
            break
    while end > start and (doc[end - 1].lower_ in {"'s", "’s", "'", "’"} or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end] if end > start else None


def _strip_role(ctx: Context, span: Span) -> Span:
    """``Orientalist Pavel Merkulov`` tagged as one name: the role word is context, not name."""
    words = [norm_key(t.text) for t in span]
    lead = 0  # "Congolese Foreign Minister Therese Kayikwamba Wagner": a demonym or country, then the role
    if len(span) > 2 and any(h.start == 0 and h.kind in {"demonym", "name"} and ctx.res.gazetteer.entities[h.key].cls
                             == "Country" and h.end == len(span[0].text) for h in ctx.res.gazetteer.match(span[0].text)):
        lead = 1
    for n in range(min(len(words) - 1, ctx.res.lexicon.max_role_len + lead), lead, -1):
        if tuple(w for w in words[lead:n] if w) in ctx.res.lexicon.roles and span[n:].text[:1].isupper():
            return span[n:]
    return span


def _joined_names(ctx: Context) -> list[Span]:
    """The model's entities, a person's name it cut in two joined again: ``Suhail`` (a place to
    it, unknown to the gazetteer) + ``Mohamed Al Mazrouei`` with only a space between are one name."""
    out: list[Span] = []
    for ent in ctx.doc.ents:
        prev = out[-1] if out else None
        if prev is not None and ent.label_ == "PERSON" and prev.end == ent.start and prev.text[:1].isupper() and \
                "\n" not in prev[-1].whitespace_ and len(prev) == 1 and prev.label_ == "GPE" and \
                not ctx.res.gazetteer.match(prev.text) and \
                (prev.start == 0 or ctx.doc[prev.start - 1].lower_ not in {"of", "the", "in"}):
            out[-1] = Span(ctx.doc, prev.start, ent.end, label="PERSON")
            continue
        out.append(ent)
    return out


def _strip_honorifics(ctx: Context, span: Span) -> Span | None:
    """``the Hon Mark Brown`` tagged as one name: the honorific is context (and alone, no name);
    so is the last word of an office before a person's name (``Secretariat Prasetyo Hadi``)."""
    honorifics = ctx.res.lexicon.cue("detached_honorifics")
    start = span.start
    while start < span.end and (norm_key(span.doc[start].text) in honorifics or span.doc[start].text == "."):
        start += 1
    if span.end - start > 2 and span.root.ent_type_ == "PERSON" and norm_key(span.doc[start].text) in \
            ctx.res.lexicon.org_words:
        start += 1
    return span.doc[start:span.end] if start < span.end else None


def _ner_candidates(ctx: Context, taken: list[tuple[int, int]], ments: list[Ment]) -> list[Candidate]:
    out = []
    people = {m.end: m for m in ments if ctx.is_person(m.key)}
    for ent in _joined_names(ctx):
        if ent.label_ not in NER_LABELS:
            continue
        span = _trim(ent)
        if span is not None:
            span = _strip_honorifics(ctx, _strip_role(ctx, span))
        if span is None or _overlaps(span.start_char, span.end_char, taken) or not span.text[:1].isupper():
            continue
        sent = ctx.sentence_at(span.start_char)
        if sent is None or sent.heading or any(c.isdigit() for c in span.text):
            continue
        if ent.label_ == "PERSON" and _extends_person(ctx, span, people):
            taken.append((span.start_char, span.end_char))
            continue
        cand = _classify(ctx, span, ent.label_)
        if cand is not None:
            cand.ner = ent.label_
            out.append(cand)
            taken.append((span.start_char, span.end_char))
    return out


def _short_country(ctx: Context, span: Span) -> str | None:
    """The label of the one country named in the article whose name ends in these words."""
    words = norm_key(span.text).split()
    found = {e.label for e in ctx.entities.values() if e.cls == "Country" and any(
        norm_key(n).split()[-len(words):] == words and len(norm_key(n).split()) > len(words)
        for n in [e.label, *ctx.res.gazetteer.entities[e.key].aliases] if e.key in ctx.res.gazetteer.entities)}
    return next(iter(found)) if len(found) == 1 else None


def _extends_person(ctx: Context, span: Span, people: dict[int, Ment]) -> bool:
    """``Tengku Zafrul Abdul Aziz`` where the gazetteer knows ``Tengku Zafrul``: the rest of the
    name, recorded as an alias of the known person rather than a second person."""
    body = ctx.article.body
    for end, m in people.items():
        if end <= span.start_char and body[end:span.start_char].strip() == "" and span.start_char - end <= 2:
            full = " ".join(body[m.start:span.end_char].split())
            ctx.entities[m.key].aliases.add(full)
            m.end, m.tok_end = span.end_char, span.end  # the mention now covers the whole name
            return True
    return False


def _classify(ctx: Context, span: Span, label: str) -> Candidate | None:
    lex = ctx.res.lexicon
    doc = span.doc
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if after in lex.place_heads:
        return None  # the pattern pass reads "X region" with its head word
    country = _short_country(ctx, span) if label in {"GPE", "LOC", "PERSON"} else None
    if country is not None:
        return Candidate(span, "Country", label=country)  # "eastern Congo" after "Democratic Republic of Congo"
    role = find_role(ctx, span)
    if role and (label == "PERSON" or looks_like_name(ctx, span)):
        return Candidate(span, role[0], role=role[1], affiliation=role[2])  # "Daria Sokolova, a senior fellow"
    if person_by_context(ctx, span):
        return Candidate(span, "Person")  # "Shri Ajit Doval", "his wife Melania", "My colleague ..., Murat Aksoy"
    named = label == "PERSON" and looks_like_name(ctx, span)  # "in Washington, Peter Mandelson": not a place
    coordinated = None if set(norm_key(span.text).split()) & lex.org_words else coordinated_place(ctx, span,
                                                                                               named=named)
    if coordinated and not role:
        return Candidate(span, coordinated)  # "Odessa and Nikolaev": the same kind of place
    if label == "PERSON":
        if before in event_words(ctx):
            return None  # "the exercise Freedom Edge", "Operation Pacific Eagle": names of things
        if media_context(ctx, span):
            return Candidate(span, "MediaOutlet")
        if len(span) == 1 and before in _PLACE_PREPS:
            return Candidate(span, "City")
        # "Turnout was 71%": a lone capitalised word is a person only if it names one already known
        return Candidate(span, "Person", lone=len(span) == 1 and not speaks(ctx, span))
    if label == "ORG":
        if (span.text.isupper() and len(span.text) <= 2) or in_title(ctx, span) or not_an_org(ctx, span) \
                or _ends_in_role(ctx, span):
            return None
        words = set(norm_key(span.text).split())
        if words & lex.media_name_words or media_context(ctx, span):
            return Candidate(span, "MediaOutlet")
        return Candidate(span, "Organization")
    if label == "FAC":
        return Candidate(span, "Facility")
    if label == "LOC":
        return Candidate(span, "Region")
    return Candidate(span, "City")  # GPE the gazetteer lacks: countries are all in it


def _ends_in_role(ctx: Context, span: Span) -> bool:
    """``National Security Advisor``, ``Special Representatives``, ``Minister of Industry``: an office,
    not an organisation."""
    last = norm_key(span[-1].text)
    words = [norm_key(t.text) for t in span[:-1]] + [last[:-1] if last.endswith("s") else last]
    roles = ctx.res.lexicon.roles
    if len(words) > 2 and words[1] in {"of", "for"} and (words[0],) in roles:
        return True
    return any(tuple(words[-n:]) in roles for n in range(1, min(len(words), ctx.res.lexicon.max_role_len) + 1))


_HEAD_RE = re.compile(r"\b((?:[A-Z][\w'’.-]*\s+){1,3})(%s)\b")
_PAIR_RE = re.compile(r"\b([A-Z][\w'’-]+) and ([A-Z][\w'’-]+) (%s)s\b")


def _pattern_places(ctx: Context, taken: list[tuple[int, int]]) -> list[Candidate]:
    """``the X region``, ``the X complex``: places typed by their head word."""
    titled = [h.title() for h in ctx.res.lexicon.cue("titled_place_heads")]  # "the East Room", "Planalto Palace"
    heads = sorted([*ctx.res.lexicon.place_heads, *titled], key=len, reverse=True)
    rx = re.compile(_HEAD_RE.pattern % "|".join(re.escape(h) for h in heads))
    pairs = re.compile(_PAIR_RE.pattern % "|".join(re.escape(h) for h in heads if " " not in h))
    out = []
    for sent in ctx.sents:
        if sent.heading:
            continue
        for m in pairs.finditer(sent.span.text):  # "the Zaporozhye and Kherson regions"
            for g in (1, 2):
                start, end = sent.start + m.start(g), sent.start + m.end(g)
                span = ctx.doc.char_span(start, end, alignment_mode="expand")
                if span is not None and not _overlaps(start, end, taken):
                    head = m.group(3).lower()
                    out.append(Candidate(span, ctx.res.lexicon.place_heads[head], label=f"{m.group(g)} {head}"))
                    taken.append((start, end))
        for m in rx.finditer(sent.span.text):
            start = sent.start + m.start(1)
            end = sent.start + m.end(2)
            name = m.group(1).split()
            while name and name[0].lower() in _LEADING:
                start += len(name.pop(0)) + 1
            if not name or _overlaps(start, end, taken):
                continue
            span = ctx.doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                out.append(Candidate(span, ctx.res.lexicon.place_heads[m.group(2).lower()]))
                taken.append((start, end))
    return out


def _pattern_people(ctx: Context, taken: list[tuple[int, int]]) -> list[Candidate]:
    """``Orientalist Pavel Merkulov``: a role word and two or three capitalised words make a person,
    even where the statistical model misses the name."""
    doc = ctx.doc
    roles = ctx.res.lexicon.roles
    out = []
    for tok in doc:
        if (norm_key(tok.text),) not in roles or tok.i + 2 >= len(doc):
            continue
        end = _name_end(ctx, tok.i + 1)
        span = doc[tok.i + 1:end]
        if tok.ent_type_ not in {"", "PERSON", "NORP", "GPE"} and doc[tok.i + 1].ent_iob_ == "I":
            continue  # "Official Security Assistance": the role word opens the name of a thing
        if end < len(doc) and not doc[end - 1].whitespace_ and doc[end].text in {"-", "'", "’"}:
            continue  # "Shin Won-sik": the name goes on past the hyphen; the model's span is better
        if not 2 <= len(span) <= 4 or (end < len(doc) and (norm_key(doc[end].text),) in roles) or \
                _overlaps(span.start_char, span.end_char, taken) or not looks_like_name(ctx, span):
            continue  # "Deputy Prime Minister Alexander Novak" starts at the last role word
        role = find_role(ctx, span)
        if role is not None and not ctx.res.gazetteer.match(span.text):
            out.append(Candidate(span, role[0], ner="PERSON", role=role[1], affiliation=role[2]))
            taken.append((span.start_char, span.end_char))
    return out


def _name_end(ctx: Context, start: int) -> int:
    """Where a name of capitalised words starting at ``start`` ends; a lower-case particle between
    two capitalised words belongs to it (``Juan Ramon de la Fuente``, ``Lula da Silva``)."""
    doc = ctx.doc
    roles, particles = ctx.res.lexicon.roles, ctx.res.lexicon.cue("name_particles")

    def capital(i: int) -> bool:
        return i < len(doc) and doc[i].text[:1].isupper() and doc[i].is_alpha and (norm_key(doc[i].text),) not in roles
    end = start
    while capital(end) or (end > start and doc[end].text in particles and _particles_then_capital(doc, end, particles)):
        end += 1
    return end


def _particles_then_capital(doc: Doc, i: int, particles: frozenset[str]) -> bool:
    while i < len(doc) and doc[i].text in particles:
        i += 1
    return i < len(doc) and doc[i].text[:1].isupper() and doc[i].is_alpha


def _resolve_candidates(ctx: Context, cands: list[Candidate], ments: list[Ment]) -> list[Ment]:
    """Give each candidate an entity: short person names join the fuller name they abbreviate."""
    persons = {k: e for k, e in ctx.entities.items() if e.cls in PERSON_CLASSES}
    out = []
    for cand in sorted(cands, key=lambda c: -len(c.span)):
        personal = cand.cls in PERSON_CLASSES or cand.ner == "PERSON" or len(cand.span) == 1
        # "Leblanc Fils had asked" after "Edgard Leblanc Fils", whatever the model calls the short form
        key = _same_person(ctx, cand, persons) if personal or len(cand.span) > 1 else None
        if key is None and cand.lone:
            continue
        if key is None:
            key = _new_entity(ctx, cand)
            if ctx.entities[key].cls in PERSON_CLASSES:
                persons[key] = ctx.entities[key]
        else:
            _upgrade(ctx.entities[key], cand)
        ctx.entities[key].aliases.add(cand.span.text)
        out.append(Ment(cand.span.start_char, cand.span.end_char, cand.span.start, cand.span.end, key, "name"))
    return out


def _same_person(ctx: Context, cand: Candidate, persons: dict[str, Entity]) -> str | None:
    toks = norm_key(cand.span.text).split()
    for key, ent in persons.items():
        listed = ctx.res.gazetteer.entities[key].aliases if ent.reference and key in ctx.res.gazetteer.entities else set()
        for name in [ent.label, *ent.aliases, *listed]:  # "Araqchi" after "Abbas Araqchi", a listed form
            full = norm_key(name).split()
            if len(toks) < len(full) and (full[-len(toks):] == toks or full[:len(toks)] == toks):
                return key
    return None


def _upgrade(ent: Entity, cand: Candidate) -> None:
    """A later mention may carry the role the first one lacked."""
    if cand.role and ent.cls == "Person":
        ent.cls, ent.role = cand.cls, cand.role
    if cand.affiliation and not ent.affiliation:
        ent.affiliation = cand.affiliation


def _new_entity(ctx: Context, cand: Candidate) -> str:
    label = cand.label or " ".join(cand.span.text.split())
    key = entity_key(label, cand.cls)
    ent = ctx.entities.get(key) or ctx.res.gazetteer.entities.get(key)
    if ent is None:
        ent = Entity(key, label, cand.cls, set(), role=cand.role, affiliation=cand.affiliation)
        if cand.cls in {"Region", "Facility", "City"} and " " in label:
            head = label.rsplit(" ", 1)
            if head[1].lower() in ctx.res.lexicon.place_heads:
                ent.aliases.add(head[0])
    ctx.entities.setdefault(key, ent)
    _upgrade(ctx.entities[key], cand)
    return key

