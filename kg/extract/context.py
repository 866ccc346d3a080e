"""The working state of one article while the stages read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from kg.extract.resources import Resources
from kg.extract.text import PERSON_CLASSES, fold, is_heading
from kg.model import Article, Entity, Evidence, Extraction


@dataclass(slots=True)
class Ment:
    """A resolved mention: characters, tokens, and the entity (or country) it refers to."""

    start: int
    end: int
    tok_start: int
    tok_end: int
    key: str
    kind: str  # 'name' | 'demonym' | 'seat' | 'ref' (title or pronoun)


@dataclass(slots=True)
class Sent:
    """One sentence of the body, with its mentions in reading order."""

    index: int
    span: Span
    heading: bool
    mentions: list[Ment] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.span.start_char

    @property
    def end(self) -> int:
        return self.span.end_char


@dataclass
class Context:
    """Everything known about one article so far; stages read and add to it."""

    article: Article
    doc: Doc
    res: Resources
    sents: list[Sent] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    out: Extraction | None = None
    furniture: list[tuple[int, int]] = field(default_factory=list)  # body spans of datelines, captions ...

    def __post_init__(self) -> None:
        self.out = Extraction(article=self.article)
        body = self.article.body
        for i, span in enumerate(self.doc.sents):
            if span.text.strip():
                start = span.start_char + len(span.text) - len(span.text.lstrip())
                line_start = body.rfind("\n", 0, start) + 1
                line_end = body.find("\n", start)
                line = body[line_start: len(body) if line_end < 0 else line_end]
                self.sents.append(Sent(i, span, heading=is_heading(line) and line.strip() == span.text.strip()))

    @property
    def extraction(self) -> Extraction:
        assert self.out is not None
        return self.out

    def evidence(self, sent: Sent) -> Evidence:
        """The sentence as evidence, offsets slicing the body to exactly its text."""
        text = sent.span.text
        stripped = text.strip()
        start = sent.start + (len(text) - len(text.lstrip()))
        return Evidence(start, start + len(stripped), stripped)

    def entity(self, key: str) -> Entity | None:
        return self.entities.get(key) or self.res.gazetteer.entities.get(key)

    def cls(self, key: str) -> str:
        ent = self.entity(key)
        return ent.cls if ent else ""

    def is_person(self, key: str) -> bool:
        return self.cls(key) in PERSON_CLASSES

    def country_of(self, key: str) -> str | None:
        """The country an entity stands for or belongs to (itself, seat, affiliation, location)."""
        seen: set[str] = set()
        while key and key not in seen:
            seen.add(key)
            ent = self.entity(key)
            if ent is None:
                return None
            if ent.cls == "Country":
                return key
            seat = self.res.gazetteer.seat_of.get(key)
            nxt = seat or ent.located_in or ent.affiliation
            if nxt is None:
                return None
            key = nxt
        return None

    def has_phrase(self, sent: Sent, phrases: tuple[tuple[str, ...], ...]) -> bool:
        """Whether one of the (folded, multi-word) phrases occurs in the sentence."""
        words = " " + " ".join(fold(t.text) for t in sent.span) + " "
        return any(f" {' '.join(p)} " in words for p in phrases)

    def sentence_at(self, char: int) -> Sent | None:
        """The sentence containing a character offset (binary search)."""
        lo, hi = 0, len(self.sents) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sents[mid]
            if char < s.start:
                hi = mid - 1
            elif char >= s.end:
                lo = mid + 1
            else:
                return s
        return None
