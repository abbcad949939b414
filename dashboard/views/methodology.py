"""The methodology page's table of sources (``pages/methodology.py``): each city's population
and foreign residents, where they come from, and which are estimates."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pandas.io.formats.style import Styler

from dashboard.views.ranking import MAX_SHOWN
from data_access.locale import MISSING, fmt_date, fmt_number, translate

#: The background of a row whose population or foreign residents are an estimate.
ESTIMATE_STYLE = "background-color: #FFF3CD"


def quality(raw: str, lang: str) -> str:
    """Known source-quality labels in ``lang``; anything else as recorded."""
    key = "quality." + "_".join(str(raw).lower().split())
    text = translate(lang, key)
    return str(raw) if text == key else text


@dataclass(frozen=True)
class Sources:
    """The table of sources as shown (``frame``, text in ``lang``) and, per row, whether a
    figure of the row is an estimate (``estimates``)."""

    frame: pd.DataFrame
    estimates: tuple[bool, ...]

    def shown(self) -> pd.DataFrame | Styler:
        """What the page draws: up to ``ranking.MAX_SHOWN`` cities, the frame with the rows
        of estimates on an amber background; beyond, the frame alone (styling every cell of
        1,600 rows takes Streamlit half a second on each rerun; the quality columns still say
        which figures are estimates, and :func:`note` says so)."""
        if len(self.frame) > MAX_SHOWN:
            return self.frame
        flags = self.estimates

        def flag(row: pd.Series) -> list[str]:
            # Estimates must never look official: an amber background on the whole row.
            return [ESTIMATE_STYLE if flags[row.name] else ""] * len(row)

        return self.frame.style.apply(flag, axis=1)

    def note(self, lang: str) -> str:
        """The caption under the table: how estimates are marked."""
        if len(self.frame) > MAX_SHOWN:
            return translate(lang, "method.estimate_note_many", n=sum(self.estimates))
        return translate(lang, "method.estimate_note")


def reference_date(value: object, lang: str) -> str:
    """A figure's reference date in the reader's words: a day as a date ("31 dicembre 2022"),
    a bare year ("2023") as it is."""
    text = "" if value is None or pd.isna(value) else str(value)
    return fmt_date(text, lang) if len(text) == 10 else text or MISSING


def sources(cities: pd.DataFrame, lang: str) -> Sources:
    """The table of sources of ``cities`` (``cache.cities``), headers and labels in ``lang``."""

    def t(key: str) -> str:
        return translate(lang, key)

    frame = pd.DataFrame(
        {
            t("method.col_city"): cities["name"],
            t("method.col_region"): cities["region"],
            t("method.col_macro"): [t(f"macro_area.{m}") for m in cities["macro_area"]],
            t("method.col_population"): [fmt_number(v, lang) for v in cities["population"]],
            t("method.col_population_ref"): [
                reference_date(v, lang) for v in cities["population_ref"]
            ],
            t("method.col_population_quality"): [
                quality(q, lang) for q in cities["population_quality"]
            ],
            t("method.col_foreign"): [fmt_number(v, lang) for v in cities["foreign_residents"]],
            t("method.col_foreign_ref"): [reference_date(v, lang) for v in cities["foreign_ref"]],
            t("method.col_foreign_quality"): [quality(q, lang) for q in cities["foreign_quality"]],
        }
    ).reset_index(drop=True)
    estimates = cities["population_quality"].str.contains("estimate|stima", case=False) | cities[
        "foreign_quality"
    ].str.contains("estimate|stima", case=False)
    return Sources(frame, tuple(bool(e) for e in estimates))


__all__ = ["ESTIMATE_STYLE", "Sources", "quality", "reference_date", "sources"]
