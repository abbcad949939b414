"""The page registry: which pages exist, in which order, for which roles.

Every page is listed here with the roles that may open it; the router shows a viewer exactly
the pages of its role. Titles come from the locale files (``nav.<key>``); URL paths are fixed
Italian slugs, so a shared link works in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from data_access.locale import translate
from data_access.viewer import Role, Viewer

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
ALL_ROLES: tuple[Role, ...] = ("public", "city", "steering", "admin")
DATA_ROLES: tuple[Role, ...] = ("city", "steering", "admin")


@dataclass(frozen=True)
class PageSpec:
    key: str  # label key ``nav.<key>``; also the page's name for ``lgnet2 snapshot --page``
    file: str  # under pages/
    url_path: str
    icon: str
    section: str  # label key ``nav.section_<section>``
    roles: tuple[Role, ...] = ALL_ROLES
    default: bool = False

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.file

    @property
    def route(self) -> str:
        """The page's address relative to the app root: ``""`` for the default page (Streamlit
        serves it at ``/`` and ignores its ``url_path``), else ``url_path``. Links use this."""
        return "" if self.default else self.url_path


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "overview", "overview.py", "panoramica", ":material/dashboard:", "programme", default=True
    ),
    PageSpec(
        "work_package", "work_package.py", "work-package", ":material/account_tree:", "programme"
    ),
    PageSpec("benchmark", "benchmark.py", "confronto-citta", ":material/leaderboard:", "programme"),
    PageSpec(
        "territorial_map", "territorial_map.py", "mappa-territoriale", ":material/map:", "programme"
    ),
    PageSpec(
        "public_summary", "public_summary.py", "sintesi-pubblica", ":material/public:", "public"
    ),
    PageSpec("methodology", "methodology.py", "metodologia", ":material/menu_book:", "public"),
    PageSpec(
        "upload", "upload.py", "caricamento", ":material/upload_file:", "data", roles=DATA_ROLES
    ),
    PageSpec(
        "data_quality",
        "data_quality.py",
        "qualita-dati",
        ":material/fact_check:",
        "data",
        roles=DATA_ROLES,
    ),
    PageSpec(
        "approval", "approval.py", "approvazione", ":material/verified:", "data", roles=("admin",)
    ),
)
PAGE_BY_KEY = {p.key: p for p in PAGES}


def visible_pages(viewer: Viewer) -> list[PageSpec]:
    """The pages ``viewer`` may open, in menu order."""
    return [p for p in PAGES if viewer.role in p.roles]


def reserved_pages(viewer: Viewer) -> list[PageSpec]:
    """The pages ``viewer`` may not open. The router registers their addresses as hidden pages
    that lead to the default page, so that the refusal is said once, in the app's words, and
    not contradicted by Streamlit's own "Page not found" dialog."""
    return [p for p in PAGES if viewer.role not in p.roles]


def refused_page(url_path: str | None, viewer: Viewer) -> PageSpec | None:
    """The page the address ``url_path`` names when ``viewer`` may not open it (Streamlit then
    shows the default page; the app says why instead of redirecting silently)."""
    path = (url_path or "").strip("/").split("/")[-1]
    for page in PAGES:
        if path and page.url_path == path and viewer.role not in page.roles:
            return page
    return None


def refusal_message(page: PageSpec, lang: str) -> str:
    """ "This page is reserved for ..." in ``lang``, naming the roles that may open it."""
    roles = ", ".join(translate(lang, f"nav.role_{r}") for r in page.roles)
    return translate(
        lang,
        "nav.refused",
        page=translate(lang, f"nav.{page.key}"),
        roles=roles,
        default=translate(lang, f"nav.{PAGES[0].key}"),
    )


def sections(viewer: Viewer, lang: str) -> dict[str, list[PageSpec]]:
    """Visible pages grouped under their translated section titles (menu order kept)."""
    out: dict[str, list[PageSpec]] = {}
    for page in visible_pages(viewer):
        out.setdefault(translate(lang, f"nav.section_{page.section}"), []).append(page)
    return out
