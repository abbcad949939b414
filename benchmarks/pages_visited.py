"""The pages ``bench_pages`` opens, in AppTest (``bench_pages``) and in Chromium
(``pages_browser``), and the cities it opens them on."""

from __future__ import annotations

BOLOGNA = "037006"
ROMA = "058091"
PALERMO = "082053"
#: page key -> extra query parameters.
PAGES: dict[str, dict[str, str]] = {
    "overview": {},
    "work_package": {},
    "benchmark": {},
    "territorial_map": {"city": BOLOGNA},
    "public_summary": {},
    "methodology": {},
}
