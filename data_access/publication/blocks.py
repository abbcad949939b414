"""The disclosure problem split into independent blocks, and each block solved on its own.

Every total the release publishes (``disclosure.tables``: national month totals, city totals,
the national total, periphery totals) sums the values of *one* indicator, so the cells of two
indicators never share a published total: each people-counting indicator is a block of its own.
A ratio is recomputed from its disclosed parts, so a ratio joins the block of its numerator and
denominator. ``disclose_table`` on a block gives exactly the rows the whole-dataset call gives
for those indicators (the property test ``test_publication_blocks`` checks it cell for cell),
so blocks can be solved in parallel and a block whose input did not change can be reused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from data_access.catalogue import INDICATOR_BY_CODE, Indicator
from data_access.disclosure import BELOW, DisclosedTable, disclose_table
from data_access.viewer import PUBLIC

#: Bump when the disclosure rules change: every block is then solved again.
RULES_VERSION = "public-v1"
PARTS = ("cells", "city_totals", "national_by_period", "national_totals", "periphery_totals")
ROW_COLUMNS = [
    "part",
    "block",
    "city_code",
    "periphery_id",
    "indicator_code",
    "period",
    "value",
    "flag",
    BELOW,
]


def block_of(
    codes: Iterable[str], catalogue: Mapping[str, Indicator] | None = None
) -> dict[str, str]:
    """Indicator code -> block name (sorted member codes joined by ``+``)."""
    cat = INDICATOR_BY_CODE if catalogue is None else catalogue
    parent: dict[str, str] = {c: c for c in codes}

    def find(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for code in list(parent):
        ind = cat.get(code)
        if ind is None or ind.kind != "ratio":
            continue
        for part in (ind.numerator, ind.denominator):
            if part and part in parent:
                parent[find(part)] = find(code)
    members: dict[str, list[str]] = {}
    for code in parent:
        members.setdefault(find(code), []).append(code)
    return {c: "+".join(sorted(members[find(c)])) for c in parent}


def split(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The released rows by block (each block's rows keep their order)."""
    if rows.empty:
        return {}
    names = block_of(sorted(set(rows["indicator_code"].astype(str))))
    keys = rows["indicator_code"].astype(str).map(names)
    return {str(b): g.reset_index(drop=True) for b, g in rows.groupby(keys, sort=True)}


def input_hash(block: pd.DataFrame) -> str:
    """Fingerprint of a block's input (row order does not matter)."""
    cols = ["city_code", "periphery_id", "indicator_code", "period", "value"]
    canon = block[cols].astype(str).sort_values(cols).to_csv(index=False)
    return hashlib.sha256(f"{RULES_VERSION}\n{canon}".encode()).hexdigest()


def table_rows(table: DisclosedTable, block: str) -> pd.DataFrame:
    """A disclosed table as release rows (``ROW_COLUMNS``)."""
    frames = []
    for part in PARTS:
        df = getattr(table, part).copy()
        for col in ROW_COLUMNS:
            if col not in df:
                df[col] = None
        df["part"], df["block"] = part, block
        frames.append(df[ROW_COLUMNS])
    out = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    out["periphery_id"] = out["periphery_id"].astype("Int64")
    return out


def solve_block(name: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The public disclosure of one block, as release rows."""
    return table_rows(disclose_table(rows, PUBLIC), name)


def solve_blocks(blocks: Mapping[str, pd.DataFrame], workers: int = 1) -> dict[str, pd.DataFrame]:
    """Solve every block, in ``workers`` processes when more than one (largest first)."""
    order = sorted(blocks, key=lambda b: -len(blocks[b]))
    if workers <= 1 or len(order) <= 1:
        return {b: solve_block(b, blocks[b]) for b in order}
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {b: pool.submit(solve_block, b, blocks[b]) for b in order}
        return {b: f.result() for b, f in futures.items()}
