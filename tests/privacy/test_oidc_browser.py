"""OIDC sign-in in Chromium against a local OpenID provider (oidc-provider-mock).

The provider runs in this process on 127.0.0.1; the app (apps/oidc_app.py) runs under
``streamlit run`` with an ``[auth]`` section and a ``[lgnet2.roles]`` mapping in its
secrets.toml. A user signs in through the provider's form and lands with the mapped role and
city; sign-out returns to the public; URL parameters never raise a role; with OIDC configured
``LGNET2_LOCAL_ROLE`` is ignored.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.cli.browser import AppServer, free_port

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PORTS = range(8650, 8660)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = "[data-test-script-state='notRunning']"
USERS = {
    "roma-manager": {"email": "uff.statistica@comune.roma.it", "email_verified": True},
    "steering-member": {"email": "someone@interno.it", "groups": ["lgnet2-steering"]},
    "stranger": {"email": "stranger@example.org"},
}


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    from oidc_provider_mock import User, app
    from werkzeug.serving import make_server

    port = free_port(PORTS)
    server = make_server(
        "127.0.0.1",
        port,
        app(user_claims=[User(sub=s, claims=c) for s, c in USERS.items()]),
        threaded=True,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def app_url(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    port = free_port(p for p in PORTS if f":{p}" not in provider)
    app_dir = tmp_path_factory.mktemp("oidc_app")
    (app_dir / ".streamlit").mkdir()
    (app_dir / ".streamlit" / "secrets.toml").write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "lgnet2-test"
client_secret = "not-a-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[lgnet2.roles.emails]
"uff.statistica@comune.roma.it" = "city:058091"

[lgnet2.roles.groups]
"lgnet2-steering" = "steering"
""")
    env = {
        "LGNET2_LOCAL_ROLE": "admin",  # must be ignored: OIDC is configured
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    log = ROOT / "artifacts" / "oidc-streamlit.log"
    log.parent.mkdir(exist_ok=True)
    with AppServer(port, env=env, app=HERE / "apps" / "oidc_app.py", cwd=app_dir, log_path=log):
        yield f"http://127.0.0.1:{port}/"


@pytest.mark.parametrize(
    ("sub", "expected"),
    [
        ("roma-manager", "VIEWER=city:058091 SOURCE=email"),
        ("steering-member", "VIEWER=steering SOURCE=group"),
        ("stranger", "VIEWER=public SOURCE=unmapped"),
    ],
)
def test_sign_in_maps_claims_to_role(app_url: str, sub: str, expected: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context().new_page()
            # a URL cannot raise the role, and LGNET2_LOCAL_ROLE=admin is ignored under OIDC
            page.goto(app_url + "?role=admin&viewer=steering&city=058091")
            page.wait_for_selector(IDLE)
            expect(page.get_by_text("VIEWER=public SOURCE=anonymous")).to_be_visible()

            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/oauth2/authorize**")
            page.locator(f"button[name='sub'][value='{sub}']").click()
            page.wait_for_url(app_url + "**")
            page.wait_for_selector(IDLE)
            expect(page.get_by_text(expected)).to_be_visible()
            if sub == "roma-manager":
                expect(page.get_by_text("uff.statistica@comune.roma.it")).to_be_visible()

            # st.logout goes through the provider's end-session page, then back to the app
            page.get_by_role("button", name="Sign out").click()
            page.wait_for_url("**/oauth2/end_session**")
            page.get_by_role("button", name="End session").click()
            page.wait_for_url(app_url + "**")
            page.wait_for_selector(IDLE)
            expect(page.get_by_text("VIEWER=public SOURCE=anonymous")).to_be_visible()
        finally:
            browser.close()


def test_two_simultaneous_sessions_keep_their_own_roles(app_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    def sign_in(page, sub: str) -> None:  # type: ignore[no-untyped-def]
        page.goto(app_url)
        page.wait_for_selector(IDLE)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/oauth2/authorize**")
        page.locator(f"button[name='sub'][value='{sub}']").click()
        page.wait_for_url(app_url + "**")
        page.wait_for_selector(IDLE)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            roma = browser.new_context().new_page()
            steering = browser.new_context().new_page()
            anonymous = browser.new_context().new_page()
            sign_in(roma, "roma-manager")
            sign_in(steering, "steering-member")
            anonymous.goto(app_url)
            for page in (roma, steering, anonymous):  # rerun every session after both sign-ins
                page.reload()
                page.wait_for_selector(IDLE)
            expect(roma.get_by_text("VIEWER=city:058091 SOURCE=email")).to_be_visible()
            expect(steering.get_by_text("VIEWER=steering SOURCE=group")).to_be_visible()
            expect(anonymous.get_by_text("VIEWER=public SOURCE=anonymous")).to_be_visible()
        finally:
            browser.close()
