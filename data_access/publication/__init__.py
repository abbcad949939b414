"""Publications: disclosure control at release time (issue 13).

A publication is the public release of the programme's figures: the disclosed cells and totals
(``data_access.disclosure``), computed once from one version of the data, stored with that
version, the time and what triggered it. The public reads it; a city manager reads it for the
other cities and its own city live (``data_access.publication.view``); steering and admin read
live data. Nobody's page view, download or export runs the solver.

Public API::

    latest_publication(engine) -> PublicationInfo | None
    load_published(engine, pid=None) -> DisclosedTable
    release_for_viewer(published, own, viewer) -> (rows, DisclosedTable)

Building lives in ``data_access.publication.build`` (``publish``, ``publish_after_change``;
it reads through ``data_access.queries``, which reads publications through this package).
"""

from __future__ import annotations

from data_access.publication.store import (
    PublicationInfo,
    last_failure,
    latest_publication,
    load_published,
)
from data_access.publication.view import release_for_viewer

__all__ = [
    "PublicationInfo",
    "last_failure",
    "latest_publication",
    "load_published",
    "release_for_viewer",
]
