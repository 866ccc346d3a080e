"""Event identity across articles: one node per real-world event, each article's account its own.

:mod:`kg.identity.report` (what one article says about one event), :mod:`kg.identity.cluster`
(which reports tell of the same event, order-independently), :mod:`kg.identity.storage`
(reading reports from the store), :mod:`kg.identity.index` (the build's reports held by
the writer), :mod:`kg.identity.apply` (keeping the store's events up to
date in the same transaction as each article), :mod:`kg.identity.score` (B-cubed scores
against a gold clustering).
"""

from kg.identity.apply import EVENTS_GRAPH, Plan, plan, recluster_all, update_text
from kg.identity.index import ReportIndex
from kg.identity.report import Report, World, reports_of
from kg.identity.storage import load_world

__all__ = ["EVENTS_GRAPH", "Plan", "Report", "ReportIndex", "World", "load_world", "plan", "recluster_all", "reports_of",
           "update_text"]
