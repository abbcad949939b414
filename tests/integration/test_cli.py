"""The ``lgnet2`` command line as a user types it (a real process, a real database)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from data_access.catalogue import INDICATORS, programme_periods
from data_access.demo import LATE_START, MISSING_REPORTS

LGNET2 = str(Path(sys.executable).with_name("lgnet2"))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "LGNET2_LANG": "it"}
    return subprocess.run(
        [LGNET2, *args], capture_output=True, text=True, env={**base, **(env or {})}, timeout=120
    )


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory) -> str:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.sqlite'}"
    res = run("demo", "--db", url)
    assert res.returncode == 0, res.stderr
    assert "demo" in res.stdout
    return url


def test_demo_then_export_observations_gives_every_city_month_and_indicator(
    cli_db, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "obs.csv"
    res = run("export", "observations", "--db", cli_db, "--out", str(out), "--role", "steering")
    assert res.returncode == 0, res.stderr
    df = pd.read_csv(out, dtype={"city_code": str, "period": str})
    assert list(df.columns[:6]) == ["city_code", "city", "indicator", "period", "value", "flag"]
    assert df["city_code"].nunique() == 16
    assert sorted(df["period"].unique()) == programme_periods()
    assert df["indicator"].nunique() == len(INDICATORS)
    pairs = set(zip(df["city_code"], df["period"], strict=True))
    expected = {
        (c, p)
        for c in df["city_code"].unique()
        for i, p in enumerate(programme_periods())
        if (c, p) not in MISSING_REPORTS and i >= LATE_START.get(c, 0)
    }
    assert pairs == expected
    assert (df["demo"] == "DATI DIMOSTRATIVI / demo data").all()


def test_public_export_applies_disclosure(cli_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "pub.csv"
    assert run("export", "observations", "--db", cli_db, "--out", str(out)).returncode == 0
    df = pd.read_csv(out, dtype={"city_code": str, "flag": str}, keep_default_na=False)
    people = {i.code for i in INDICATORS if i.counts_people and i.kind != "ratio"}
    vals = pd.to_numeric(df.loc[df["indicator"].isin(people), "value"], errors="coerce")
    assert not vals.between(1, 9).any()
    shown = vals.dropna()
    assert (shown % 5 == 0).all()
    assert (df["flag"] != "").any()


def test_indicators_export_has_the_contract_columns(cli_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ind.csv"
    assert run("export", "indicators", "--db", cli_db, "--out", str(out)).returncode == 0
    df = pd.read_csv(out, keep_default_na=False)
    assert list(df.columns[:10]) == [
        "code",
        "wp",
        "action",
        "name_it",
        "name_en",
        "unit",
        "kind",
        "direction",
        "amif_code",
        "counts_people",
    ]
    assert set(df["kind"]) == {"flow", "stock", "ratio"}
    assert set(df["counts_people"].astype(str).str.lower()) == {"true", "false"}
    assert len(df) >= 18


@pytest.mark.parametrize("dataset", ["peripheries", "hubs"])
def test_geojson_exports(cli_db, tmp_path, dataset) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{dataset}.geojson"
    assert (
        run("export", dataset, "--db", cli_db, "--out", str(out), "--format", "geojson").returncode
        == 0
    )
    doc = json.loads(out.read_text())
    assert doc["type"] == "FeatureCollection" and doc["lgnet2"]["demo"] is True
    props = doc["features"][0]["properties"]
    assert {"city_code", "name", "type"} <= set(props)
    lon, lat = (
        doc["features"][0]["geometry"]["coordinates"][0][0]
        if dataset == "peripheries"
        else doc["features"][0]["geometry"]["coordinates"]
    )
    assert 6 < lon < 19 and 36 < lat < 48  # EPSG:4326 over Italy


def test_xlsx_export_carries_the_demo_mark(cli_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "targets.xlsx"
    assert run("export", "targets", "--db", cli_db, "--out", str(out)).returncode == 0
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["LEGGIMI", "targets"]
    text = " ".join(str(c) for row in wb["LEGGIMI"].iter_rows(values_only=True) for c in row)
    assert "DATI DIMOSTRATIVI" in text


def test_demo_refuses_to_overwrite_without_force(cli_db) -> None:  # type: ignore[no-untyped-def]
    res = run("demo", "--db", cli_db)
    assert res.returncode == 2
    assert "--force" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["export", "observations", "--role", "city:999999"], "Città sconosciuta"),
        (["export", "observations", "--role", "king"], "Ruolo sconosciuto"),
        (["export", "cities", "--format", "geojson"], "geometrie"),
        (["export", "observations", "--db", "sqlite:////nonexistent/dir/x.sqlite"], "non esiste"),
        (
            ["export", "observations", "--db", "postgresql://postgres@127.0.0.1:1/none"],
            "non risponde",
        ),
        (["export", "observations", "--db", "not a url"], "URL del database non valido"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli_db, tmp_path, args, needle) -> None:  # type: ignore[no-untyped-def]
    if "--db" not in args:
        args = [*args, "--db", cli_db]
    out = tmp_path / "never.csv"
    res = run(*args, "--out", str(out))
    assert res.returncode == 2
    assert needle in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_english_messages(tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = run(
        "export",
        "cities",
        "--db",
        f"sqlite:///{tmp_path}/missing.sqlite",
        "--out",
        str(tmp_path / "c.csv"),
        env={"LGNET2_LANG": "en"},
    )
    assert res.returncode == 2 and "does not exist" in res.stderr


def test_unknown_dataset_is_refused_by_the_parser(cli_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = run("export", "people", "--db", cli_db, "--out", str(tmp_path / "x.csv"))
    assert res.returncode == 2 and "valore non ammesso 'people'" in res.stderr
    assert res.stderr.count("\n") == 1 and "usage" not in res.stderr


@pytest.mark.parametrize(
    ("args", "lang", "needle"),
    [
        (["export", "cities"], "it", "mancano argomenti obbligatori: --out"),
        (["export", "cities"], "en", "missing required arguments: --out"),
        (["export", "cities", "--out", "x.csv", "--bogus"], "it", "non riconosciuti: --bogus"),
        (["demo", "--seed", "many"], "it", "--seed: valore non valido 'many'"),
        (["demo", "--seed", "many"], "en", "--seed: invalid value 'many'"),
        (["nonsense"], "en", "'nonsense' is not allowed"),
    ],
)
def test_command_line_mistakes_are_one_line_in_the_users_language(args, lang, needle) -> None:  # type: ignore[no-untyped-def]
    res = run(*args, env={"LGNET2_LANG": lang})
    assert res.returncode == 2
    assert res.stderr.startswith("lgnet2: ") and needle in res.stderr, res.stderr
    assert res.stderr.count("\n") == 1 and "--help" in res.stderr
    assert res.stdout == ""


def test_export_writes_nothing_but_its_result_on_stdout(cli_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "obs.csv"  # public: the disclosure check runs the HiGHS solver
    res = run("export", "observations", "--db", cli_db, "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [f"{len(pd.read_csv(out))} righe scritte in {out}"]
    assert "HiGHS" not in res.stdout + res.stderr


@pytest.mark.parametrize(
    "extra, word",
    [(["--role", "mayor"], "mayor"), (["--period", "2031-01"], "2031-01")],
)
def test_snapshot_refuses_a_bad_role_or_month_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], word: str
) -> None:
    # Issue 11.15: --role and --period are checked before anything starts.
    from dashboard.cli import main

    argv = ["snapshot", "--page", "overview", "--out", str(tmp_path / "x.png"), *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and word in err and "Traceback" not in err
