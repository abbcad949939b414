"""The open-data release built once from the session's SQLite demo database.

``release`` is ``build_release`` in memory (with a contact address, as a configured server
has); ``release_dir`` the same files written to a folder; ``public_export`` the public CSV
exports written by ``export_dataset``, the contract the release must equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_access.config import make_engine
from data_access.export import export_dataset
from data_access.opendata import build_release, write_release
from data_access.viewer import Viewer

CONTACT = "opendata@example.org"


@pytest.fixture(scope="session")
def demo_sqlite_engine(demo_sqlite_url: str) -> Iterator[Engine]:
    eng = make_engine(demo_sqlite_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def release(demo_sqlite_engine: Engine) -> dict[str, bytes]:
    return build_release(demo_sqlite_engine, "it", contact_email=CONTACT)


@pytest.fixture(scope="session")
def release_dir(release: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "lgnet2"
    write_release(release, out)
    return out


@pytest.fixture(scope="session")
def public_export(demo_sqlite_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    for name in ("cities", "indicators", "observations", "targets"):
        export_dataset(demo_sqlite_engine, name, out / f"{name}.csv", Viewer())
    return out
