"""The public open-data release (issue 16): ``lgnet2 open-data`` and the "Dati aperti" ZIP.

One release = the public tables (``tables``: exactly ``lgnet2 export --role public``) as CSV
and GeoJSON, described for machines three ways: a Frictionless Data Package
(``datapackage``, with ``fields``), SDMX-CSV 2.0 with its DSD (``sdmx_csv``) and DCAT-AP_IT
metadata for the national catalogue (``dcat``), plus a README for people (``readme``).
``archive`` assembles the bytes, zips them and writes them out. Pure: no streamlit, no clock.
"""

from data_access.opendata.archive import (
    LANGS,
    RELEASE_FILES,
    build_release,
    check_lang,
    check_out_dir,
    write_release,
    zip_bytes,
)

__all__ = [
    "LANGS",
    "RELEASE_FILES",
    "build_release",
    "check_lang",
    "check_out_dir",
    "write_release",
    "zip_bytes",
]
