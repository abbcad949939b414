"""The "Dati aperti / Open data" download on the methodology page: the public release as a ZIP,
its size on the button, the same bytes for every role (always the public's data)."""

from __future__ import annotations

import io
import zipfile

import pytest

from dashboard.i18n import translate
from dashboard.opendata import fmt_size
from data_access.config import make_engine
from data_access.opendata import build_release, zip_bytes

from .conftest import MakeApp


def _button(at):  # type: ignore[no-untyped-def]
    buttons = [
        b
        for b in at.get("download_button")
        if b.proto.label.startswith(("Scarica i dati", "Download the open"))
    ]
    assert len(buttons) == 1
    return buttons[0].proto


@pytest.mark.parametrize(("role", "lang"), [("public", "it"), ("steering", "en")])
def test_methodology_offers_the_public_release(
    make_app: MakeApp, demo_sqlite_url: str, role: str, lang: str
) -> None:
    at = make_app("methodology", role=role, query={"lang": lang})
    assert not at.exception, [e.message for e in at.exception]
    engine = make_engine(demo_sqlite_url)
    expected = zip_bytes(build_release(engine, lang))
    engine.dispose()
    label = _button(at).label
    assert label == translate(lang, "opendata.button", size=fmt_size(len(expected), lang))
    assert any(s.value == translate(lang, "opendata.title") for s in at.subheader)
    with zipfile.ZipFile(io.BytesIO(expected)) as zf:
        assert "datapackage.json" in zf.namelist()


@pytest.mark.parametrize(
    ("n", "lang", "text"),
    [
        (93_473, "it", "91 KB"),
        (1_610_687, "it", "1,5 MB"),
        (1_610_687, "en", "1.5 MB"),
        (10, "en", "1 KB"),
    ],
)
def test_fmt_size(n: int, lang: str, text: str) -> None:
    assert fmt_size(n, lang) == text
