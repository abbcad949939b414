"""A new server opens its public pages once before it says it is ready.

The first view of a page computes the month's figures for the viewer (statuses, roll-ups, the
release, the figures); every later view of the same data reads them from the caches
(``dashboard.cache``, keyed by data version). Without a warm-up the first visitors after a start
or a deployment pay for that: 4.9 s for the overview's map at 1x, 11 s at 10x (``bench_pages``).
So the server, as soon as it listens, opens every page the public may see, in each language, at
the default month, through its own websocket like a browser tab (:class:`StSession`, charts
included); ``/_lgnet2/ready`` (``dashboard.server``) answers 503 ``warming`` until that is done,
and a balancer sends nobody to a cold replica. A warm-up that fails or outlasts
``LGNET2_WARMUP_SECONDS`` is logged and the server is ready anyway: it never keeps a server out.
"""

from __future__ import annotations

import asyncio
import logging
import time
import urllib.request
from dataclasses import dataclass, field

from dashboard.cli.stclient import StSession
from dashboard.nav import PAGES

_LOG = logging.getLogger("lgnet2.warmup")
LANGS = ("it", "en")


@dataclass
class WarmupState:
    """Where the warm-up of this process is: ``off`` | ``warming`` | ``done`` | ``failed`` |
    ``timeout`` (only ``warming`` keeps the server unready)."""

    status: str = "off"
    pages: list[str] = field(default_factory=list)  # "<route>?lang=<lang>" opened so far
    seconds: float = 0.0


STATE = WarmupState()


def public_routes() -> list[str]:
    """The address of every page the public may open (``""`` is the default page)."""
    return [p.route for p in PAGES if "public" in p.roles]


def loopback_host(address: str) -> str | None:
    """Where this server can reach itself: ``127.0.0.1`` when it listens on every interface
    (``""``, ``0.0.0.0``, ``::``) or on loopback; ``None`` when it listens on another address
    only (then no warm-up: the server is ready when the database answers)."""
    if address in ("", "0.0.0.0", "::", "localhost"):
        return "127.0.0.1"
    return address if address.startswith("127.") else None


def _health_ok(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:  # noqa: S310 (loopback)
            return bool(resp.status == 200)
    except OSError:
        return False


async def _wait_listening(base_url: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    while not await asyncio.to_thread(_health_ok, base_url):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{base_url} did not answer")
        await asyncio.sleep(0.2)  # polling the server's own health endpoint, bounded


async def _open_pages(base_url: str, state: WarmupState) -> None:
    sess = StSession(base_url)
    await sess.connect()
    try:
        for route in public_routes():
            for lang in LANGS:
                res = await sess.run(route, f"lang={lang}")
                if not res.ok:
                    raise RuntimeError(f"/{route}?lang={lang}: {res.status}")
                state.pages.append(f"/{route}?lang={lang}")
    finally:
        await sess.close()


async def warm(base_url: str, limit: float, state: WarmupState = STATE) -> WarmupState:
    """Open every public page in each language on the server at ``base_url`` (a loopback
    address), at most ``limit`` seconds; ``state`` says how it went (and is also returned)."""
    state.status, state.pages = "warming", []
    start = time.monotonic()
    try:
        await asyncio.wait_for(_wait_listening(base_url, limit), limit)
        left = max(1.0, limit - (time.monotonic() - start))
        await asyncio.wait_for(_open_pages(base_url, state), left)
        state.status = "done"
    except TimeoutError:
        state.status = "timeout"
    except Exception as exc:  # a warm-up never keeps a server out: log it, be ready
        state.status = "failed"
        _LOG.warning(
            "warmup failed", extra={"fields": {"event": "warmup_failed", "error": repr(exc)}}
        )
    state.seconds = round(time.monotonic() - start, 1)
    fields = {"event": "warmup", "status": state.status, "pages": len(state.pages)}
    _LOG.info("warmup", extra={"fields": {**fields, "seconds": state.seconds}})
    return state
