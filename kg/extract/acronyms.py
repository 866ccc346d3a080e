"""Offices written as their initials: ``EAM`` after ``External Affairs Minister Dr. S. Jaishankar``.

Official readouts name a person once with a capitalised title and then only by the title's initials
(``EAM held talks``, ``the NSA said``). An all-capital word equal to the initials of the title that
introduced a person in the same article is that person, not an organisation the model guesses.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.context import Context, Ment
from kg.extract.text import norm_key


def with_role_initials(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """``ments`` with the title initials of :func:`role_initials` in place of the one-word mentions
    they replace; an entity left with no mention is dropped (``NSA`` was only a listed acronym)."""
    initials = role_initials(ctx, ments)
    replaced = {m.key for m in ments if any(m.start == n.start for n in initials)}
    out = [m for m in ments if not any(m.start == n.start for n in initials)] + initials
    for key in replaced - {m.key for m in out}:
        del ctx.entities[key]
    return out


def role_initials(ctx: Context, ments: list[Ment]) -> list[Ment]:
    """Mentions of people by the initials of their title, for every person mention in ``ments``
    introduced by a title of two or more capitalised words ending in a role word. They replace
    one-word mentions at the same place (the caller drops those)."""
    doc = ctx.doc
    initials: dict[str, str] = {}
    for m in ments:
        if m.kind == "name" and ctx.is_person(m.key):
            letters = _title_initials(ctx, doc, m.tok_start)
            if letters:
                initials.setdefault(letters, m.key)
    if not initials:
        return []
    # the article's own title beats a listed acronym ("NSA" after "National Security Adviser X"),
    # but a capitalised word inside a longer name stays that name's
    taken = {i for m in ments if m.tok_end - m.tok_start > 1 for i in range(m.tok_start, m.tok_end)}
    out = []
    for tok in doc:
        key = initials.get(tok.text)
        if key is not None and tok.i not in taken:
            out.append(Ment(tok.idx, tok.idx + len(tok.text), tok.i, tok.i + 1, key, "ref"))
    return out


def _title_initials(ctx: Context, doc: Doc, start: int) -> str | None:
    """The initials of the capitalised title right before token ``start`` (honorifics such as
    ``Dr.`` between them skipped), when its last word is a role word and it has two or more words."""
    i = start - 1
    while i >= 0 and doc[i].text.endswith(".") and len(doc[i].text) <= 4 and doc[i].text[:1].isupper():
        i -= 1  # "Dr.", "Mr.", "H.E."
    words: list[str] = []
    while i >= 0 and doc[i].is_alpha and doc[i].text[:1].isupper() and not doc[i].is_sent_start:
        words.insert(0, doc[i].text)
        i -= 1
    if i >= 0 and doc[i].is_alpha and doc[i].text[:1].isupper():
        words.insert(0, doc[i].text)  # the sentence's first word may open the title
    if len(words) < 2 or (norm_key(words[-1]),) not in ctx.res.lexicon.roles:
        return None
    return "".join(w[0] for w in words).upper()
