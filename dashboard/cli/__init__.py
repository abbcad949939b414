"""The ``lgnet2`` command line: ``main`` (parser and error handling), ``core`` (run, demo,
export), ``ingest`` (import, template, approve, unlock), ``snapshot`` (PNG of a page) and
``browser`` (the Playwright/streamlit harness used by snapshot, tests and benchmarks).
"""

from dashboard.cli.main import (
    Handler,
    build_parser,
    main,
)

__all__ = [
    "Handler",
    "build_parser",
    "main",
]
