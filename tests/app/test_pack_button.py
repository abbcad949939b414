"""The meeting-pack buttons: committee edition on the overview for steering and admin only,
public edition on the public summary; both build with ``st.status`` steps then offer the file."""

from __future__ import annotations

import io

from pptx import Presentation

from dashboard.i18n import translate

from .conftest import MakeApp


def _buttons(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.label for b in at.button]


def test_overview_offers_the_committee_pack_to_steering_only(make_app: MakeApp) -> None:
    label = translate("it", "pack.prepare")  # builds; "Scarica ..." then saves the file
    assert label in _buttons(make_app("overview", role="steering"))
    assert label not in _buttons(make_app("overview", role="city:037006"))


def test_public_summary_builds_the_public_pack_with_status_steps(make_app: MakeApp) -> None:
    at = make_app("public_summary", role="steering")
    at.segmented_control(key="pack_public_format").set_value("pptx").run()
    at.button(key="pack_public_build").click().run()
    assert not at.exception
    status = at.status[0]
    assert status.label == translate("it", "pack.step_done")
    steps = " ".join(m.value for m in status.markdown)
    assert translate("it", "pack.step_summary") in steps
    (wanted, payload) = at.session_state["pack_public"]
    assert wanted[0] == "public"  # whoever is signed in, the public page's pack is the public's
    slides = Presentation(io.BytesIO(payload)).slides
    assert len(slides) == 6
    assert any(
        b.label.startswith(translate("it", "pack.button_public")) for b in at.download_button
    )
    # Found in review: both steps were labelled "Scarica il pacchetto pubblico".
    assert at.button(key="pack_public_build").label == translate("it", "pack.prepare_public")
    assert translate("it", "pack.button_public") not in _buttons(at)
