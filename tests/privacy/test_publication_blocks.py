"""The release splits into independent blocks (``publication.blocks``): solving each group on
its own gives the whole-dataset release cell for cell, for random tables of several indicators
(a ratio with a people part included)."""

from __future__ import annotations

import os

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from privacy_tables import make_observations
from test_disclosure_properties import SETTINGS, tables

from data_access.disclosure.release import disclose_release
from data_access.publication.blocks import PARTS, block_of, solve_blocks, split, table_rows

CODES = ["WP3_HOUSED", "WP1_PARTICIPANTS", "WP3_EXITS", "WP3_STAY_DAYS", "WP3_AVG_STAY"]


def canon(df: pd.DataFrame) -> pd.DataFrame:
    return df.astype(str).sort_values(list(df.columns)).reset_index(drop=True)


def test_a_ratio_joins_the_block_of_its_parts() -> None:
    names = block_of(CODES)
    assert names["WP3_AVG_STAY"] == names["WP3_EXITS"] == names["WP3_STAY_DAYS"]
    assert names["WP3_HOUSED"] == "WP3_HOUSED" != names["WP1_PARTICIPANTS"]


@settings(SETTINGS, max_examples=int(os.environ.get("LGNET2_HYPOTHESIS_EXAMPLES", "20")))
@given(st.lists(tables(with_peripheries=True), min_size=len(CODES), max_size=len(CODES)))
def test_blocks_solved_apart_equal_the_whole(frames: list[pd.DataFrame]) -> None:
    raw = pd.concat(
        [f.assign(indicator_code=code) for f, code in zip(frames, CODES, strict=True)],
        ignore_index=True,
    )
    whole = table_rows(disclose_release(raw), "")
    apart = pd.concat(solve_blocks(split(raw)).values(), ignore_index=True).assign(block="")
    for part in PARTS:
        a = canon(whole[whole["part"] == part])
        b = canon(apart[apart["part"] == part])
        assert a.equals(b), part


def test_parallel_blocks_equal_serial() -> None:
    raw = pd.concat(
        [make_observations({"001272": [1, 12, 30], "015146": [0, 4, 17]}, code) for code in CODES],
        ignore_index=True,
    )
    blocks = split(raw)
    serial = solve_blocks(blocks, workers=1)
    parallel = solve_blocks(blocks, workers=2)
    assert serial.keys() == parallel.keys()
    for name in serial:
        assert canon(serial[name]).equals(canon(parallel[name]))
