"""``lgnet2 snapshot`` (issue 3)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Not wired yet: the snapshot subcommand arrives with the dashboard pages."""
