"""datapackage.json: the Frictionless validator's own verdict, keys that are really checked, and
tables that are exactly the public export."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate
from sqlalchemy import Engine

from data_access.publication import latest_publication

TABLES = ("cities", "indicators", "observations", "targets")


def _errors(descriptor: Path) -> list[tuple[str, str]]:
    report = validate(str(descriptor))
    return [(row[0], row[1]) for row in report.flatten(["type", "note"])]


def test_frictionless_finds_no_error_in_the_release(release_dir: Path) -> None:
    report = validate(str(release_dir / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]
    rows = {task.name: task.stats.get("rows") for task in report.tasks}
    assert rows["observations"] > 1000 and rows["cities"] == 16


def test_keys_link_every_table(release_dir: Path) -> None:
    package = json.loads((release_dir / "datapackage.json").read_text("utf-8"))
    schemas = {r["name"]: r.get("schema", {}) for r in package["resources"]}
    assert schemas["cities"]["primaryKey"] == ["city_code"]
    header = (release_dir / "observations.csv").read_text("utf-8").splitlines()[0].split(",")
    levels = ["level"] if "level" in header else []  # published totals as rows (issue 13)
    assert schemas["observations"]["primaryKey"] == [*levels, "city_code", "indicator", "period"]
    for name in ("targets", "observations-sdmx"):
        targets = {fk["reference"]["resource"] for fk in schemas[name]["foreignKeys"]}
        assert targets == {"cities", "indicators"}
    obs = {fk["reference"]["resource"] for fk in schemas["observations"]["foreignKeys"]}
    assert obs == (
        {"indicators"}
        if "TOTAL" in (release_dir / "observations.csv").read_text()
        else {"cities", "indicators"}
    )


def _copy_with(release_dir: Path, tmp_path: Path, edit: str, keep_hash: bool) -> Path:
    """A copy of the release whose targets.csv has one city code replaced by ``edit``;
    with ``keep_hash=False`` the descriptor is updated (size and digest) to the new file."""
    out = tmp_path / "copy"
    shutil.copytree(release_dir, out)
    path = out / "targets.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines[1] = edit + lines[1][6:]
    path.write_text("".join(lines), "utf-8")
    if not keep_hash:
        package = json.loads((out / "datapackage.json").read_text("utf-8"))
        data = path.read_bytes()
        for res in package["resources"]:
            if res["path"] == "targets.csv":
                res["bytes"] = len(data)
                res["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
        (out / "datapackage.json").write_text(json.dumps(package), "utf-8")
    return out / "datapackage.json"


def test_the_validator_checks_foreign_keys(release_dir: Path, tmp_path: Path) -> None:
    errors = _errors(_copy_with(release_dir, tmp_path, "999999", keep_hash=False))
    assert {kind for kind, _ in errors} == {"foreign-key"}
    assert "999999" in errors[0][1]


def test_the_validator_checks_the_digests(release_dir: Path, tmp_path: Path) -> None:
    errors = _errors(_copy_with(release_dir, tmp_path, "037006", keep_hash=True))
    assert {kind for kind, _ in errors} & {"hash-count", "byte-count"}


@pytest.mark.parametrize("name", TABLES)
def test_release_tables_are_the_public_export(
    name: str, release: dict[str, bytes], public_export: Path
) -> None:
    """One fact, one figure: each table is byte for byte ``lgnet2 export NAME --role public``."""
    exported = (public_export / f"{name}.csv").read_bytes()
    assert release[f"{name}.csv"] == exported
    frame = pd.read_csv(public_export / f"{name}.csv", dtype=str, keep_default_na=False)
    assert len(frame) > 0


def test_every_field_is_described_in_both_languages(release_dir: Path) -> None:
    package = json.loads((release_dir / "datapackage.json").read_text("utf-8"))
    for res in package["resources"]:
        for field in res.get("schema", {}).get("fields", []):
            assert field["description_it"] and field["description_en"], field["name"]
            assert field["description_it"] != field["description_en"] or field["name"] in ("wp",)
    fields = {
        f["name"]: f
        for r in package["resources"]
        if r["name"] == "observations"
        for f in r["schema"]["fields"]
    }
    assert fields["value"]["constraints"]["minimum"] == 0
    assert set(fields["flag"]["constraints"]["enum"]) >= {"soppresso", "arrotondato"}
    assert fields["period"]["type"] == "yearmonth"


def test_licence_sources_and_version(release_dir: Path, demo_sqlite_engine: Engine) -> None:
    package = json.loads((release_dir / "datapackage.json").read_text("utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    geo = [r for r in package["resources"] if r["format"] == "geojson"]
    assert geo and all("ISTAT" in r["sources"][0]["title"] for r in geo)
    assert package["version"] and package["lgnet2"]["cutoff"] == "2024-04-20"
    latest = latest_publication(demo_sqlite_engine)
    assert latest is not None  # the demo publishes what it approved
    assert package["lgnet2"]["publication"] == latest.version


def test_published_totals_as_rows_keep_the_package_valid(
    demo_sqlite_engine, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """When the public export also carries the totals a publication releases (a ``level``
    column; programme totals coded ``TOTAL``), the key includes the level, the totals are not
    tied to a city, and the SDMX file keeps the monthly city values."""
    from data_access.export import DEMO_MARK
    from data_access.opendata import write_release
    from data_access.opendata.archive import assemble_release
    from data_access.opendata.tables import ReleaseTables, load_release_tables

    base = load_release_tables(demo_sqlite_engine, "it")
    obs = base.tables["observations"].copy()
    if "level" not in obs:
        obs.insert(6, "level", "month")
    obs = obs[obs["level"] == "month"]
    last = obs.iloc[-1]
    extra = pd.DataFrame(
        [
            {**last.to_dict(), "level": "city_to_date", "value": 1000.0, "flag": "arrotondato"},
            {
                **last.to_dict(),
                "city_code": "TOTAL",
                "city": "Totale programma",
                "level": "national_to_date",
                "value": 9000.0,
                "flag": "arrotondato",
            },
        ]
    )
    assert (extra["demo"] == DEMO_MARK).all()
    tables = {**base.tables, "observations": pd.concat([obs, extra], ignore_index=True)}
    files = assemble_release(ReleaseTables(info=base.info, tables=tables, geo=base.geo))
    write_release(files, tmp_path / "rel")
    assert _errors(tmp_path / "rel" / "datapackage.json") == []
    package = json.loads(files["datapackage.json"])
    (schema,) = [r["schema"] for r in package["resources"] if r["name"] == "observations"]
    assert schema["primaryKey"] == ["level", "city_code", "indicator", "period"]
    assert [fk["fields"] for fk in schema["foreignKeys"]] == [["indicator"]]
    sdmx = pd.read_csv(io.BytesIO(files["observations.sdmx.csv"]), dtype=str)
    assert len(sdmx) == len(obs) and "TOTAL" not in set(sdmx["CITY"])
