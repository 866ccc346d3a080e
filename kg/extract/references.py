"""Short references to people already named: surnames, ``the Russian president``, ``he``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Token

from kg.extract.context import Context, Ment
from kg.extract.offices import article_day, offices_on
from kg.extract.text import PERSON_CLASSES, norm_key
from kg.model import Entity


def surname_refs(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """``Revnivtsev`` after ``Andrey Revnivtsev``, ``Shin`` after ``Shin Won-sik``: the last or the
    first word of a full name, alone, refers to that person (when no one else shares it)."""
    by_surname: dict[str, set[str]] = {}
    used = {(m.key, ctx.article.body[m.start:m.end]) for m in ments if m.kind == "name"}
    for key, ent in ctx.entities.items():
        if ent.cls not in PERSON_CLASSES:
            continue  # the label, and the full forms this article writes ("Abbas Araqchi", then "Araqchi")
        for name in {ent.label, *(surface for k, surface in used if k == key)}:
            parts = name.replace("-", " ").split()
            for part in {parts[0], parts[-1]} if len(parts) >= 2 else set():
                if part[:1].isupper() and len(part) > 1 and part.isalpha() and not _role_word(ctx, part):
                    by_surname.setdefault(part, set()).add(key)
    taken = [(m.start, m.end) for m in ments]
    out = []
    for surname, keys in by_surname.items():
        if len(keys) != 1:
            continue  # two people of one surname: a bare surname is ambiguous
        key = next(iter(keys))
        for m in re.finditer(rf"\b{re.escape(surname)}\b", ctx.article.body):
            span = ctx.doc.char_span(m.start(), m.end())
            if span is None or any(m.start() < e and s < m.end() for s, e in taken):
                continue
            ctx.entities[key].aliases.add(surname)
            out.append(Ment(m.start(), m.end(), span.start, span.end, key, "name"))
    return out


def _role_word(ctx: Context, word: str) -> bool:
    """``President`` of ``President Xi``: a title the article writes before a name, not a name."""
    return (norm_key(word),) in ctx.res.lexicon.roles


def title_refs(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """``the Russian president``, ``the Qatari prime minister``: the one person of that country
    holding that office (one of the offices of a role such as ``Prime Minister and Foreign Minister``)."""
    out = []
    titles = ctx.res.lexicon.office_titles
    by_start = {m.tok_start: m for m in ments if m.kind == "demonym"}
    doc = ctx.doc
    for start, dem in by_start.items():
        end = dem.tok_end
        if start == 0 or doc[start - 1].lower_ not in {"the", "a"}:
            continue
        n = next((n for n in (3, 2, 1) if end + n <= len(doc) and doc[end + n - 1].is_alpha  # not "minister ,"
                  and norm_key(doc[end:end + n].text) in titles), 0)
        if not n or (end + n < len(doc) and doc[end + n].text[:1].isupper()):
            continue  # no title, or "the Russian President Vladimir Putin": the name itself follows
        title = norm_key(doc[end:end + n].text)
        people = _holders(ctx, dem.key, title)
        if len(people) == 1:
            last = doc[end + n - 1]
            out.append(Ment(doc[start - 1].idx, last.idx + len(last), start - 1, end + n, people[0], "ref"))
    return out + _office_of_refs(ctx, ments)


def _office_of_refs(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """``the President of Ukraine``, ``the Prime Minister of India``: that country's holder of
    the office (named in the article, else on the article's day by the terms of office)."""
    doc, titles, out = ctx.doc, ctx.res.lexicon.office_titles, []
    taken = {i for m in ments if m.kind != "name" or ctx.cls(m.key) != "Country" for i in range(m.tok_start, m.tok_end)}
    for m in ments:
        if m.kind != "name" or ctx.cls(m.key) != "Country" or m.tok_start < 3 or doc[m.tok_start - 1].lower_ != "of":
            continue
        start = m.tok_start - 1 - (1 if doc[m.tok_start - 2].lower_ == "the" else 0)  # "of the United States"
        n = next((n for n in (3, 2, 1) if start - n >= 1 and norm_key(doc[start - n:start].text) in titles), 0)
        first = start - n
        if not n or doc[first - 1].lower_ != "the" or taken & set(range(first, m.tok_start)):
            continue
        people = _holders(ctx, m.key, norm_key(doc[first:start].text))
        if len(people) == 1:
            out.append(Ment(doc[first - 1].idx, m.end, first - 1, m.tok_end, people[0], "ref"))
    return out


def _holders(ctx: Context, country: str, title: str) -> list[str]:
    """The people of ``country`` named in the article who held the office ``title`` on its day;
    none named: the one the terms of office give (``the German chancellor`` of 2019, Merkel)."""
    day = article_day(ctx.article.date)
    people = [k for k, e in ctx.entities.items() if e.cls in PERSON_CLASSES and e.affiliation == country
              and any(o.endswith(title) for o in offices_on(ctx.res.offices, e, day))]
    holder = ctx.res.offices.holder(country, day, title) if day and not people else None
    if holder is not None and holder in ctx.res.gazetteer.entities:
        if holder not in ctx.entities:
            ctx.entities[holder] = replace(ctx.res.gazetteer.entities[holder], aliases=set(), reference=True)
        people = [holder]
    return people


def pronoun_refs(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """``He met Trump``: a subject pronoun refers to the last person who was a subject before it
    (or, failing that, the last person named), in this sentence or the ones before; then the
    references that need those pronouns resolved (:func:`counterpart_refs`)."""
    out = _pronouns(ctx, ments)
    return out + counterpart_refs(ctx, [*ments, *out])


def _pronouns(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """Subject pronouns (``he``, ``she``) resolved to a person."""
    people = sorted((m for m in ments if ctx.is_person(m.key)), key=lambda m: m.start)
    out: list[Ment] = []
    j = 0
    last_subject: str | None = None
    last_any: str | None = None
    for tok in ctx.doc:
        while j < len(people) and people[j].tok_start <= tok.i:
            m = people[j]
            last_any = m.key
            if any(t.dep_ in {"nsubj", "nsubjpass"} for t in ctx.doc[m.tok_start:m.tok_end]):
                last_subject = m.key
            j += 1
        if (tok.lower_ in {"he", "she"} and tok.dep_ in {"nsubj", "nsubjpass"}) or _owns_encounter(ctx, tok):
            key = last_subject or last_any
            if key is not None:
                out.append(Ment(tok.idx, tok.idx + len(tok), tok.i, tok.i + 1, key, "pronoun"))
    return out


def _owns_encounter(ctx: Context, tok: Token) -> bool:
    """``his meeting with Putin``, ``her call with Xi``: a possessive pronoun owning a meeting,
    call, summit or visit word is one of its parties (the person the clause is about)."""
    if tok.lower_ not in {"his", "her"} or tok.dep_ != "poss":
        return False
    kind = ctx.res.lexicon.events.get((tok.head.lemma_.lower(),)) or ctx.res.lexicon.events.get((tok.head.lower_,))
    return kind in {"Meeting", "PhoneCall", "Summit", "Visit"}


def counterpart_refs(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """``his Indonesian counterpart``, ``Lavrov's counterpart``, ``the Iranian side``, ``the emir``:
    the one person the article names in that position (for a side with no one named, the country).
    A name right after the phrase (``his counterpart Penny Wong``) is a mention of its own."""
    lex = ctx.res.lexicon
    people = sorted((m for m in ments if ctx.is_person(m.key)), key=lambda m: m.tok_start)
    demonym_at = {m.tok_end: m for m in ments if m.kind == "demonym"}
    taken = {i for m in ments if m.kind != "demonym" for i in range(m.tok_start, m.tok_end)}
    out: list[Ment] = []
    for tok in ctx.doc:
        if tok.i in taken or _name_follows(ctx, tok.i + 1):
            continue
        word = tok.lower_
        dem = demonym_at.get(tok.i)
        found: tuple[int, str | None] | None = None
        if word in lex.cue("counterpart_words") and word.endswith("s"):
            for key in _counterparts(ctx, people, tok):  # "his five counterparts": one mention per person
                out.append(Ment(ctx.doc[tok.i - 1].idx, tok.idx + len(tok), tok.i - 1, tok.i + 1, key, "ref"))
            continue
        if word in lex.cue("counterpart_words"):
            found = _counterpart(ctx, people, tok, dem)
        elif word in lex.cue("side_words") and dem is not None and _the(ctx, dem.tok_start) and not _marker(ctx, dem):
            found = dem.tok_start - 1, side_of(ctx, dem.key, _person_before(ctx, people, tok))
        elif word in lex.cue("country_person_nouns") and dem is not None and _the(ctx, dem.tok_start):
            found = dem.tok_start - 1, _leader_of(ctx, dem.key)  # "the Saudi host", "the Egyptian leader"
        else:
            found = _bare_title(ctx, tok)
        if found is not None and found[1] is not None:
            start = ctx.doc[found[0]]
            out.append(Ment(start.idx, tok.idx + len(tok), found[0], tok.i + 1, found[1], "ref"))
    return out


def _counterparts(ctx: Context, people: list[Ment], tok: Token) -> list[str]:
    """``his five counterparts``, ``their counterparts``: the people of other countries in the
    owner's office (as many as the number says, when it says one)."""
    prev = ctx.doc[tok.i - 1] if tok.i > 0 else tok
    count = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}.get(prev.lower_)
    det = ctx.doc[tok.i - 2] if count and tok.i > 1 else prev
    owner = _person_before(ctx, people, tok) if det.lower_ in {"his", "her"} else None
    own = ctx.entity(owner) if owner else None
    if own is None:
        return []
    home = ctx.country_of(owner)  # type: ignore[arg-type]
    cands = [k for k, e in ctx.entities.items() if e.cls in PERSON_CLASSES and e.cls != "Expert" and k != owner
             and ctx.country_of(k) not in {home, None}]
    together = _co_mentioned(ctx, people, owner)  # type: ignore[arg-type]
    for tier in _tiers(ctx, own):
        hits = [k for k in cands if tier(ctx.entities[k])]
        if count and len(hits) > count:  # "his five counterparts": the five named beside him
            hits = [k for k in hits if k in together]
        if (count and len(hits) == count) or (not count and len(hits) >= 2):
            return hits
    return []


def _co_mentioned(ctx: Context, people: list[Ment], key: str) -> set[str]:
    """People named in a sentence that also names ``key``."""
    sents: dict[int, set[str]] = {}
    for m in people:
        sent = ctx.sentence_at(m.start)
        if sent is not None:
            sents.setdefault(sent.index, set()).add(m.key)
    return {k for keys in sents.values() if key in keys for k in keys} - {key}


def _marker(ctx: Context, dem: Ment) -> bool:
    """``from the Russian side were ...``, ``on the Iranian side``: whose people, not a party."""
    return dem.tok_start >= 2 and ctx.doc[dem.tok_start - 2].lower_ in {"from", "on"}


def _the(ctx: Context, i: int) -> bool:
    return i > 0 and ctx.doc[i - 1].lower_ == "the"


def _name_follows(ctx: Context, i: int) -> bool:
    """A capitalised word right after (``counterpart Penny Wong``, ``the emir Sheikh Tamim``)."""
    return i < len(ctx.doc) and ctx.doc[i].text[:1].isupper() and ctx.doc[i].is_alpha


def _counterpart(ctx: Context, people: list[Ment], tok: Token, dem: Ment | None) -> tuple[int, str | None] | None:
    """``his [Indonesian] counterpart`` (the owner is the clause's person) or ``X's counterpart``."""
    first = dem.tok_start if dem is not None else tok.i
    if first == 0:
        return None
    det = ctx.doc[first - 1]
    if det.lower_ in {"his", "her", "their"}:
        owner = _person_before(ctx, people, tok)
        start = first - 1
    elif det.lower_ in {"'s", "\u2019s"}:
        owners = [m for m in people if m.tok_end == first - 1]
        owner, start = (owners[0].key, owners[0].tok_start) if owners else (None, first)
    else:
        return None
    if owner is None:
        return None
    return start, office_holder(ctx, owner, dem.key if dem is not None else None)


def _person_before(ctx: Context, people: list[Ment], tok: Token) -> str | None:
    """The person the clause is about: the subject named before ``tok`` in its sentence, else the
    last person named before it there."""
    before = [m for m in people if tok.sent.start <= m.tok_start and m.tok_end <= tok.i]
    subjects = [m for m in before if any(t.dep_ in {"nsubj", "nsubjpass"} for t in ctx.doc[m.tok_start:m.tok_end])]
    pick = subjects or before
    return pick[-1].key if pick else None


def office_holder(ctx: Context, owner: str, country: str | None) -> str | None:
    """The one person of ``country`` (else of any other country than the owner's) named in the
    article whose office matches the owner's: the same role, else the same kind of office (the
    role's last word, ``minister``), else the same class. None when no tier has exactly one."""
    own = ctx.entity(owner)
    if own is None:
        return None
    home = ctx.country_of(owner)
    cands = [k for k, e in ctx.entities.items() if e.cls in PERSON_CLASSES and e.cls != "Expert" and k != owner
             and (ctx.country_of(k) == country if country else ctx.country_of(k) not in {home, None})]
    for tier in _tiers(ctx, own):
        hits = [k for k in cands if tier(ctx.entities[k])]
        if hits:
            return hits[0] if len(hits) == 1 else None
    return None


def _office(role: str | None) -> list[str]:
    """The first office of a role, as words: ``President and General Secretary ...`` -> president."""
    return norm_key((role or "").split(" and ")[0].split(",")[0]).split()


def _tiers(ctx: Context, own: Entity) -> list[Callable[[Entity], bool]]:
    """How alike two offices are, most alike first: the same office (or one the lexicon's
    ``office_as_<office>`` lists call the same: an external affairs minister's counterpart is a
    foreign minister), the same kind of office (its last word, ``minister``) in the same class (a
    minister's counterpart is not a prime minister), the same class."""
    same = {office: name[len("office_as_"):].replace("_", " ") for name, offices in ctx.res.lexicon.cues.items()
            if name.startswith("office_as_") for office in offices}

    def canon(role: str | None) -> list[str]:
        words = _office(role)
        short = words[:words.index("of")] if "of" in words[1:] else words  # "Foreign Secretary of the United Kingdom"
        return same.get(" ".join(words), same.get(" ".join(short), " ".join(short))).split()

    office = canon(own.role)
    return [lambda e: bool(office) and canon(e.role) == office,
            lambda e: bool(office) and _office(e.role)[-1:] == office[-1:] and e.cls == own.cls,
            lambda e: e.cls == own.cls]


def _leader_of(ctx: Context, country: str) -> str | None:
    """The one leader of ``country`` the article names, else the one person of it it names."""
    named = [k for k, e in ctx.entities.items() if e.cls in PERSON_CLASSES and e.cls != "Expert"
             and ctx.country_of(k) == country]
    leaders = [k for k in named if ctx.entities[k].cls == "Leader"]
    pick = leaders if leaders else named
    return pick[0] if len(pick) == 1 else None


def side_of(ctx: Context, country: str, owner: str | None) -> str:
    """``the Iranian side``: the person of that country matching ``owner``'s office, else the only
    one of that country the article names, else the country itself."""
    if owner is not None and ctx.country_of(owner) != country:
        holder = office_holder(ctx, owner, country)
        if holder is not None:
            return holder
    named = [k for k, e in ctx.entities.items() if e.cls in PERSON_CLASSES and e.cls != "Expert"
             and ctx.country_of(k) == country]
    return named[0] if len(named) == 1 else country


def _bare_title(ctx: Context, tok: Token) -> tuple[int, str | None] | None:
    """``the emir``, ``the crown prince``: the one person of the article whose role ends so."""
    doc = ctx.doc
    for n in (3, 2, 1):
        start = tok.i - n + 1
        if start < 1 or doc[start - 1].lower_ != "the":
            continue
        title = norm_key(doc[start:tok.i + 1].text)
        if title not in ctx.res.lexicon.cue("bare_titles"):
            continue
        day = article_day(ctx.article.date)  # "the president" of a 2024 article: Biden then
        holders = [k for k, e in ctx.entities.items() if e.cls in PERSON_CLASSES  # "Crown Prince and PM"
                   and any(o.endswith(title) for o in offices_on(ctx.res.offices, e, day))]
        return (start - 1, holders[0]) if len(holders) == 1 else None
    return None
