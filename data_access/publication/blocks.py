"""The release split into independent blocks, each solved on its own (issue 13).

Every total the release publishes (``disclosure.release``) sums the values of *one* indicator,
so two indicators never share a published total: each indicator that counts people is a group
solved on its own (a ratio joins the group of its parts, since it is recomputed from them).
``disclose_release`` of a group gives exactly the rows the whole-dataset call gives for those
indicators (``test_publication_blocks`` checks it cell for cell), so groups can be solved in
parallel, and a group whose input did not change is reused from the previous publication.

Groups that count no people are exact (no solver): their rows are stored by city (blocks
``GROUP@<city>``, plus ``GROUP@*`` for the national totals), so a change to one city-month
rewrites only that city's rows of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from data_access.catalogue import INDICATOR_BY_CODE, Indicator
from data_access.disclosure import BELOW, DisclosedTable
from data_access.disclosure.release import disclose_release, sensitive

#: Bump when the disclosure rules change: every block is then solved again.
RULES_VERSION = "release-v3"
NATIONAL_PARTS = ("national_by_period", "national_totals")
KEY_COLUMNS = ["city_code", "periphery_id", "indicator_code", "period", "value"]
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
    """The released rows by group (each group's rows keep their order)."""
    if rows.empty:
        return {}
    names = block_of(sorted(set(rows["indicator_code"].astype(str))))
    keys = rows["indicator_code"].astype(str).map(names)
    return {str(b): g.reset_index(drop=True) for b, g in rows.groupby(keys, sort=True)}


def exact_group(name: str) -> bool:
    """True when no member of the group counts people (nothing to protect)."""
    return not any(sensitive(code) for code in name.split("+"))


def _digest(hashes: np.ndarray) -> str:
    return hashlib.sha256(RULES_VERSION.encode() + np.sort(hashes).tobytes()).hexdigest()


def input_hashes(name: str, rows: pd.DataFrame) -> dict[str, str]:
    """Fingerprints of a group's blocks (row order does not matter): one block for a group that
    counts people, one per city plus ``@*`` (national totals) for an exact group."""
    if rows.empty:
        return {name: _digest(np.zeros(0, dtype=np.uint64))}
    h = pd.util.hash_pandas_object(rows[KEY_COLUMNS].astype(str), index=False).to_numpy()
    if not exact_group(name):
        return {name: _digest(h)}
    out = {f"{name}@*": _digest(h)}
    codes = rows["city_code"].astype(str).to_numpy()
    order = np.argsort(codes, kind="stable")
    cities, starts = np.unique(codes[order], return_index=True)
    for city, chunk in zip(cities, np.split(h[order], starts[1:]), strict=True):
        out[f"{name}@{city}"] = _digest(chunk)
    return out


def block_names(name: str, rows: pd.DataFrame) -> pd.Series:
    """The block each release row of group ``name`` is stored under."""
    if not exact_group(name):
        return pd.Series(name, index=rows.index)
    national = rows["part"].isin(NATIONAL_PARTS)
    return pd.Series(
        np.where(national, f"{name}@*", name + "@" + rows["city_code"].astype(str)),
        index=rows.index,
    )


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
    """The public release of one group, as release rows with their block names."""
    out = table_rows(disclose_release(rows), name)
    out["block"] = block_names(name, out)
    return out


def solve_blocks(blocks: Mapping[str, pd.DataFrame], workers: int = 1) -> dict[str, pd.DataFrame]:
    """Solve every group, in ``workers`` processes when more than one (largest first)."""
    order = sorted(blocks, key=lambda b: -len(blocks[b]))
    if workers <= 1 or len(order) <= 1:
        return {b: solve_block(b, blocks[b]) for b in order}
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {b: pool.submit(solve_block, b, blocks[b]) for b in order}
        return {b: f.result() for b, f in futures.items()}
