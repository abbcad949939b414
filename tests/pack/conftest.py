"""One meeting pack per format and role, built once per session on the demo data.

The steering packs are made by the real ``lgnet2 pack`` command (a child process, as a user
types it); the public ones in-process through ``dashboard.pack.build_pack`` (what the public
summary's button calls). Every test reads these files back: nothing is rebuilt per test.
"""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from dashboard.pack import build_pack, build_sections, pdf, slides
from dashboard.pack import html as pack_html
from dashboard.pack.build import PPTX_PARTS
from dashboard.pack.content import cover
from dashboard.pack.data import load_pack_data
from data_access.config import make_engine
from data_access.viewer import Viewer

#: Steering: a month with time left (paces needed); public: the latest month of the demo's
#: public release, the public summary page's default (test_public_pack checks it is).
PERIODS = {"steering": "2023-12", "public": "2024-01"}
LGNET2 = str(Path(sys.executable).with_name("lgnet2"))


@dataclass
class Pack:
    role: str
    fmt: str
    lang: str
    payload: bytes
    stdout: str = ""
    html: str = ""

    def pages(self) -> list[str]:
        """The text of every page (pypdf extraction, read once), index 0 = cover."""
        if not hasattr(self, "_pages"):
            reader = PdfReader(io.BytesIO(self.payload))
            self._pages = [p.extract_text() or "" for p in reader.pages]
        return self._pages


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LGNET2, *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LGNET2_LANG": "it"},
        timeout=300,
    )


@pytest.fixture(scope="session")
def packs(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pack]:
    """``steering-pdf`` (the real ``lgnet2 pack`` command), ``steering-pptx``, ``public-pdf``
    and ``public-pptx`` (in-process, the steps of ``build_pack``, which the buttons call, with
    the public's printed HTML kept for the leak scan). All Italian."""
    out: dict[str, Pack] = {}
    target = tmp_path_factory.mktemp("packs") / "steering.pdf"
    res = run_cli(
        "pack", "--period", PERIODS["steering"], "--role", "steering", "--out", str(target),
        "--db", demo_sqlite_url,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    out["steering-pdf"] = Pack("steering", "pdf", "it", target.read_bytes(), res.stdout)
    engine = make_engine(demo_sqlite_url)
    try:
        payload = build_pack(engine, Viewer("steering"), PERIODS["steering"], "it", "pptx")
        out["steering-pptx"] = Pack("steering", "pptx", "it", payload)
        data = load_pack_data(engine, Viewer(), PERIODS["public"])
    finally:
        engine.dispose()
    sections = build_sections(data, "it")
    front = cover(data, "it")
    out["public-pdf"] = Pack(
        "public", "pdf", "it", pdf.render_pdf(sections, front, "it"),
        html=pack_html.render_body(sections, front, "it"),
    )  # fmt: skip
    slides_only = [s for s in sections if s.key.split("-")[0] in PPTX_PARTS]
    out["public-pptx"] = Pack("public", "pptx", "it", slides.render_pptx(slides_only, front, "it"))
    return out


@pytest.fixture(scope="session")
def public_partial(demo_sqlite_url: str) -> int:
    """How many city x WP rows of the public pack show a progress outside their status's band
    (``progress_partial``: starred in the matrix and on the city pages)."""
    engine = make_engine(demo_sqlite_url)
    try:
        data = load_pack_data(engine, Viewer(), PERIODS["public"])
    finally:
        engine.dispose()
    return int(data.wp_status["progress_partial"].sum())
