"""The one place where errors become something a person can read.

- ``LgnetError`` (bad input, unknown code...): an ``st.error`` in the user's language with the
  hint under it; the rest of the page stops.
- The database missing, empty or unreachable (``DatabaseUnavailable``, ``EmptyDatabase``, or an
  SQL error such as a missing table): a whole page that says what is wrong and what to run.
  A database server that does not answer (refused, reset, restarting) is told apart from a
  database without the tables: it says the database is down, and the page checks every few
  seconds and reruns by itself when the server answers again (no reload needed).
- Anything else is a bug: it is not swallowed here (Streamlit shows a generic message because
  ``client.showErrorDetails = "none"``, and the tests see the exception).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, NoSuchTableError, OperationalError, ProgrammingError

from dashboard import cache, runlog
from dashboard.filters import current_lang
from dashboard.i18n import translate
from data_access.errors import DatabaseUnavailable, EmptyDatabase, LgnetError
from data_access.replica import is_connection_error

_LOG = logging.getLogger(__name__)
_DB_ERRORS = (OperationalError, ProgrammingError, NoSuchTableError, DBAPIError)
#: While the database is down, the page checks this often whether it answers again.
RETRY_SECONDS = 3.0


def message_parts(exc: LgnetError, lang: str) -> tuple[str, str]:
    """(message, hint) of ``exc`` in ``lang``."""
    if lang == "en":
        return exc.message_en, exc.hint_en
    return exc.message_it, exc.hint_it


def render_error(exc: LgnetError) -> None:
    """Show an expected error (message and hint) in the session's language."""
    message, hint = message_parts(exc, current_lang())
    st.error(message, icon=":material/error:")
    if hint:
        st.info(hint, icon=":material/lightbulb:")


def render_database_page(exc: LgnetError | None = None) -> None:
    """A full page for a database that is missing, empty or not answering."""
    lang = current_lang()
    empty = isinstance(exc, EmptyDatabase)
    st.title(translate(lang, "errors.db_empty_title" if empty else "errors.db_title"))
    if exc is not None:
        message, hint = message_parts(exc, lang)
    else:
        message, hint = translate(lang, "errors.db_broken"), ""
    st.error(message, icon=":material/database:")
    st.markdown(translate(lang, "errors.db_what_to_do"))
    if hint:
        st.info(hint, icon=":material/lightbulb:")
    st.code("lgnet2 demo\nlgnet2 run", language="bash")


def database_answers() -> bool:
    """True when the primary answers a trivial query now."""
    try:
        with cache.engine().connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception as exc:
        if is_connection_error(exc):
            return False
        raise


def render_database_down() -> None:
    """The database server does not answer: say so (not "tables missing": another fault with
    another fix), and rerun the page by itself as soon as it answers again."""
    lang = current_lang()
    st.title(translate(lang, "errors.db_title"))
    st.error(translate(lang, "errors.db_down"), icon=":material/database_off:")
    st.info(translate(lang, "errors.db_down_hint"), icon=":material/lightbulb:")

    @st.fragment(run_every=RETRY_SECONDS)
    def _wait_for_database() -> None:
        if database_answers():
            st.rerun(scope="app")
        st.caption(translate(lang, "errors.db_retrying", seconds=int(RETRY_SECONDS)))

    _wait_for_database()


def _server_down(exc: BaseException) -> bool:
    if isinstance(exc, DatabaseUnavailable):
        return exc.__cause__ is not None and is_connection_error(exc.__cause__)
    return is_connection_error(exc)


@contextmanager
def guard() -> Iterator[None]:
    """Run a page body; expected failures end the page cleanly instead of a traceback."""
    try:
        yield
    except (DatabaseUnavailable, EmptyDatabase) as exc:
        if _server_down(exc):
            _LOG.warning("database down while rendering a page: %s", exc)
            runlog.note_error("database_down")
            render_database_down()
        else:
            runlog.note_error("database_empty" if isinstance(exc, EmptyDatabase) else "database")
            render_database_page(exc)
    except LgnetError as exc:
        runlog.note_error("user_error")
        render_error(exc)
    except _DB_ERRORS as exc:
        if is_connection_error(exc):
            _LOG.warning("database down while rendering a page: %s", type(exc).__name__)
            runlog.note_error("database_down")
            render_database_down()
        else:
            _LOG.exception("database error while rendering a page")
            runlog.note_error("database_broken")
            render_database_page(None)
