"""The bulk reader's column-wise validation (``bulk_read.parse_rows``) agrees with a plain
row-by-row reading of the same rules, on generated files (hypothesis; no database)."""

from __future__ import annotations

import csv
import io
import math
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from data_access.errors import InvalidInput
from data_access.ingest import bulk_read
from data_access.ingest.reference import Reference

from .factories import CITY, OTHER_CITY

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
