"""How context types a name: role words (``Analyst X``, ``X, a senior fellow``, ``Lt. Gen. X``),
outlets (``told X``), offices that are not organisations, and coordinated places."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.extract.context import Context
from kg.extract.text import PLACE_CLASSES, fold, norm_key

_NER_PLACES = {"GPE": "City", "LOC": "Region", "FAC": "Facility"}


def speaks(ctx: Context, span: Span) -> bool:
    """The name is the subject of an attribution verb (``Smith said``)."""
    head = span.root.head
    return span.root.dep_ in {"nsubj", "nsubjpass"} and head.lemma_.lower() in ctx.res.lexicon.claim_verbs


def in_title(ctx: Context, span: Span) -> bool:
    """``Secretary of State``, ``Homeland Security Secretary``: part of an office's name."""
    doc = span.doc
    before = [fold(t.text) for t in doc[max(0, span.start - 3):span.start]]
    after = fold(doc[span.end].text) if span.end < len(doc) else ""
    roles = ctx.res.lexicon.roles
    if (after,) in roles:
        return True
    while before and before[-1] in {"of", "the", "for"}:
        before.pop()
    return len(before) < len(doc[max(0, span.start - 3):span.start]) and bool(before) and (before[-1],) in roles


def inside_an_org_name(span: Span) -> bool:
    """A demonym after ``of`` inside an organisation's name the model found (``Organization of
    American States``, ``League of Arab States``): part of the name, not a mention of a country."""
    org = next((e for e in span.doc.ents if e.label_ == "ORG" and e.start < span.start and span.end <= e.end), None)
    return org is not None and any(t.lower_ == "of" for t in span.doc[org.start:span.start])


def not_an_org(ctx: Context, span: Span) -> bool:
    """Names of agreements, frameworks, meetings and one-word generic nouns are not organisations."""
    words = norm_key(span.text).split()
    lex = ctx.res.lexicon
    return bool(words) and (words[-1] in lex.not_org_heads or (len(words) == 1 and words[0] in lex.org_words))


def event_words(ctx: Context) -> set[str]:
    return {k[0] for k in ctx.res.lexicon.events if len(k) == 1}


def coordinated_place(ctx: Context, span: Span, *, named: bool = False) -> str | None:
    """The class of a known place joined to ``span`` by ``and``/``or``/a comma, if any. For a
    ``named`` span (a person's name to the model), a place and a comma before it are no list
    (``the ambassador in Washington, Peter Mandelson``)."""
    doc = span.doc
    for a, b in ((span.start - 2, span.start - 1), (span.end + 1, span.end)):
        if named and b < span.start and doc[b].text == ",":
            continue
        if 0 <= a < len(doc) and 0 <= b < len(doc) and doc[b].lower_ in {"and", "or", ","}:
            for hit in ctx.res.gazetteer.match(doc[a].text):
                cls = ctx.res.gazetteer.entities[hit.key].cls
                if hit.kind == "name" and cls in {"City", "Region", "Facility"}:
                    return cls
            if doc[a].ent_type_ in _NER_PLACES and doc[a].ent_iob_ == "B" and doc[a].text[:1].isupper():
                return _NER_PLACES[doc[a].ent_type_]
    return None


def looks_like_name(ctx: Context, span: Span) -> bool:
    """Two or three capitalised words, none of them an organisation or place word."""
    words = span.text.split()
    lex = ctx.res.lexicon
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.isalpha() for w in words) and not (
        set(norm_key(span.text).split()) & (lex.org_words | lex.media_name_words | set(lex.place_heads)))


def person_by_context(ctx: Context, span: Span) -> bool:
    """Capitalised words the words around make a person, whatever the model's label: an honorific
    before them (``Shri Ajit Doval``, ``Prince William``, ``Dr Nur Salleh``), a word for a person
    right before them (``his wife Melania``) or one they stand in apposition to (``My colleague at
    the foundation, Murat Aksoy``). Known names (the gazetteer's) keep their class."""
    words = span.text.split()
    if not 1 <= len(words) <= 4 or not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
        return False
    if set(norm_key(span.text).split()) & (ctx.res.lexicon.org_words | set(ctx.res.lexicon.place_heads)):
        return False
    if any(h.start == 0 and h.end == len(span.text) for h in ctx.res.gazetteer.match(span.text)):
        return False
    doc = span.doc
    if span.end < len(doc) and (norm_key(doc[span.end].text),) in ctx.res.lexicon.roles:
        return False  # "National Security Adviser Ajit Doval": the words open a title
    before = norm_key(doc[span.start - 1].text) if span.start > 0 else ""
    nouns, honorifics = ctx.res.lexicon.cue("person_nouns"), ctx.res.lexicon.cue("honorifics")
    if before in honorifics or (before in nouns and doc[span.start - 1].is_lower):
        return True
    if len(words) < 2:
        return False
    root = span.root
    return norm_key(words[0]) in honorifics or (root.dep_ == "appos" and root.head.lemma_.lower() in nouns) \
        or _joined_to_a_person(span)


def _joined_to_a_person(span: Span) -> bool:
    """``Giorgos Gerapetritis and Hakan Fidan``: a name joined by ``and`` to one the model reads as a person."""
    doc = span.doc
    after = span.end + 1 < len(doc) and doc[span.end].lower_ == "and" and doc[span.end + 1].ent_type_ == "PERSON"
    before = span.start > 1 and doc[span.start - 1].lower_ == "and" and doc[span.start - 2].ent_type_ == "PERSON"
    return after or before


def media_context(ctx: Context, span: Span) -> bool:
    """``told X``, ``according to X``, ``X reported``: an outlet, when X has no role."""
    doc = span.doc
    before = " ".join(t.lower_ for t in doc[max(0, span.start - 2):span.start])
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    cues = ctx.res.lexicon.media_cues
    last = before.split()[-1:] if before else []
    if last and last[0] == "told":
        return True
    return (before == "according to" and len(span) == 1) or after in cues.words - {"told"}


def find_role(ctx: Context, span: Span) -> tuple[str, str, str | None] | None:
    """A role phrase right before the name or in an apposition after it: (class, role, affiliation)."""
    found = _role_before(ctx, span) or _role_after(ctx, span) or _role_of_head(ctx, span) \
        or role_across_comma(ctx, span) or _role_as(ctx, span)
    if found is not None and fold(found[1]).split()[-1:] in (["counterpart"], ["counterparts"]):
        return _counterpart_class(ctx, span) or found[0], found[1], found[2]
    return found


def _counterpart_class(ctx: Context, span: Span) -> str | None:
    """``Prime Minister X ... his Mauritian counterpart Y``: a counterpart holds the rank of the
    person named last before it in the sentence (a leader's counterpart is a leader)."""
    doc = span.doc
    first = span.sent.start
    before = doc[first:span.start]
    ranks = [(h.start, ctx.res.gazetteer.entities[h.key].cls) for h in ctx.res.gazetteer.match(before.text)
             if h.kind == "name"]
    for t in before:  # "Prime Minister Keir Starmer": a title before a capitalised name
        if t.text[:1].isupper() and t.i + 1 < span.start and doc[t.i + 1].text[:1].isupper():
            hit = _role_match(ctx, [norm_key(x.text) for x in doc[max(first, t.i - 2):t.i + 1]])
            if hit is not None:
                ranks.append((t.idx - before.start_char, hit[0]))
    ranks = [r for r in ranks if r[1] in {"Leader", "Official"}]
    return max(ranks)[1] if ranks else None


def _role_of_head(ctx: Context, span: Span) -> tuple[str, str, str | None] | None:
    """``A former European Union diplomat who served in Tehran, Thomas Brenner, argued``:
    the name is in apposition to a role noun."""
    root = span.root
    if root.dep_ != "appos":
        return None
    head = root.head
    words = [norm_key(t.text) for t in head.lefts if t.dep_ in {"compound", "amod"}] + [norm_key(head.text)]
    hit = _role_match(ctx, words) or _role_match(ctx, [*words[:-1], head.lemma_.lower()])  # "their foreign ministers"
    if hit is None:
        return None
    return hit[0], head.text, affiliation_near(ctx, head.doc[head.left_edge.i:head.i + 1])


def _role_match(ctx: Context, toks: list[str]) -> tuple[str, int] | None:
    """The longest role phrase that ends ``toks``: (class, length)."""
    roles = ctx.res.lexicon.roles
    for n in range(min(len(toks), ctx.res.lexicon.max_role_len), 0, -1):
        cls = roles.get(tuple(toks[-n:]))
        if cls:
            return cls, n
    return None


def _role_before(ctx: Context, span: Span) -> tuple[str, str, str | None] | None:
    doc = span.doc
    start = skip_honorifics(ctx, span.start)  # "Foreign Minister Hon. Samuel Ablakwa"
    lo = start
    # back to the clause start, not the parser's sentence: it sometimes splits "Orientalist | Pavel ..."
    while lo > 0 and start - lo < ctx.res.lexicon.max_role_len + 1 and not (
            doc[lo - 1].text in {".", "!", "?", ";", ":", "\"", "“", "”"} or "\n" in doc[lo - 1].text):
        lo -= 1
    toks = [norm_key(t.text) or t.text for t in doc[lo:start]]  # "Lt." -> "lt"
    hit = _role_match(ctx, toks)
    if hit is None:
        return _office_of(ctx, span)
    cls, n = hit
    role_start = start - n
    role = doc[role_start:start].text
    if cls == "Leader" and role_start > lo and norm_key(doc[role_start - 1].text) in ctx.res.lexicon.cue("body_heads"):
        cls = "Official"  # "ECOWAS Commission president X", "World Bank President Y": the head of a body
    return cls, role[:1].upper() + role[1:], affiliation_near(ctx, doc[max(lo, role_start - 4):role_start])


def skip_honorifics(ctx: Context, i: int) -> int:
    """The token before the capitalised honorifics that end right before token ``i`` (``Hon.``,
    ``the Hon``, ``Datuk Seri``), or ``i`` itself."""
    doc, honorifics = ctx.doc, ctx.res.lexicon.cue("honorifics")
    while i > 0:
        if doc[i - 1].text == "." and i > 1 and doc[i - 2].whitespace_ == "":
            i -= 1  # "Hon." split as "Hon" "."
            continue
        if not (doc[i - 1].text[:1].isupper() and norm_key(doc[i - 1].text) in honorifics):
            break
        i -= 1
    return i


_OPENERS = {",", "—", "–", "--", ":"}
_CLOSERS = {",", "—", "–", "--", ".", ";", ")", ":", "!", "?"}
_BARRIERS = {".", ";", "(", ")", "\"", "“", "”", "!", "?"}


def role_across_comma(ctx: Context, span: Span) -> tuple[str, str, str | None] | None:
    """``their foreign ministers, Giorgos Gerapetritis and Hakan Fidan,``, ``the new British
    ambassador in Washington, Peter Mandelson,``, ``the transport ministers of A, B and C — X, Y
    and Z —``: a role phrase, a comma or dash, then the name (or a list of names) closed by
    punctuation: an apposition the parser often attaches elsewhere (``Speaking to the minister,
    X said`` is no apposition: nothing closes it)."""
    doc = span.doc
    first = skip_honorifics(ctx, _list_edge(ctx, span.start, -1))
    first -= 1 if first > 0 and doc[first - 1].lower_ == "the" else 0  # ", the Hon Mark Brown,"
    if first < 2 or doc[first - 1].text not in _OPENERS or not _closed(doc, _list_edge(ctx, span.end, 1)):
        return None
    stop = max(doc[first - 1].sent.start, first - 18)
    for j in range(first - 2, stop - 1, -1):
        tok = doc[j]
        if tok.pos_ in {"VERB", "AUX"} or tok.text in _BARRIERS or "\n" in tok.text:
            return None
        if tok.pos_ not in {"NOUN", "PROPN"} or (doc[j + 1].pos_ == "PROPN" and j + 1 < first - 1
                                                and doc[j + 1].text[:1].isupper()):
            continue  # "Foreign Minister Sergey Lavrov, X": the title of the name after it
        toks = [norm_key(t.text) for t in doc[max(stop, j - ctx.res.lexicon.max_role_len + 1):j + 1]]
        hit = _role_match(ctx, toks) or _role_match(ctx, [*toks[:-1], tok.lemma_.lower()])
        if hit is not None:
            role = doc[j - hit[1] + 1:j + 1].text
            return hit[0], role[:1].upper() + role[1:], affiliation_near(ctx, doc[max(stop, j - hit[1] - 3):first - 1])
    return None


def _list_edge(ctx: Context, i: int, step: int) -> int:
    """The edge of a list of names that token ``i`` starts (step -1) or ends (step 1): ``A, B and
    C`` from any of them (``bin``, ``al-`` inside a name; a place is no name: ``in Washington, X``)."""
    doc = ctx.doc
    while True:
        sep, name = (i - 1, i - 2) if step < 0 else (i, i + 1)
        if not (0 <= name < len(doc) and doc[sep].lower_ in {",", "and"} and _name_word(ctx, doc[name])):
            return i
        i = name
        while 0 <= i + step < len(doc) and (_name_word(ctx, doc[i + step]) or doc[i + step].lower_ in _PARTICLES
                                            or doc[i + step].text == "-" and not doc[i + step].whitespace_):
            i += step
        i = i if step < 0 else i + 1


_PARTICLES = {"bin", "binti", "ibn", "al", "el", "de", "da", "van", "von", "la", "del", "dos", "di"}


def _name_word(ctx: Context, tok: Token) -> bool:
    """A capitalised word that is not a known place or demonym."""
    return tok.text[:1].isupper() and tok.is_alpha and not any(
        h.kind == "demonym" or ctx.res.gazetteer.entities[h.key].cls in PLACE_CLASSES
        for h in ctx.res.gazetteer.match(tok.text))


def _closed(doc: Doc, i: int) -> bool:
    """Punctuation or the sentence's end at ``i``, after any post-nominal letters (``MP``, ``KC``)."""
    while i < len(doc) and doc[i].is_upper and doc[i].is_alpha and len(doc[i]) <= 4:
        i += 1
    return i >= len(doc) or doc[i].text in _CLOSERS or doc[i].sent.start != doc[i - 1].sent.start


def _role_as(ctx: Context, span: Span) -> tuple[str, str, str | None] | None:
    """``succeed Patricia Scotland as Commonwealth secretary-general``: the office the name holds."""
    doc = span.doc
    if span.end + 1 >= len(doc) or doc[span.end].lower_ != "as":
        return None
    toks: list[Token] = []
    for tok in doc[span.end + 1:span.end + 7]:
        if tok.text == "-" or tok.lower_ in {"the", "a", "an"} and not toks:
            continue
        if tok.pos_ not in {"NOUN", "PROPN", "ADJ"}:
            break
        toks.append(tok)
    for cut in range(len(toks), 0, -1):
        hit = _role_match(ctx, [norm_key(t.text) for t in toks[:cut]])
        if hit is not None and all(t.text[:1].isupper() or t.pos_ == "ADJ" for t in toks[:cut - hit[1]]):
            role = " ".join(t.text for t in toks[cut - hit[1]:cut])  # "Commonwealth secretary general"
            return hit[0], role, affiliation_near(ctx, doc[span.end:toks[cut - 1].i + 1])
    return None


_OFFICE_WORDS = {"of", "for", "to", "and", "the", "&"}


def _office_of(ctx: Context, span: Span) -> tuple[str, str, str | None] | None:
    """``Minister of Industry and Trade Anton Alikhanov``, ``Cabinet Secretary for Foreign and Diaspora
    Affairs Musalia Mudavadi``: a role word, ``of``/``for``, capitalised words, then the name."""
    doc = span.doc
    i = span.start - 1
    while i > max(0, span.start - 9) and (doc[i].text[:1].isupper() or doc[i].lower_ in _OFFICE_WORDS):
        if doc[i].lower_ in {"of", "for", "to"}:  # "Ambassador to Malaysia Ouyang Yujing"
            toks = [norm_key(t.text) for t in doc[max(0, i - ctx.res.lexicon.max_role_len):i]]
            hit = _role_match(ctx, toks)
            if hit is not None and doc[i - 1].text[:1].isupper():
                start = i - hit[1]
                return hit[0], doc[start:span.start].text, affiliation_near(ctx, doc[max(0, start - 4):span.start])
        i -= 1
    return None


def _role_after(ctx: Context, span: Span) -> tuple[str, str, str | None] | None:
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].text != ",":
        return None
    end = span.end + 1
    while end < min(len(doc), span.end + 14) and doc[end].text not in {",", ".", ";", ":", "\n"} and not doc[end].is_space:
        end += 1
    window = doc[span.end + 1:end]
    toks = [norm_key(t.text) or t.text for t in window]
    for cut in range(len(toks), 0, -1):
        hit = _role_match(ctx, toks[:cut])
        if hit is not None and cut < len(toks) and (window[cut].text[:1].isupper() or window[cut].lower_ in {"'s", "’s"}):
            continue  # "Brett McGurk, President Biden's Middle East coordinator": another person's title
        if hit is not None:
            cls, n = hit
            role = window[cut - n:cut].text
            return _of_a_government_body(ctx, cls, toks[cut:]), role, affiliation_near(ctx, window)
    return None


def _of_a_government_body(ctx: Context, cls: str, rest: list[str]) -> str:
    """``Cai Qi, director of the General Office of the CPC Central Committee``: a director (an
    Expert's title at a think tank) of a body of government is an Official."""
    if cls != "Expert" or rest[:1] != ["of"]:
        return cls
    words = set(rest)
    bodies = ctx.res.lexicon.cue("government_bodies")
    return "Official" if words & bodies and not words & ctx.res.lexicon.cue("research_bodies") else cls


def affiliation_near(ctx: Context, window: Span) -> str | None:
    """A country (or organisation) named in a role phrase: ``Russian``, ``of Russia``, ``at RUSI``."""
    doc = window.doc
    found = []
    for hit in ctx.res.gazetteer.match(window.text):
        ent = ctx.res.gazetteer.entities[hit.key]
        tok = doc.char_span(window.start_char + hit.start, window.start_char + hit.end, alignment_mode="expand")
        if tok is not None and tok.root.ent_type_ == "PERSON" and ent.cls not in {"Country"}:
            continue  # "Therese Kayikwamba Wagner": a name, not the Wagner Group
        if ent.cls in {"Country", "Organization", "MediaOutlet"}:
            found.append(hit.key)
    return found[0] if found else None


def bio_roles(ctx: Context) -> None:
    """``Eleni Marou is a senior research fellow at ...``: a person named without a role, then
    described by one after a copula, takes that role's class (an Official or an Expert; a copula
    ``is the president of`` an institute does not make a head of state)."""
    for sent in ctx.sents:
        for tok in sent.span:
            attrs = [c for c in tok.children if c.dep_ == "attr"]
            subjects = [c for c in tok.children if c.dep_ == "nsubj"]
            if tok.lemma_ != "be" or not attrs or not subjects:
                continue
            named = [m for m in sent.mentions if m.tok_start <= subjects[0].i < m.tok_end and m.kind == "name"]
            ent = ctx.entities.get(named[0].key) if named else None
            if ent is None or ent.reference or ent.cls != "Person":
                continue
            head = attrs[0]
            words = [norm_key(t.text) for t in head.lefts if t.dep_ in {"compound", "amod"}] + [head.lemma_.lower()]
            hit = _role_match(ctx, words)
            if hit is not None and hit[0] in {"Official", "Expert"}:
                ent.cls, ent.role = hit[0], ent.role or " ".join(words[-hit[1]:])
