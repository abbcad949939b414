"""A Streamlit session without a browser: the websocket protocol the front end speaks.

Used by ``benchmarks/bench_load.py`` (many people at once) and by the cluster fault tests. One
:class:`StSession` is one browser tab: it fetches the app's page first (so it carries the
balancer's sticky cookie and Streamlit's XSRF cookie), opens ``/_stcore/stream``, and sends the
same ``BackMsg`` protobufs the front end sends (``rerun_script`` with the URL's page and query
string, widget states, fragment auto-reruns); it reads ``ForwardMsg`` deltas until
``script_finished``. It also does what the page's small watcher component does in a browser
(``dashboard.deferred``: "the maps are drawn"), so map pages get their second, charted pass.

Only loopback addresses are accepted: this is a load and fault tool for one's own servers.
Nothing here imports the app; it needs ``streamlit.proto`` and ``websockets`` only.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Common_pb2 import FileUploaderState, FileURLsRequest, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

FINISHED = ForwardMsg.ScriptFinishedStatus
INTERNAL_KEY = "$$STREAMLIT_INTERNAL_KEY"  # streamlit.runtime.state.session_state's prefix
WATCHER = "lgnet2_charts_after_maps"  # dashboard.deferred's component
_TEXT_FIELDS = ("body", "label", "message", "value", "text")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class SessionClosed(Exception):
    """The websocket closed (the server or its balancer went away)."""


@dataclass
class RunResult:
    """One script run as the client saw it."""

    status: str  # FINISHED_SUCCESSFULLY, ..., or "closed" / "timeout"
    seconds: float  # request -> last delta (or -> script_finished when nothing changed)
    deltas: int
    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False

    @property
    def ok(self) -> bool:
        return self.status.startswith("FINISHED") and not self.exceptions

    def shows(self, text: str) -> bool:
        return any(text in t for t in self.texts)


def element_texts(element: Any) -> tuple[str, list[str]]:
    """(kind, visible strings) of a ``new_element`` delta."""
    kind = element.WhichOneof("type") or ""
    sub = getattr(element, kind, None)
    out: list[str] = []
    if sub is not None:
        for name in _TEXT_FIELDS:
            if name in sub.DESCRIPTOR.fields_by_name:
                value = getattr(sub, name)
                if isinstance(value, str) and value:
                    out.append(value)
    return kind, out


def _check_loopback(url: str) -> None:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise ValueError(f"only loopback servers are driven by this client, not {host!r}")


class StSession:
    """One browser tab on ``base_url`` (e.g. ``http://127.0.0.1:8080``)."""

    def __init__(self, base_url: str, *, emulate_watcher: bool = True) -> None:
        _check_loopback(base_url)
        self.base_url = base_url.rstrip("/")
        self.emulate_watcher = emulate_watcher
        self.jar = http.cookiejar.CookieJar()
        self.session_id = ""  # the server's id for this tab, sent again on reconnect
        self.page = ""  # url path of the page shown ("" = default page)
        self.query = ""
        self.texts: list[str] = []  # visible strings of the last full run
        self.auto_rerun: dict[str, float] = {}  # fragment id -> interval (s)
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._queue: asyncio.Queue[ForwardMsg | None] = asyncio.Queue()
        self._watcher_id: str | None = None
        self.widgets: list[tuple[str, Any]] = []  # (kind, proto) of the last run's widgets
        self.closed = asyncio.Event()  # set when the websocket closes (the browser reconnects)

    # -- connection -------------------------------------------------------------------------
    def _opener(self) -> urllib.request.OpenerDirector:
        return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _fetch_page(self, path: str) -> None:
        # The page (the balancer's sticky cookie), then the health check the front end makes
        # (Streamlit's XSRF cookie, needed for uploads).
        for url in (f"{self.base_url}/{path}", f"{self.base_url}/_stcore/health"):
            with self._opener().open(url, timeout=30) as resp:  # noqa: S310 (loopback)
                resp.read()

    def _cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    async def connect(self, path: str = "") -> None:
        """Load the page (cookies), then open the websocket; a reconnect offers the old id."""
        await asyncio.to_thread(self._fetch_page, path)
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        # As the front end: ["streamlit", XSRF token, previous session id (on a reconnect)].
        protocols = ["streamlit", self.cookie("_streamlit_xsrf") or "-"]
        if self.session_id:
            protocols.append(self.session_id)
        self._ws = await websockets.connect(
            ws_url,
            subprotocols=[websockets.Subprotocol(p) for p in protocols],
            origin=websockets.Origin(self.base_url),
            additional_headers={"Cookie": self._cookie_header()},
            max_size=None,
            open_timeout=30,
            ping_interval=None,
        )
        self._queue = asyncio.Queue()
        self.closed = asyncio.Event()
        self._reader = asyncio.create_task(self._read(self._ws, self._queue, self.closed))

    @staticmethod
    async def _read(
        ws: Any, queue: asyncio.Queue[ForwardMsg | None], closed: asyncio.Event
    ) -> None:
        # Bound to one connection: a late end of an old socket never touches a new one.
        try:
            async for data in ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                await queue.put(msg)
        except websockets.ConnectionClosed:
            pass
        finally:
            closed.set()
            await queue.put(None)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        self._ws = None

    @property
    def connected(self) -> bool:
        return self._ws is not None and self._reader is not None and not self._reader.done()

    # -- runs -------------------------------------------------------------------------------
    async def _send(self, state: ClientState) -> None:
        msg = BackMsg(rerun_script=state)
        try:
            await self._ws.send(msg.SerializeToString())
        except websockets.ConnectionClosed as exc:
            raise SessionClosed(str(exc)) from exc

    async def run(
        self,
        page: str | None = None,
        query: str | None = None,
        *,
        widgets: list[WidgetState] | None = None,
        timeout: float = 120,
        follow_watcher: bool = True,
    ) -> RunResult:
        """Run the script as a browser does when it opens ``/<page>?<query>`` (or reruns the
        current one); returns when the run finishes. With ``follow_watcher``, a page that held
        its charts for the map gets the watcher's trigger and that second pass is included."""
        if page is not None:
            self.page = page
        if query is not None:
            self.query = query
        state = ClientState(
            query_string=self.query,
            page_name=self.page,
            widget_states=WidgetStates(widgets=widgets or []),
        )
        start = time.perf_counter()
        if self._ws is None:
            return RunResult("closed", 0.0, 0)
        try:
            await self._send(state)
        except SessionClosed:
            self._ws = None
            return RunResult("closed", time.perf_counter() - start, 0)
        result = await self._collect(start, timeout)
        if (
            follow_watcher
            and self.emulate_watcher
            and result.status == "FINISHED_SUCCESSFULLY"
            and self._watcher_id is not None
        ):
            trigger = WidgetState(
                id=f"{INTERNAL_KEY}_{self._watcher_id}__events",
                json_trigger_value=json.dumps([{"event": "ready", "value": True}]),
            )
            sent = time.perf_counter()
            second = await self.run(widgets=[trigger], timeout=timeout, follow_watcher=False)
            result = RunResult(
                second.status,
                # the last delta of the charted pass, measured from the first request
                (sent - start) + second.seconds if second.deltas else result.seconds,
                result.deltas + second.deltas,
                second.texts,
                result.exceptions + second.exceptions,
                result.page_not_found or second.page_not_found,
            )
        return result

    async def rerun_fragments(self, timeout: float = 60) -> RunResult:
        """What a browser's timer does for ``st.fragment(run_every=...)``: rerun them once."""
        last = RunResult("FINISHED_SUCCESSFULLY", 0.0, 0)
        for fragment_id in list(self.auto_rerun):
            state = ClientState(
                query_string=self.query,
                page_name=self.page,
                fragment_id=fragment_id,
                is_auto_rerun=True,
            )
            start = time.perf_counter()
            await self._send(state)
            last = await self._collect(start, timeout)
        return last

    def widget(self, kind: str, label: str | None = None) -> Any:
        """The last run's widget of ``kind`` (e.g. ``button``, ``file_uploader``) whose label
        contains ``label``; raises LookupError."""
        for k, proto in self.widgets:
            if k == kind and (label is None or label in getattr(proto, "label", "")):
                return proto
        raise LookupError(f"no {kind} widget labelled {label!r} on the page")

    def _put(self, url: str, name: str, data: bytes) -> None:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{uuid.uuid4().hex}"; '
                f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        req = urllib.request.Request(
            url if url.startswith("http") else self.base_url + url,
            data=body,
            method="PUT",
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-Xsrftoken": self.cookie("_streamlit_xsrf") or "",
                "Origin": self.base_url,
            },
        )
        with self._opener().open(req, timeout=60) as resp:  # noqa: S310 (loopback)
            resp.read()

    async def upload(
        self, uploader: Any, name: str, data: bytes, timeout: float = 60
    ) -> WidgetState:
        """Send a file as the front end does (ask for upload URLs, PUT the file) and return the
        ``file_uploader`` widget state to send with the next run."""
        request_id = uuid.uuid4().hex
        ask = BackMsg(
            file_urls_request=FileURLsRequest(
                request_id=request_id, file_names=[name], session_id=self.session_id
            )
        )
        await self._ws.send(ask.SerializeToString())
        deadline = time.perf_counter() + timeout
        while True:
            msg = await asyncio.wait_for(self._queue.get(), deadline - time.perf_counter())
            if msg is None:
                raise SessionClosed("closed while asking for upload URLs")
            if msg.WhichOneof("type") == "file_urls_response":
                resp = msg.file_urls_response
                if resp.response_id == request_id:
                    break
        if resp.error_msg:
            raise RuntimeError(resp.error_msg)
        urls = resp.file_urls[0]
        await asyncio.to_thread(self._put, urls.upload_url, name, data)
        return WidgetState(
            id=uploader.id,
            file_uploader_state_value=FileUploaderState(
                uploaded_file_info=[
                    UploadedFileInfo(
                        name=name, size=len(data), file_id=urls.file_id, file_urls=urls
                    )
                ]
            ),
        )

    async def next_run(self, timeout: float = 60) -> RunResult:
        """Wait for a run the server starts by itself (e.g. ``st.rerun`` from a fragment)."""
        return await self._collect(time.perf_counter(), timeout)

    async def _collect(self, start: float, timeout: float) -> RunResult:
        deltas = 0
        last_delta = start
        texts: list[str] = []
        exceptions: list[str] = []
        not_found = False
        fragment_run = False
        deadline = time.perf_counter() + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return RunResult("timeout", time.perf_counter() - start, deltas, texts, exceptions)
            try:
                msg = await asyncio.wait_for(self._queue.get(), remaining)
            except TimeoutError:
                continue
            if msg is None:
                self._ws = None
                return RunResult(
                    "closed", time.perf_counter() - start, deltas, texts, exceptions, not_found
                )
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id or self.session_id
                texts = []
                self._watcher_id = None
                self.widgets = []
            elif kind == "delta":
                deltas += 1
                last_delta = time.perf_counter()
                if msg.delta.fragment_id:
                    fragment_run = True
                if msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    el_kind, strings = element_texts(element)
                    texts.extend(strings)
                    sub = getattr(element, el_kind, None)
                    if sub is not None and "id" in sub.DESCRIPTOR.fields_by_name and sub.id:
                        self.widgets.append((el_kind, sub))
                    if el_kind == "exception":
                        exceptions.append(element.exception.message or element.exception.type)
                    elif el_kind == "bidi_component" and WATCHER in (
                        element.bidi_component.component_name
                    ):
                        self._watcher_id = element.bidi_component.id
            elif kind == "page_not_found":
                not_found = True
            elif kind == "auto_rerun":
                self.auto_rerun[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "script_finished":
                status = FINISHED.Name(msg.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    continue  # the server reruns at once (st.rerun, a newer request)
                if not fragment_run and status == "FINISHED_SUCCESSFULLY":
                    self.texts = texts
                end = last_delta if deltas else time.perf_counter()
                return RunResult(status, end - start, deltas, texts, exceptions, not_found)
