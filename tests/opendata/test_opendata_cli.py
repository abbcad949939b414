"""``lgnet2 open-data`` as a user types it: a real process and a real database. Bad input is
one line on stderr, exit 2, and nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from data_access.config import make_engine
from data_access.db import upgrade
from data_access.opendata import RELEASE_FILES

LGNET2 = str(Path(sys.executable).with_name("lgnet2"))


def run(*args: str, lang: str = "it") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "LGNET2_LANG": lang}
    return subprocess.run([LGNET2, *args], capture_output=True, text=True, env=env, timeout=300)


def test_open_data_writes_the_release(
    demo_sqlite_url: str, release: dict[str, bytes], tmp_path: Path
) -> None:
    out = tmp_path / "rilascio"
    res = run("open-data", "--out", str(out), "--db", demo_sqlite_url)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(RELEASE_FILES)
    # another process, no contact configured: the data files are the same bytes
    for name in ("observations.csv", "observations.sdmx.csv", "structure.xml", "datapackage.json"):
        assert (out / name).read_bytes() == release[name], name
    again = run("open-data", "--out", str(out), "--db", demo_sqlite_url)  # a release: replaced
    assert again.returncode == 0, again.stderr


@pytest.fixture
def empty_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    eng = make_engine(url, must_exist=False)
    upgrade(eng)
    eng.dispose()
    return url


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("lang", "Lingua non supportata"),
        ("file", "Non è una cartella"),
        ("foreign", "contiene altri file"),
        ("missing_db", "non esiste"),
        ("empty_db", "non contiene ancora dati"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    case: str, needle: str, demo_sqlite_url: str, empty_db: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    db = demo_sqlite_url
    extra: list[str] = []
    if case == "lang":
        extra = ["--lang", "fr"]
    elif case == "file":
        out = tmp_path / "a_file.txt"
        out.write_text("keep me")
    elif case == "foreign":
        out.mkdir()
        (out / "notes.txt").write_text("keep me")
    elif case == "missing_db":
        db = f"sqlite:///{tmp_path / 'nope.sqlite'}"
    elif case == "empty_db":
        db = empty_db
    before = sorted(p.name for p in tmp_path.rglob("*"))
    res = run("open-data", "--out", str(out), "--db", db, *extra)
    assert res.returncode == 2
    assert needle in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written


def test_english_message(tmp_path: Path) -> None:
    res = run("open-data", "--out", str(tmp_path / "x"), "--lang", "de", lang="en")
    assert res.returncode == 2 and "Unsupported language" in res.stderr
