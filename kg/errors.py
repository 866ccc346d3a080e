"""The one exception tree of ``kg``.

::

    KGError                  anything kg reports to a user as one line
    ├── IngestError          a file could not be read as an article (path, reason)
    ├── ExtractionError      an extractor failed or is unknown
    ├── GazetteerError       a gazetteer or lexicon file is malformed (file, entry)
    ├── StoreError           the store cannot be opened, read or written
    ├── QueryError           bad SPARQL, or an update where only reads are allowed
    ├── ExportError          an unknown format or an unwritable destination
    ├── LoadError            an RDF file for ``kg load`` is unreadable or malformed (path, reason)
    └── ValidationError      the graph does not conform to the SHACL shapes

Library code raises these; only ``kg.cli`` turns them into a message and an exit code.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class: ``str(error)`` is the one line a user sees."""


class IngestError(KGError):
    """A file (or one record in it) could not be read as an article."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ExtractionError(KGError):
    """An extractor is unknown, misconfigured or failed on an article."""


class GazetteerError(KGError):
    """A reference-data or lexicon file is malformed."""


class StoreError(KGError):
    """The store cannot be opened, read or written."""


class QueryError(KGError):
    """A SPARQL query is malformed or not allowed (updates in a read-only context)."""


class ExportError(KGError):
    """An export format is unknown or the destination cannot be written."""


class LoadError(KGError):
    """An RDF file could not be loaded into the store (nothing of it was written)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ValidationError(KGError):
    """The graph does not conform to the ontology's SHACL shapes."""
