"""``lgnet2 pack`` refuses bad input with one line in the pack's language, exit 2, no file."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_access.config import make_engine
from data_access.db import upgrade
from data_access.reference_load import insert_reference

from .conftest import run_cli


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--period", "2025-01"], "outside the programme"),
        (["--period", "2024-13"], "Invalid month"),
        (["--period", "marzo"], "Invalid month"),
        (["--period", "2024-03", "--role", "city:999999"], "Unknown city"),
        (["--period", "2024-03", "--role", "king"], "Unknown role"),
        (["--period", "2024-03", "--format", "pptx"], "must end in .pptx"),
    ],
)
def test_bad_input_is_one_english_line_and_exit_2(
    demo_sqlite_url: str, tmp_path: Path, args: list[str], needle: str
) -> None:
    out = tmp_path / "pack.pdf"
    res = run_cli("pack", *args, "--lang", "en", "--out", str(out), "--db", demo_sqlite_url)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert needle in res.stderr and "Traceback" not in res.stderr
    assert not out.exists()


def test_a_month_without_data_is_refused_in_italian(tmp_path: Path) -> None:
    """An empty programme month (a fresh database with only the reference data)."""
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    engine = make_engine(url, must_exist=False)
    upgrade(engine)
    with engine.begin() as conn:
        insert_reference(conn)
    engine.dispose()
    out = tmp_path / "pack.pdf"
    res = run_cli("pack", "--period", "2023-06", "--out", str(out), "--db", url)
    assert res.returncode == 2
    assert "Nessun dato per il mese 2023-06" in res.stderr
    assert not out.exists()
