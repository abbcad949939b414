"""The PDF read back: cover, table of contents, page numbers, 16 city pages, and the summary's
figures against the export of the same role and month."""

from __future__ import annotations

import re

import pytest

from dashboard.i18n import fmt_number, fmt_percent, translate
from data_access import queries
from data_access.catalogue import WORK_PACKAGES
from data_access.config import make_engine
from data_access.export import build_dataset
from data_access.metrics import kpi
from data_access.metrics import viewer as metrics_viewer
from data_access.publication import latest_publication
from data_access.viewer import Viewer

from .conftest import PERIODS, Pack

MONTHS = {"steering-pdf": "dicembre 2023", "public-pdf": "gennaio 2024"}
FOOTER = re.compile(r"Pagina (\d+) / (\d+)")


def expected_titles(names: list[str]) -> list[str]:
    """Every section title in the issue's order (cities alphabetical)."""
    it = lambda key: translate("it", key)  # noqa: E731
    return [
        it("pack.summary"),
        it("pack.matrix"),
        it("pack.decisions"),
        *[f"{w.code} · {w.name_it}" for w in WORK_PACKAGES],
        *sorted(names),
        it("pack.completeness"),
        it("pack.methodology"),
    ]


@pytest.fixture(scope="module")
def city_names(demo_sqlite_url: str) -> list[str]:
    engine = make_engine(demo_sqlite_url)
    try:
        return list(queries.load_cities(engine, Viewer())["name"])
    finally:
        engine.dispose()


def toc_pages(pack: Pack, titles: list[str]) -> dict[str, int]:
    toc = pack.pages()[1]
    assert translate("it", "pack.toc") in toc
    out = {}
    for title in titles:
        m = re.search(re.escape(title) + r"\s*(\d+)", toc)
        assert m, f"{title!r} missing from the table of contents"
        out[title] = int(m.group(1))
    return out


@pytest.mark.parametrize("key", ["steering-pdf", "public-pdf"])
def test_cover_marks_demo_month_funding_and_data_version(packs: dict[str, Pack], key: str) -> None:
    cover = packs[key].pages()[0]
    assert "PROG-OE3846" in cover
    assert MONTHS[key] in cover
    assert "DATI DIMOSTRATIVI" in cover
    assert "Finanziato dall'Unione europea" in cover
    assert re.search(r"Versione dei dati\s*[0-9a-f]{12}", cover)


@pytest.mark.parametrize("key", ["steering-pdf", "public-pdf"])
def test_toc_lists_every_section_in_order_on_the_page_it_says(
    packs: dict[str, Pack], key: str, city_names: list[str]
) -> None:
    pack = packs[key]
    pages = pack.pages()
    titles = expected_titles(city_names)
    numbers = toc_pages(pack, titles)
    assert list(numbers.values()) == sorted(numbers.values()), "sections out of order"
    for title, n in numbers.items():
        # Printed page n is PDF page n (the cover, unnumbered, is page 0).
        assert title in pages[n], f"{title!r} is not on page {n}"
        assert f"Pagina {n} /" in pages[n]


@pytest.mark.parametrize("key", ["steering-pdf", "public-pdf"])
def test_page_count_header_and_sixteen_city_pages(
    packs: dict[str, Pack], key: str, city_names: list[str]
) -> None:
    pages = packs[key].pages()
    assert 25 <= len(pages) <= 40
    numbers = [FOOTER.search(p) for p in pages[1:]]
    assert all(numbers), "a body page without its page number"
    assert {int(m.group(2)) for m in numbers if m} == {len(pages) - 1}
    assert all(MONTHS[key] in p and "DATI DIMOSTRATIVI" in p for p in pages[1:])
    numbers_by_title = toc_pages(packs[key], expected_titles(city_names))
    city_pages = [numbers_by_title[n] for n in sorted(city_names)]
    assert len(city_pages) == len(set(city_pages)) == 16
    for name, n in zip(sorted(city_names), city_pages, strict=True):
        assert "Periferie e luoghi di aggregazione" in pages[n], name


def test_cli_prints_a_line_per_section(packs: dict[str, Pack]) -> None:
    lines = packs["steering-pdf"].stdout.strip().splitlines()
    for key in ("step_data", "step_summary", "step_matrix", "step_decisions", "step_wp"):
        assert any(translate("it", f"pack.{key}") in line for line in lines), key
    assert any("Pagine delle 16 città" in line for line in lines)
    assert re.search(r"\(\d+ pagine\)", lines[-1])


def summary_page(pack: Pack, city_names: list[str]) -> str:
    n = toc_pages(pack, expected_titles(city_names))[translate("it", "pack.summary")]
    return pack.pages()[n]


def test_steering_summary_equals_the_steering_export(
    packs: dict[str, Pack], demo_sqlite_url: str, city_names: list[str]
) -> None:
    """National value and % of target of each WP's headline indicator = the sums of the
    ``lgnet2 export`` observations and targets of the same role up to the same month."""
    engine = make_engine(demo_sqlite_url)
    try:
        obs = build_dataset(engine, "observations", Viewer("steering"))
        targets = build_dataset(engine, "targets", Viewer("steering"))
    finally:
        engine.dispose()
    text = summary_page(packs["steering-pdf"], city_names)
    for code in kpi.HEADLINE_INDICATORS.values():
        value = obs[(obs["indicator"] == code) & (obs["period"] <= PERIODS["steering"])][
            "value"
        ].sum()
        target = targets[targets["indicator"] == code]["end_value"].sum()
        assert fmt_number(value, "it") in text, code
        assert f"{fmt_percent(value / target, 'it')} dell'obiettivo" in text, code


def test_public_summary_equals_the_public_summary_page(
    packs: dict[str, Pack], demo_sqlite_url: str, city_names: list[str]
) -> None:
    """The public's headline figures are the public summary page's (protected national totals:
    a public export has no national row)."""
    engine = make_engine(demo_sqlite_url)
    try:
        rows, table = queries.load_release(engine, Viewer())  # what the public's pages read
        national = metrics_viewer.compute_viewer_national_monthly(rows, table, Viewer())
        headline = kpi.headline_figures(
            queries.filter_observations(table.cells),
            queries.load_targets(engine, Viewer()),
            PERIODS["public"],
            national=national,
        )
    finally:
        engine.dispose()
    text = summary_page(packs["public-pdf"], city_names)
    for row in headline.itertuples():
        assert row.value % 5 == 0
        assert fmt_number(row.value, "it") in text
        assert f"{fmt_percent(row.achievement, 'it')} dell'obiettivo" in text


def test_steering_and_public_packs_of_the_same_data_carry_the_same_version(
    packs: dict[str, Pack],
) -> None:
    versions = {
        re.search(r"Versione dei dati\s*([0-9a-f]{12})", packs[k].pages()[0]).group(1)  # type: ignore[union-attr]
        for k in ("steering-pdf", "public-pdf")
    }
    assert len(versions) == 1


def test_public_pack_names_the_publication_it_was_made_from(
    packs: dict[str, Pack], demo_sqlite_url: str
) -> None:
    """The public reads the stored publication (issue 13): its pack says which one; the
    steering pack reads live data and names none."""
    engine = make_engine(demo_sqlite_url)
    latest = latest_publication(engine)
    engine.dispose()
    assert latest is not None
    assert re.search(rf"Pubblicazione\s*{latest.version}\b", packs["public-pdf"].pages()[0])
    assert "Pubblicazione" not in packs["steering-pdf"].pages()[0]
