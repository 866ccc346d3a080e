"""Short references to people already named: surnames, ``the Russian president``, ``he``."""

from __future__ import annotations

import re

from kg.extract.context import Context, Ment
from kg.extract.text import PERSON_CLASSES, fold


def surname_refs(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """``Revnivtsev`` after ``Andrey Revnivtsev``, ``Shin`` after ``Shin Won-sik``: the last or the
    first word of a full name, alone, refers to that person (when no one else shares it)."""
    by_surname: dict[str, set[str]] = {}
    for key, ent in ctx.entities.items():
        parts = ent.label.replace("-", " ").split()
        if ent.cls in PERSON_CLASSES and len(parts) >= 2:
            for part in {parts[0], parts[-1]}:
                if part[:1].isupper() and len(part) > 1 and part.isalpha():
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


def title_refs(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """``the Russian president``: the one person of that country with that office in the article."""
    out = []
    titles = ctx.res.lexicon.office_titles
    by_start = {m.tok_start: m for m in ments if m.kind == "demonym"}
    doc = ctx.doc
    for start, dem in by_start.items():
        end = dem.tok_end
        if end >= len(doc) or doc[end].lower_ not in titles or start == 0 or doc[start - 1].lower_ not in {"the", "a"}:
            continue
        if end + 1 < len(doc) and doc[end + 1].text[:1].isupper():
            continue  # "the Russian President Vladimir Putin": the name itself follows
        people = [k for k, e in ctx.entities.items() if e.cls in PERSON_CLASSES and e.affiliation == dem.key
                  and e.role and fold(e.role).endswith(doc[end].lower_)]
        if len(people) == 1:
            out.append(Ment(doc[start - 1].idx, doc[end].idx + len(doc[end]), start - 1, end + 1, people[0], "ref"))
    return out


def pronoun_refs(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """``He met Trump``: a subject pronoun refers to the last person who was a subject before it
    (or, failing that, the last person named), in this sentence or the ones before."""
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
        if tok.lower_ in {"he", "she"} and tok.dep_ in {"nsubj", "nsubjpass"}:
            key = last_subject or last_any
            if key is not None:
                out.append(Ment(tok.idx, tok.idx + len(tok), tok.i, tok.i + 1, key, "pronoun"))
    return out
