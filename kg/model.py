"""Plain data passed between the pipeline's stages.

Ingest produces :class:`Article`; extractors produce an :class:`Extraction` made of
entities, mentions, events, cooperation and claims. Nothing here knows about RDF:
``kg.mapping`` turns an Extraction into triples. Entity keys are slugs such as
``person/vladimir-putin`` that ``kg.mapping`` appends to the resource namespace.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from a file; ``body`` is what evidence offsets index."""

    body: str
    path: str
    title: str | None = None
    date: str | None = None  # 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or None
    source: str | None = None  # the outlet, when the input names one
    url: str | None = None

    @property
    def id(self) -> str:
        """A content hash: the same title and text read twice is one article."""
        digest = hashlib.sha256(f"{self.title or ''}\n{self.body}".encode())
        return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the article body (a sentence) that a fact was read from."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Entity:
    """A person, organisation or place, identified by a stable key."""

    key: str  # 'person/vladimir-putin'
    label: str
    cls: str  # most specific ontology class: 'Leader', 'Country', ...
    aliases: set[str] = field(default_factory=set)
    wikidata: str | None = None  # 'Q7747'
    role: str | None = None
    affiliation: str | None = None  # key of a Country or Organization
    located_in: str | None = None  # key of a Place
    reference: bool = False  # a gazetteer entry: the reference graph describes it already


@dataclass(frozen=True, slots=True)
class Mention:
    """Where the article names an entity."""

    key: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Event:
    """Something that happened: a meeting, summit, visit, invitation, operation ..."""

    key: str  # unique within the article: 'meeting-1'
    cls: str  # 'Meeting', 'Summit', 'Invitation', ...
    label: str
    evidence: list[Evidence] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    initiator: list[str] = field(default_factory=list)
    location: list[str] = field(default_factory=list)
    destination: list[str] = field(default_factory=list)
    date: str | None = None
    part_of: str | None = None  # key of another Event in the same article
    topics: list[str] = field(default_factory=list)
    delegates: list[str] = field(default_factory=list)  # a delegation's members, not its principals


@dataclass(slots=True)
class Cooperation:
    """Two or more parties cooperating on one topic."""

    key: str
    topic: str  # topic slug: 'drones'
    partners: list[str]
    evidence: list[Evidence] = field(default_factory=list)
    provider: str | None = None
    recipient: str | None = None


@dataclass(slots=True)
class Claim:
    """Something a named source asserts."""

    key: str
    claimant: str
    text: str
    evidence: list[Evidence] = field(default_factory=list)
    reported_by: str | None = None  # key of a MediaOutlet
    about: list[str] = field(default_factory=list)  # entity or event keys
    certainty: str = "asserted"  # 'asserted' | 'hedged'
    cue: str | None = None  # the attribution word: 'said', 'according to'


@dataclass(slots=True)
class Extraction:
    """Everything read from one article."""

    article: Article
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    cooperations: list[Cooperation] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    filed_by: str | None = None  # key of the MediaOutlet a dateline names ("(Reuters)")
    filed_from: str | None = None  # key of the Place a dateline names ("CAIRO, May 8")
