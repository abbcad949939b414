"""The vectorised bulk loader: line numbers of problems, repeated and stored cells, exact values
on both engines. Its fast write paths are tested in test_bulk_load_fast_path.py, the column-wise
validation against a row-by-row reading in test_bulk_read.py. Timings live in
benchmarks/bench_ingest.py, never here."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import Engine, select

from data_access.errors import InvalidInput
from data_access.ingest import bulk_read
from data_access.ingest.bulk import bulk_load_observations
from data_access.schema import AuditLog, Observation, Periphery

from .factories import BULK_HEADER, CITY, OTHER_CITY, bulk_csv, stored_state


def _rows_listed(err: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    msg = err.value.message_en
    assert msg.startswith("Bulk load rejected, nothing was written. Rows: ")
    return (
        msg.removeprefix("Bulk load rejected, nothing was written. Rows: ")
        .removesuffix(".")
        .split("; ")
    )


def test_problems_name_their_line_and_first_failing_check(clean_engine: Engine) -> None:
    before = stored_state(clean_engine)
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
        bulk_load_observations(clean_engine, bulk_csv(lines), "ops")
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
    assert stored_state(clean_engine) == before


def test_only_the_first_problems_are_listed(clean_engine: Engine) -> None:
    lines = [f"{CITY},WP1_EVENTS,2023-01,1,"] + [
        f"{CITY},WP1_EVENTS,2023-01,bad{k}," for k in range(30)
    ]
    with pytest.raises(InvalidInput) as err:
        bulk_load_observations(clean_engine, bulk_csv(lines), "ops")
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
        bulk_load_observations(clean_engine, bulk_csv(lines, newline="\r\n"), "ops")
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
        + "\r\n".join([BULK_HEADER.replace(",", ";"), *[r.replace(",", ";") for r in lines]])
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
    bulk_load_observations(clean_engine, bulk_csv([f"{CITY},WP1_EVENTS,2023-01,9,"]), "ops")
    before = stored_state(clean_engine)
    lines = [f"{OTHER_CITY},WP1_EVENTS,2023-0{m},1," for m in range(1, 8)]
    with pytest.raises(InvalidInput) as err:
        bulk_load_observations(
            clean_engine,
            bulk_csv([*lines[:3], repeat[0], *lines[3:], repeat[1]]),
            "ops",
            replace=replace,
        )
    assert "already exist or repeat" in err.value.message_en
    assert stored_state(clean_engine) == before


def test_stored_cells_are_refused_then_replaced(clean_engine: Engine) -> None:
    first = [
        f"{CITY},WP1_EVENTS,2023-01,1,",
        f"{CITY},WP1_EVENTS,2023-02,1,",
        f"{CITY},WP2_HUB_ACTIVITIES,2023-01,1,Pilastro",
    ]
    bulk_load_observations(clean_engine, bulk_csv(first), "ops")
    before = stored_state(clean_engine)
    again = [f"{OTHER_CITY},WP1_EVENTS,2023-01,1,", f"{CITY},WP2_HUB_ACTIVITIES,2023-01,3,pilastro"]
    with pytest.raises(InvalidInput, match="already exist"):
        bulk_load_observations(clean_engine, bulk_csv(again), "ops")
    assert stored_state(clean_engine) == before
    res = bulk_load_observations(clean_engine, bulk_csv(again), "ops", replace=True)
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
    assert bulk_load_observations(clean_engine, io.BytesIO(BULK_HEADER.encode()), "ops").rows == 0
    assert (
        bulk_load_observations(
            clean_engine, io.BytesIO((BULK_HEADER + "\r\n").encode()), "ops"
        ).rows
        == 0
    )
    latin1 = (BULK_HEADER + f"\n{CITY},WP1_EVENTS,2023-01,1,Citt\xe0\n").encode("latin-1")
    with pytest.raises(InvalidInput, match="not UTF-8"):
        bulk_load_observations(clean_engine, io.BytesIO(latin1), "ops")
    with pytest.raises(InvalidInput, match="cannot be read"):
        bulk_load_observations(
            clean_engine, bulk_csv([f'{CITY},WP1_EVENTS,2023-01,1,"open']), "ops"
        )
