"""Same data, same bytes: two builds, two database engines and the ZIP give identical files,
stamped with the data's own date; demo data says so in the title, the README and a field."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
from sqlalchemy import Engine

from data_access.opendata import RELEASE_FILES, build_release, zip_bytes

CONTACT = "opendata@example.org"  # as in conftest.py


def test_a_second_build_gives_the_same_bytes(
    demo_engine: Engine, release: dict[str, bytes]
) -> None:
    """Runs on a fresh demo database per engine (SQLite and PostgreSQL): same bytes as the
    session's release, file by file."""
    again = build_release(demo_engine, "it", contact_email=CONTACT)
    assert list(again) == list(RELEASE_FILES) == list(release)
    differ = [name for name in release if again[name] != release[name]]
    assert not differ


def test_zip_is_reproducible_and_dated_by_the_data(release: dict[str, bytes]) -> None:
    first, second = zip_bytes(release), zip_bytes(dict(release))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert zf.namelist() == list(RELEASE_FILES)
        assert {i.date_time for i in zf.infolist()} == {(2024, 4, 20, 0, 0, 0)}
        assert all(zf.read(n) == release[n] for n in zf.namelist())
    assert json.loads(release["datapackage.json"])["lgnet2"]["cutoff"] == "2024-04-20"


def test_json_files_have_a_fixed_key_order(release: dict[str, bytes]) -> None:
    for name in ("datapackage.json", "catalog.jsonld", "hubs.geojson"):
        text = release[name].decode("utf-8")
        assert (
            text
            == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        )


def test_demo_data_says_so(release: dict[str, bytes]) -> None:
    mark = "DATI DIMOSTRATIVI / demo data"
    package = json.loads(release["datapackage.json"])
    assert package["title"].startswith(mark) and package["lgnet2"]["demo"] is True
    readme = release["README.md"].decode("utf-8")
    assert readme.splitlines()[0].startswith(f"# {mark}") and "DEMO DATA" in readme
    for name in ("cities.csv", "indicators.csv", "observations.csv", "targets.csv"):
        frame = pd.read_csv(io.BytesIO(release[name]), dtype=str)
        assert (frame["demo"] == mark).all(), name
    hubs = json.loads(release["hubs.geojson"])
    assert hubs["lgnet2"]["demo"] is True


def test_english_release_puts_english_first(
    demo_sqlite_engine: Engine, release: dict[str, bytes]
) -> None:
    files = build_release(demo_sqlite_engine, "en", contact_email=CONTACT)
    readme = files["README.md"].decode("utf-8")
    assert readme.index("## DATI DIMOSTRATIVI / demo data – LGNet2 – monthly") < readme.index(
        "## DATI DIMOSTRATIVI / demo data – LGNet2 – indicatori"
    )
    package = json.loads(files["datapackage.json"])
    assert package["title"].endswith("(open data)")
    # the data are the same whatever the language
    for name in ("observations.csv", "observations.sdmx.csv", "hubs.geojson"):
        assert files[name] == release[name]
