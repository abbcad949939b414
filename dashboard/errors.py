"""The one place where errors become something a person can read.

- ``LgnetError`` (bad input, unknown code...): an ``st.error`` in the user's language with the
  hint under it; the rest of the page stops.
- The database missing, empty or unreachable (``DatabaseUnavailable``, ``EmptyDatabase``, or an
  SQL error such as a missing table): a whole page that says what is wrong and what to run.
- Anything else is a bug: it is not swallowed here (Streamlit shows a generic message because
  ``client.showErrorDetails = "none"``, and the tests see the exception).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import DBAPIError, NoSuchTableError, OperationalError, ProgrammingError

from dashboard.filters import current_lang
from dashboard.i18n import translate
from data_access.errors import DatabaseUnavailable, EmptyDatabase, LgnetError

_LOG = logging.getLogger(__name__)
_DB_ERRORS = (OperationalError, ProgrammingError, NoSuchTableError, DBAPIError)


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


@contextmanager
def guard() -> Iterator[None]:
    """Run a page body; expected failures end the page cleanly instead of a traceback."""
    try:
        yield
    except (DatabaseUnavailable, EmptyDatabase) as exc:
        render_database_page(exc)
    except LgnetError as exc:
        render_error(exc)
    except _DB_ERRORS:
        _LOG.exception("database error while rendering a page")
        render_database_page(None)
