"""People introduced by the research body they work at: Experts, whatever role word they lack.

``Jonas Weber, of the Kiel Institute for the World Economy, is more optimistic``, ``Dr X of the
S. Rajaratnam School of International Studies argues``, ``Daniel Brennan, who studies Central
Asia at Chatham House, notes``, ``My colleague at the SETA foundation, Murat Aksoy, argues``:
the parse ties the name to an institution whose name has a research word (``research_bodies``
in ``lexicon.yaml``: institute, centre, university, foundation, school, studies ...), directly
(``of``/``at``/``from``/``with``), through a relative clause of the name, or through the noun
the name is in apposition to. A person the article named without a role is then an Expert.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context
from kg.extract.text import norm_key

_PREPS = {"of", "at", "from", "with"}


def research_roles(ctx: Context) -> None:
    """Type as Expert each person without a role that the parse ties to a research body."""
    for sent in ctx.sents:
        for m in sent.mentions:
            ent = ctx.entities.get(m.key)
            if m.kind != "name" or ent is None or ent.reference or ent.cls != "Person" or ent.role:
                continue
            root = ctx.doc[m.tok_start:m.tok_end].root
            if _tied_to_research(ctx, root):
                ent.cls = "Expert"


def _tied_to_research(ctx: Context, root: Token) -> bool:
    """The name's own ``of``/``at`` phrase, its relative clause's, or its apposition head's."""
    heads = [root]
    heads += [c for c in root.children if c.dep_ == "relcl"]  # "who studies Central Asia at Chatham House"
    nouns = ctx.res.lexicon.cue("person_nouns")
    if root.dep_ == "appos" and root.head.lemma_.lower() in nouns:
        heads.append(root.head)  # "My colleague at the SETA foundation, Murat Aksoy"
    for head in heads:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in _PREPS and any(
                    _research_body(ctx, obj) for obj in prep.children if obj.dep_ == "pobj"):
                return True
    return False


def _research_body(ctx: Context, obj: Token) -> bool:
    """Whether the noun phrase names a research body: a research word in it, or in the gazetteer
    names of the organisation it names (``Chatham House``, the Royal Institute of International Affairs)."""
    phrase = ctx.doc[obj.left_edge.i:obj.right_edge.i + 1]
    research = ctx.res.lexicon.cue("research_bodies")
    if set(norm_key(phrase.text).split()) & research:
        return True
    for hit in ctx.res.gazetteer.match(phrase.text):
        ent = ctx.res.gazetteer.entities[hit.key]
        if ent.cls == "Organization" and any(set(norm_key(n).split()) & research for n in [ent.label, *ent.aliases]):
            return True
    return False
