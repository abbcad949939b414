"""``lgnet2 import`` and ``lgnet2 template`` (issue 4)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Not wired yet: the ingestion subcommands arrive with the city-report import."""
