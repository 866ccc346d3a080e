"""Parse helpers the stages share: what one stage left in the context that another reads.

Stages import from here, never from each other's modules.
"""

from __future__ import annotations

from kg.extract.context import Context, Sent


def claimants_of(ctx: Context, sent: Sent) -> set[str]:
    """Claimants read from a sentence (after the ``claims`` stage ran)."""
    start = ctx.evidence(sent).start
    return {c.claimant for c in ctx.extraction.claims if c.evidence[0].start == start}
