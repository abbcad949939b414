"""The bulk loader's fast write paths leave nothing behind, on success or failure: on SQLite
foreign keys off and indexes rebuilt inside the transaction, on PostgreSQL the replication role
reset; references gone since validation fail the load on both engines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import IntegrityError

from data_access.config import make_engine
from data_access.errors import InvalidInput
from data_access.ingest import bulk
from data_access.ingest.bulk import bulk_load_observations
from data_access.ingest.reference import Reference
from data_access.schema import Observation

from .factories import CITY, OTHER_CITY, bulk_csv, stored_state

# --- SQLite: foreign keys off, indexes rebuilt, all inside one transaction -----------------------


def _indexes(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.exec_driver_sql(  # type: ignore[misc]
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observation' "
                "ORDER BY name"
            )
        ]


def _pragmas(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one(),
            conn.exec_driver_sql("PRAGMA cache_size").scalar_one(),
        )


@pytest.fixture
def sqlite_engine(clean_engine: Engine) -> Iterator[Engine]:
    """A private engine (one pooled connection) on the module's SQLite database."""
    if clean_engine.dialect.name != "sqlite":
        pytest.skip("SQLite fast path")
    eng = make_engine(str(clean_engine.url))
    yield eng
    eng.dispose()


def _months(city: str, n: int, code: str = "WP1_EVENTS") -> list[str]:
    return [f"{city},{code},{1900 + k // 12}-{k % 12 + 1:02d},{k}," for k in range(n)]


def _record_rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the indexes each load decides to drop and rebuild."""
    dropped: list[str] = []
    real = bulk._indexes_to_rebuild

    def spy(conn: object, n: int) -> dict[str, str]:
        found = real(conn, n)  # type: ignore[arg-type]
        dropped.extend(found)
        return found

    monkeypatch.setattr(bulk, "_indexes_to_rebuild", spy)
    return dropped


def test_sqlite_rebuild_path_keeps_indexes_and_settings(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 10)
    indexes, pragmas = _indexes(sqlite_engine), _pragmas(sqlite_engine)
    assert [n for n, _ in indexes] == [
        "ix_observation_city_period",
        "ix_observation_indicator_period",
        "uq_observation_city_cell",
        "uq_observation_periphery_cell",
    ]
    assert pragmas[0] == 1
    dropped = _record_rebuilds(monkeypatch)
    assert bulk_load_observations(sqlite_engine, bulk_csv(_months(CITY, 50)), "ops").rows == 50
    assert dropped == list(bulk.REBUILD_INDEXES)
    assert _indexes(sqlite_engine) == indexes
    assert _pragmas(sqlite_engine) == pragmas
    with sqlite_engine.connect() as conn:  # the rebuilt index serves its query
        plan = " ".join(
            str(r[-1])
            for r in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN SELECT value FROM observation WHERE city_code = '{CITY}' AND period = '1900-01'"
            )
        )
    assert "ix_observation_city_period" in plan
    # foreign keys are enforced again on the pooled connection
    with pytest.raises(IntegrityError), sqlite_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO observation (city_code, indicator_code, period, value) "
                "VALUES ('000000', 'WP1_EVENTS', '2023-01', 1)"
            )
        )


@pytest.mark.parametrize("replace", [False, True])
def test_sqlite_failed_large_load_leaves_everything_as_before(
    sqlite_engine: Engine, replace: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 10)
    bulk_load_observations(sqlite_engine, bulk_csv(_months(OTHER_CITY, 5)), "ops")
    indexes, pragmas, before = (
        _indexes(sqlite_engine),
        _pragmas(sqlite_engine),
        stored_state(sqlite_engine),
    )
    drops = _record_rebuilds(monkeypatch)
    # the stored cells are in the file: without replace they clash after the indexes are dropped;
    # with replace they are deleted first, and a bad audit insert at the very end fails the load.
    lines = _months(CITY, 60) + _months(OTHER_CITY, 3)
    if replace:
        monkeypatch.setattr(bulk, "write_audit", _failing_audit)
    with pytest.raises(InvalidInput if not replace else RuntimeError):
        bulk_load_observations(sqlite_engine, bulk_csv(lines), "ops", replace=replace)
    assert drops == list(bulk.REBUILD_INDEXES)  # the fast path was taken
    assert _indexes(sqlite_engine) == indexes
    assert _pragmas(sqlite_engine) == pragmas
    assert stored_state(sqlite_engine) == before


def _failing_audit(*_args: object, **_kw: object) -> None:
    raise RuntimeError("audit failed")


def test_sqlite_small_or_relatively_small_loads_keep_the_indexes(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk_load_observations(sqlite_engine, bulk_csv(_months(OTHER_CITY, 30)), "ops")
    with sqlite_engine.connect() as conn:
        assert bulk._indexes_to_rebuild(conn, bulk.REBUILD_MIN_ROWS - 1) == {}
        monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 10)
        assert bulk._indexes_to_rebuild(conn, 29) == {}  # fewer rows than the table holds
        assert list(bulk._indexes_to_rebuild(conn, 30)) == list(bulk.REBUILD_INDEXES)


# --- foreign keys: checked once per referenced key instead of per row ----------------------------


@pytest.fixture
def private_engine(clean_engine: Engine) -> Iterator[Engine]:
    """A private engine (its own pool) on the module's database, either engine."""
    eng = make_engine(clean_engine.url.render_as_string(hide_password=False))
    yield eng
    eng.dispose()


def _with_phantoms(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation sees a city and a Bologna periphery that are gone by the time rows are written."""
    real = bulk.load_reference

    def load(engine: Engine) -> Reference:
        ref = real(engine)
        ref.cities["999999"] = "Ghost town"
        ref.peripheries[CITY]["ghost"] = 999_999
        return ref

    monkeypatch.setattr(bulk, "load_reference", load)


@pytest.mark.parametrize("role_allowed", [True, False])
@pytest.mark.parametrize(
    "row", ["999999,WP1_EVENTS,2023-01,1,", f"{CITY},WP2_HUB_ACTIVITIES,2023-01,1,Ghost"]
)
def test_references_gone_since_validation_fail_the_load(
    private_engine: Engine, row: str, role_allowed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if private_engine.dialect.name == "sqlite" and not role_allowed:
        pytest.skip("PostgreSQL only")
    monkeypatch.setattr(bulk, "_may_set_replication_role", lambda conn: role_allowed)
    _with_phantoms(monkeypatch)
    before = stored_state(private_engine)
    with pytest.raises(InvalidInput, match="changed during the load"):
        bulk_load_observations(private_engine, bulk_csv(_months(OTHER_CITY, 3) + [row]), "ops")
    assert stored_state(private_engine) == before


@pytest.mark.parametrize("role_allowed", [True, False])
def test_postgres_role_is_reset_and_both_paths_store_the_same(
    private_engine: Engine, role_allowed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if private_engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    real = bulk._may_set_replication_role
    used: list[bool] = []

    def allowed(conn: Connection) -> bool:
        used.append(role_allowed and real(conn))
        return used[-1]

    monkeypatch.setattr(bulk, "_may_set_replication_role", allowed)
    lines = _months(CITY, 30) + [f"{CITY},WP2_HUB_ACTIVITIES,1900-01,4,Pilastro"]
    assert bulk_load_observations(private_engine, bulk_csv(lines), "ops").rows == 31
    with pytest.raises(InvalidInput, match="already exist"):  # unique indexes still checked
        bulk_load_observations(private_engine, bulk_csv(lines[-2:]), "ops")
    if role_allowed:
        assert used == [True, True], "the test role should be a superuser (postgres)"
    with private_engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW session_replication_role").scalar() == "origin"
        total = conn.execute(select(func.sum(Observation.value), func.count())).one()
        assert tuple(total) == (sum(range(30)) + 4, 31)
    # per-row foreign key checks are back on the pooled connection
    with pytest.raises(IntegrityError), private_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO observation (city_code, indicator_code, period, value) "
                "VALUES ('000000', 'WP1_EVENTS', '2023-01', 1)"
            )
        )
