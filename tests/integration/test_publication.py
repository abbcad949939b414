"""Publications (issue 13) on SQLite and PostgreSQL: built once, read by protected viewers,
never half-made, incremental equal to a full rebuild, approved months only by default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select, update

from data_access import queries
from data_access.catalogue import INDICATOR_BY_CODE
from data_access.config import make_engine
from data_access.demo import build_demo
from data_access.disclosure import FLAG_SUPPRESSED, check, release, units
from data_access.export import DATASETS, export_dataset
from data_access.ingest import approve
from data_access.publication import last_failure, latest_publication, load_published
from data_access.publication.blocks import PARTS
from data_access.publication.build import publish, publish_after_change
from data_access.schema import AuditLog, Observation, PublicationRow, Submission
from data_access.viewer import PUBLIC, Viewer

BOLOGNA = "037006"


@pytest.fixture
def demo(db_url: str) -> Iterator[Engine]:
    """A fresh demo database of our own (these tests write to it)."""
    eng = make_engine(db_url)
    build_demo(eng, force=True)
    yield eng
    eng.dispose()


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("solver down")


def canon(df: pd.DataFrame) -> pd.DataFrame:
    return df.astype(str).sort_values(list(df.columns)).reset_index(drop=True)


def test_demo_publishes_approved_months_only(demo_engine: Engine) -> None:
    info = latest_publication(demo_engine)
    assert info is not None and info.trigger == "demo" and info.months == "approved"
    table = load_published(demo_engine)
    with demo_engine.connect() as c:
        open_months = {
            (r.city_code, r.period)
            for r in c.execute(
                select(Submission.city_code, Submission.period).where(
                    Submission.status.not_in(("approved", "locked"))
                )
            )
        }
    assert open_months  # the demo leaves the latest months to approve
    released = set(zip(table.cells["city_code"], table.cells["period"], strict=True))
    assert not released & open_months
    assert info.latest_period == max(p for _, p in released)
    assert info.latest_period == table.national_by_period["period"].max()


def test_at_most_a_tenth_of_the_public_counts_of_people_are_suppressed(
    demo_engine: Engine,
) -> None:
    """The release publishes counts of people where they are large enough (each city and
    periphery to date, the programme per month): few need hiding (issue 13: at most 10%)."""
    table = load_published(demo_engine)
    people = {c for c, i in INDICATOR_BY_CODE.items() if i.counts_people}
    assert not table.cells["indicator_code"].isin(people).any()  # no monthly city counts
    parts = [getattr(table, p) for p in PARTS if p != "cells"]
    released = pd.concat([p[p["indicator_code"].isin(people)] for p in parts])
    assert len(released) > 300
    shown = released["value"].dropna()
    assert not ((shown >= 1) & (shown <= 9)).any()
    assert (released["flag"] == FLAG_SUPPRESSED).mean() <= 0.10


def test_readers_never_run_the_solver(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(units, "protect_unit", _boom)
    monkeypatch.setattr(release, "protect_unit", _boom)
    monkeypatch.setattr(check, "_model", _boom)
    for spec in ("public", f"city:{BOLOGNA}", "steering", "admin"):
        rows, table = queries.load_release(demo_engine, Viewer.parse(spec))
        assert not rows.empty and not table.cells.empty
        assert not queries.load_observations(demo_engine, Viewer.parse(spec)).empty


@pytest.mark.parametrize("spec", ["public", f"city:{BOLOGNA}", "steering"])
def test_exports_never_run_the_solver(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, spec: str
) -> None:
    monkeypatch.setattr(units, "protect_unit", _boom)
    monkeypatch.setattr(release, "protect_unit", _boom)
    monkeypatch.setattr(check, "_model", _boom)
    for dataset in DATASETS:
        fmt = "geojson" if dataset in ("peripheries", "hubs") else "csv"
        n = export_dataset(
            demo_engine, dataset, tmp_path / f"{dataset}.{fmt}", Viewer.parse(spec), fmt
        )
        assert n > 0


def test_city_manager_sees_its_own_city_live_and_the_others_as_published(
    demo_engine: Engine,
) -> None:
    viewer = Viewer("city", BOLOGNA)
    _, table = queries.load_release(demo_engine, viewer)
    raw = queries.fetch_all_observations(demo_engine)
    mine = table.cells[table.cells["city_code"] == BOLOGNA]
    assert (mine["flag"] == "").all()
    assert mine["period"].max() == raw["period"].max()  # live: every stored month
    exact = raw[raw["city_code"] == BOLOGNA]
    assert len(mine) == len(exact)
    pub = load_published(demo_engine).cells
    others = table.cells[table.cells["city_code"] != BOLOGNA]
    assert others["periphery_id"].isna().all()
    expected = pub[(pub["city_code"] != BOLOGNA) & pub["periphery_id"].isna()]
    assert canon(others).equals(canon(expected))


def test_a_failed_build_keeps_the_previous_publication_and_is_reported(
    demo: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = latest_publication(demo)
    assert before is not None
    with demo.begin() as c:  # a change that the next publication must solve again
        c.execute(
            update(Observation)
            .where(Observation.indicator_code == "WP3_HOUSED", Observation.period == "2023-05")
            .values(value=Observation.value + 3)
        )
    monkeypatch.setattr(release, "protect_unit", _boom)
    assert publish_after_change(demo, "import", "test") is None
    assert latest_publication(demo) == before
    failure = last_failure(demo)
    assert failure is not None and "solver down" in str(failure["error"])
    with demo.connect() as c:
        actions = list(c.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert actions[-1] == "publication_failed"
    monkeypatch.undo()
    after = publish_after_change(demo, "manual", "test")
    assert after is not None and after.id > before.id
    assert last_failure(demo) is None


def test_incremental_publication_equals_a_full_rebuild(demo: Engine) -> None:
    with demo.begin() as c:
        c.execute(
            update(Observation)
            .where(
                Observation.indicator_code == "WP2_LEGAL",
                Observation.city_code == BOLOGNA,
                Observation.period == "2023-06",
            )
            .values(value=Observation.value + 7)
        )
    inc = publish(demo, "import", "test")
    assert inc.detail["solved"] == 1 and inc.detail["reused"] == inc.detail["blocks"] - 1
    full = publish(demo, "manual", "test", incremental=False)
    assert full.detail["solved"] == full.detail["blocks"]
    a, b = load_published(demo, inc.id), load_published(demo, full.id)
    for part in PARTS:
        assert canon(getattr(a, part)).equals(canon(getattr(b, part))), part


def test_approving_a_month_releases_it(demo: Engine) -> None:
    with demo.connect() as c:
        period = c.scalar(
            select(Submission.period)
            .where(Submission.city_code == BOLOGNA, Submission.status == "validated")
            .order_by(Submission.period)
            .limit(1)
        )
    assert period is not None
    assert period not in set(load_published(demo).cells["period"])
    approve(demo, BOLOGNA, period, Viewer("admin"), "test")
    info = publish_after_change(demo, "approval", "test")
    assert info is not None and info.latest_period == period
    cells = load_published(demo).cells
    assert set(cells[cells["period"] == period]["city_code"]) == {BOLOGNA}


def test_validated_months_setting(demo: Engine) -> None:
    info = publish(demo, "manual", "test", months="validated")
    assert info.months == "validated"
    assert len(load_published(demo).cells) > len(load_published(demo, info.id - 1).cells)


def test_old_publications_keep_their_header_only(demo: Engine) -> None:
    ids = [publish(demo, "manual", "test").id for _ in range(4)]
    with demo.connect() as c:
        kept = set(c.scalars(select(PublicationRow.publication_id).distinct()))
    assert kept == set(ids[-3:])
    assert latest_publication(demo).id == ids[-1]  # type: ignore[union-attr]


def test_nothing_published_means_an_empty_release(db_url: str) -> None:
    eng = make_engine(db_url)
    build_demo(eng, force=True, publish=False)
    assert latest_publication(eng) is None
    rows, table = queries.load_release(eng, PUBLIC)
    assert rows.empty and table.cells.empty and table.national_totals.empty
    eng.dispose()
