"""The vectorised bulk loader: line numbers of problems, repeated and stored cells, exact values
on both engines, and the SQLite fast path (foreign keys off, indexes rebuilt) leaving nothing
behind when it fails. Timings live in benchmarks/bench_ingest.py, never here."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import IntegrityError

from data_access.config import make_engine
from data_access.errors import InvalidInput
from data_access.ingest import bulk, bulk_read
from data_access.ingest.bulk import bulk_load_observations
from data_access.ingest.reference import Reference
from data_access.schema import AuditLog, Observation, Periphery

from .factories import CITY, OTHER_CITY, db_checksum

HEADER = "city_code,indicator,period,value,periphery"


def _csv(lines: list[str], header: str = HEADER, newline: str = "\n") -> io.BytesIO:
    return io.BytesIO((newline.join([header, *lines]) + newline).encode())


def _rows_listed(err: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    msg = err.value.message_en
    assert msg.startswith("Bulk load rejected, nothing was written. Rows: ")
    return (
        msg.removeprefix("Bulk load rejected, nothing was written. Rows: ")
        .removesuffix(".")
        .split("; ")
    )


def _state(engine: Engine) -> tuple[str, int]:
    with engine.connect() as conn:
        audits = conn.scalar(select(func.count()).select_from(AuditLog))
    return db_checksum(engine), int(audits or 0)


def test_problems_name_their_line_and_first_failing_check(clean_engine: Engine) -> None:
    before = _state(clean_engine)
    lines = [
        f"{CITY},WP1_EVENTS,2023-01,1,",  # 2: fine
        "999999,WP1_EVENTS,2023-01,1,",  # 3: city first, even with more problems
        f"{CITY},WP9,2023-13,x,",  # 4: indicator before period and value
        f"{CITY},WP1_EVENTS",  # 5: too few fields
        "",  # 6: blank line
        f"{CITY},WP1_EVENTS,2023-1,1,",  # 7
        f"{CITY},WP1_EVENTS,2023-02,inf,",  # 8: not finite
        f"{CITY},WP1_EVENTS,2023-03,nan,",  # 9
        f"{CITY},WP1_EVENTS,2023-04,-0.5,",  # 10
        f"{CITY},WP2_HUB_ACTIVITIES,2023-05,1, Nowhere ",  # 11: periphery of no one
        f"{OTHER_CITY},WP2_HUB_ACTIVITIES,2023-05,1,Pilastro",  # 12: a Bologna periphery, not Rome's
        f"{CITY},WP1_EVENTS,2023-06,,",  # 13: empty value
        f"{CITY},WP1_EVENTS,2023-07,1",  # 14: periphery field missing (not empty)
        f"{CITY},WP1_EVENTS,2023-08,1,,extra,fields",  # 15: fine, extra fields ignored
    ]
    with pytest.raises(InvalidInput) as err:
        bulk_load_observations(clean_engine, _csv(lines), "ops")
    assert _rows_listed(err) == [
        "3: city '999999'",
        "4: indicator 'WP9'",
        "5: columns",
        "6: columns",
        "7: period '2023-1'",
        "8: value 'inf'",
        "9: value 'nan'",
        "10: value '-0.5'",
        "11: periphery 'Nowhere'",
        "12: periphery 'Pilastro'",
        "13: value ''",
        "14: columns",
    ]
    assert "Righe: 3: city '999999'; 4:" in err.value.message_it
    assert _state(clean_engine) == before


def test_only_the_first_problems_are_listed(clean_engine: Engine) -> None:
    lines = [f"{CITY},WP1_EVENTS,2023-01,1,"] + [
        f"{CITY},WP1_EVENTS,2023-01,bad{k}," for k in range(30)
    ]
    with pytest.raises(InvalidInput) as err:
        bulk_load_observations(clean_engine, _csv(lines), "ops")
    listed = _rows_listed(err)
    assert len(listed) == bulk_read.MAX_REPORTED
    assert (
        listed[0] == "3: value 'bad0'"
        and listed[-1] == f"{bulk_read.MAX_REPORTED + 2}: value 'bad19'"
    )


def test_quoted_fields_and_line_numbers(clean_engine: Engine) -> None:
    """A file with quotes takes the slower field count; records are counted as before."""
    lines = [
        f'"{CITY}",WP1_EVENTS,2023-01,1,"Pilastro"',
        f"{CITY},WP1_EVENTS,2023-02,1",
        f'{CITY},"WP1_EVENTS",2023-03,"x",""',
    ]
    with pytest.raises(InvalidInput) as err:
        bulk_load_observations(clean_engine, _csv(lines, newline="\r\n"), "ops")
    assert _rows_listed(err) == ["3: columns", "4: value 'x'"]


def test_values_and_peripheries_are_stored_exactly(clean_engine: Engine) -> None:
    with clean_engine.connect() as conn:
        ids = dict(
            conn.execute(
                select(Periphery.name, Periphery.id).where(Periphery.city_code == CITY)
            ).all()
        )
    values = [
        "0",
        "0.1",
        "1e-05",
        "123456789.123456789",
        "3.141592653589793",
        "1_000",
        " 7 ",
        "2.5E+3",
        "4.9e-324",
        "1.7976931348623157e308",
    ]
    lines = [f"{CITY},WP1_EVENTS,2020-{m + 1:02d},{v}," for m, v in enumerate(values)]
    lines += [f"{CITY},WP2_HUB_ACTIVITIES,2020-01,2,{name}" for name in (" pilastro ", "BOLOGNINA")]
    lines += [f"{CITY},WP2_HUB_ACTIVITIES,2020-01,5,"]  # the city-level cell next to them
    # semicolons, a BOM and CRLF line ends as Italian spreadsheets write them
    data = (
        "\ufeff"
        + "\r\n".join([HEADER.replace(",", ";"), *[r.replace(",", ";") for r in lines]])
        + "\r\n"
    ).encode()
    assert bulk_load_observations(clean_engine, io.BytesIO(data), "ops").rows == len(lines)
    with clean_engine.connect() as conn:
        stored = {
            (r.indicator_code, r.period, r.periphery_id): r.value
            for r in conn.execute(
                select(
                    Observation.indicator_code,
                    Observation.period,
                    Observation.periphery_id,
                    Observation.value,
                )
            )
        }
        detail = conn.scalar(select(AuditLog.detail).where(AuditLog.action == "bulk_load"))
    for m, v in enumerate(values):
        assert stored[("WP1_EVENTS", f"2020-{m + 1:02d}", None)] == float(v)
    assert stored[("WP2_HUB_ACTIVITIES", "2020-01", ids["Pilastro"])] == 2.0
    assert stored[("WP2_HUB_ACTIVITIES", "2020-01", ids["Bolognina"])] == 2.0
    assert stored[("WP2_HUB_ACTIVITIES", "2020-01", None)] == 5.0
    assert detail == '{"replaced": 0, "rows": 13}'


@pytest.mark.parametrize("replace", [False, True])
@pytest.mark.parametrize(
    "repeat",
    [
        [f"{CITY},WP1_EVENTS,2023-01,1,", f"{CITY},WP1_EVENTS,2023-01,2,"],
        [
            f"{CITY},WP2_HUB_ACTIVITIES,2023-01,1,Pilastro",
            f"{CITY},WP2_HUB_ACTIVITIES,2023-01,2, PILASTRO",
        ],
    ],
)
def test_cells_repeated_in_the_file_are_refused(
    clean_engine: Engine, repeat: list[str], replace: bool
) -> None:
    bulk_load_observations(clean_engine, _csv([f"{CITY},WP1_EVENTS,2023-01,9,"]), "ops")
    before = _state(clean_engine)
    lines = [f"{OTHER_CITY},WP1_EVENTS,2023-0{m},1," for m in range(1, 8)]
    with pytest.raises(InvalidInput) as err:
        bulk_load_observations(
            clean_engine,
            _csv([*lines[:3], repeat[0], *lines[3:], repeat[1]]),
            "ops",
            replace=replace,
        )
    assert "already exist or repeat" in err.value.message_en
    assert _state(clean_engine) == before


def test_stored_cells_are_refused_then_replaced(clean_engine: Engine) -> None:
    first = [
        f"{CITY},WP1_EVENTS,2023-01,1,",
        f"{CITY},WP1_EVENTS,2023-02,1,",
        f"{CITY},WP2_HUB_ACTIVITIES,2023-01,1,Pilastro",
    ]
    bulk_load_observations(clean_engine, _csv(first), "ops")
    before = _state(clean_engine)
    again = [f"{OTHER_CITY},WP1_EVENTS,2023-01,1,", f"{CITY},WP2_HUB_ACTIVITIES,2023-01,3,pilastro"]
    with pytest.raises(InvalidInput, match="already exist"):
        bulk_load_observations(clean_engine, _csv(again), "ops")
    assert _state(clean_engine) == before
    res = bulk_load_observations(clean_engine, _csv(again), "ops", replace=True)
    assert (res.rows, res.replaced_cells) == (2, 2)  # Bologna's January: the city row and Pilastro
    with clean_engine.connect() as conn:
        left = conn.execute(
            select(Observation.city_code, Observation.period, Observation.value).order_by(
                Observation.city_code, Observation.period, Observation.value
            )
        ).all()
    assert [tuple(r) for r in left] == [
        (CITY, "2023-01", 3.0),
        (CITY, "2023-02", 1.0),
        (OTHER_CITY, "2023-01", 1.0),
    ]


def test_odd_files(clean_engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="Missing columns: city_code"):
        bulk_load_observations(clean_engine, io.BytesIO(b""), "ops")
    assert bulk_load_observations(clean_engine, io.BytesIO(HEADER.encode()), "ops").rows == 0
    assert (
        bulk_load_observations(clean_engine, io.BytesIO((HEADER + "\r\n").encode()), "ops").rows
        == 0
    )
    latin1 = (HEADER + f"\n{CITY},WP1_EVENTS,2023-01,1,Citt\xe0\n").encode("latin-1")
    with pytest.raises(InvalidInput, match="not UTF-8"):
        bulk_load_observations(clean_engine, io.BytesIO(latin1), "ops")
    with pytest.raises(InvalidInput, match="cannot be read"):
        bulk_load_observations(clean_engine, _csv([f'{CITY},WP1_EVENTS,2023-01,1,"open']), "ops")


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
    assert bulk_load_observations(sqlite_engine, _csv(_months(CITY, 50)), "ops").rows == 50
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
    bulk_load_observations(sqlite_engine, _csv(_months(OTHER_CITY, 5)), "ops")
    indexes, pragmas, before = (
        _indexes(sqlite_engine),
        _pragmas(sqlite_engine),
        _state(sqlite_engine),
    )
    drops = _record_rebuilds(monkeypatch)
    # the stored cells are in the file: without replace they clash after the indexes are dropped;
    # with replace they are deleted first, and a bad audit insert at the very end fails the load.
    lines = _months(CITY, 60) + _months(OTHER_CITY, 3)
    if replace:
        monkeypatch.setattr(bulk, "write_audit", _failing_audit)
    with pytest.raises(InvalidInput if not replace else RuntimeError):
        bulk_load_observations(sqlite_engine, _csv(lines), "ops", replace=replace)
    assert drops == list(bulk.REBUILD_INDEXES)  # the fast path was taken
    assert _indexes(sqlite_engine) == indexes
    assert _pragmas(sqlite_engine) == pragmas
    assert _state(sqlite_engine) == before


def _failing_audit(*_args: object, **_kw: object) -> None:
    raise RuntimeError("audit failed")


def test_sqlite_small_or_relatively_small_loads_keep_the_indexes(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk_load_observations(sqlite_engine, _csv(_months(OTHER_CITY, 30)), "ops")
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
    before = _state(private_engine)
    with pytest.raises(InvalidInput, match="changed during the load"):
        bulk_load_observations(private_engine, _csv(_months(OTHER_CITY, 3) + [row]), "ops")
    assert _state(private_engine) == before


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
    assert bulk_load_observations(private_engine, _csv(lines), "ops").rows == 31
    with pytest.raises(InvalidInput, match="already exist"):  # unique indexes still checked
        bulk_load_observations(private_engine, _csv(lines[-2:]), "ops")
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


# --- the column-wise validation agrees with a plain row-by-row reading ---------------------------

_REF = Reference(
    cities={CITY: "Bologna", OTHER_CITY: "Roma"},
    peripheries={
        CITY: {"pilastro": 1, "a, b": 2, "c;d": 4, "strasse": 3},
        OTHER_CITY: {"pilastro": 7},
    },
    indicators={"WP1_EVENTS": None, "WP2_HUB_ACTIVITIES": None},
)  # type: ignore[dict-item]
_PERIOD = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


def _oracle(text_: str, delimiter: str) -> tuple[str, object]:
    """The rules read one row at a time, as the loader did before it was vectorised."""
    reader = csv.reader(io.StringIO(text_, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    ic, ii, ip, iv = (header.index(c) for c in ("city_code", "indicator", "period", "value"))
    ipp = header.index("periphery") if "periphery" in header else None
    problems, rows = [], []
    for line, r in enumerate(reader, start=2):
        try:
            city, code, period, raw = r[ic], r[ii], r[ip], r[iv]
            pname = r[ipp].strip() if ipp is not None else ""
        except IndexError:
            problems.append(f"{line}: columns")
            continue
        if city not in _REF.cities:
            problems.append(f"{line}: city {city!r}")
        elif code not in _REF.indicators:
            problems.append(f"{line}: indicator {code!r}")
        elif not _PERIOD.fullmatch(period):
            problems.append(f"{line}: period {period!r}")
        else:
            pid = _REF.peripheries.get(city, {}).get(pname.casefold()) if pname else None
            if pname and pid is None:
                problems.append(f"{line}: periphery {pname!r}")
                continue
            try:
                value = float(raw)
            except ValueError:
                value = math.nan
            if not (math.isfinite(value) and value >= 0):
                problems.append(f"{line}: value {raw!r}")
                continue
            rows.append((city, -1 if pid is None else pid, code, period, value))
    if problems:
        return "problems", problems[: bulk_read.MAX_REPORTED]
    return "rows", sorted(rows)


_FIELDS = {
    "city_code": st.sampled_from([CITY, OTHER_CITY, "999999", "", f" {CITY}"]),
    "indicator": st.sampled_from(["WP1_EVENTS", "WP2_HUB_ACTIVITIES", "WP9", ""]),
    "period": st.sampled_from(["2023-01", "1990-12", "2023-13", "2023-1", "", "２０２３-01"]),
    "value": st.sampled_from(
        ["1", "0", "-1", "1.5", " 2 ", "1e3", "uno", "inf", "nan", "", "1_0", "-0"]
    ),
    "periphery": st.sampled_from(
        ["", "", "Pilastro", " PILASTRO ", "A, B", "C;D", "Straße", "nope", " "]
    ),
    "flag": st.sampled_from(["", "x", 'say "hi"']),
}


_VALID = {
    "city_code": st.sampled_from([CITY, CITY, OTHER_CITY]),
    "indicator": st.sampled_from(["WP1_EVENTS", "WP2_HUB_ACTIVITIES"]),
    "period": st.sampled_from(["2023-01", "1990-12", "2024-10"]),
    "value": st.sampled_from(["1", "0", "1.5", " 2 ", "1e3", "1_0", "-0", "0.1", "12345.678"]),
    "periphery": st.sampled_from(
        ["", "", "", "Pilastro", " PILASTRO ", "A, B", "C;D", "Straße", " "]
    ),
    "flag": _FIELDS["flag"],
}


@st.composite
def _files(draw: st.DrawFn) -> tuple[str, str]:
    """Half the files draw from valid values only (often accepted), half from anything."""
    cols = ["city_code", "indicator", "period", "value"]
    cols += draw(st.lists(st.sampled_from(["periphery", "flag"]), unique=True, max_size=2))
    cols = draw(st.permutations(cols))
    delimiter = draw(st.sampled_from([",", ";"]))
    ends = draw(st.sampled_from(["\n", "\r\n"]))
    buf = io.StringIO(newline="")
    if draw(st.booleans()):
        w = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator=ends)
    else:
        w = csv.writer(buf, delimiter=delimiter, lineterminator=ends)
    w.writerow([c.upper() if c == "period" else c for c in cols])
    clean = draw(st.booleans())
    for _ in range(draw(st.integers(0, 25))):
        row = [draw((_VALID if clean else _FIELDS)[c]) for c in cols]
        cut = len(row) if clean else draw(st.sampled_from([len(row)] * 6 + list(range(len(row)))))
        w.writerow(
            row[:cut] + draw(st.sampled_from([[], [], ["extra"]])) if cut == len(row) else row[:cut]
        )
    return buf.getvalue(), delimiter


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_files())
@example((f"city_code,indicator,period,value,periphery\n{CITY},WP1_EVENTS,2023-01,1\n", ","))
@example((f"city_code;indicator;period;value\n\n{CITY};WP1_EVENTS;2023-01;1\n", ";"))
def test_columnwise_validation_matches_row_by_row_reading(case: tuple[str, str]) -> None:
    text_, delimiter = case
    expected = _oracle(text_, delimiter)
    try:
        rows = bulk_read.parse_rows(text_.encode(), _REF)
    except InvalidInput as exc:
        got: tuple[str, object] = (
            "problems",
            exc.message_en.removeprefix("Bulk load rejected, nothing was written. Rows: ")
            .removesuffix(".")
            .split("; "),
        )
    else:
        got = (
            "rows",
            sorted(
                zip(
                    rows.city.tolist(),
                    rows.pid.tolist(),
                    rows.indicator.tolist(),
                    rows.period.tolist(),
                    rows.value.tolist(),
                    strict=True,
                )
            ),
        )
    assert got == expected
