"""``README.md`` of the release: for people, in Italian and English (the chosen language first).

Generated from the same descriptors as ``datapackage.json`` (file list, field descriptions),
so it cannot drift from them.
"""

from __future__ import annotations

from typing import Any

from data_access.opendata import about
from data_access.opendata.dcat import version_label
from data_access.opendata.sdmx_csv import CONF_STATUS_CODES, OBS_STATUS_CODES, STRUCTURE_ID
from data_access.opendata.tables import ReleaseInfo

HEAD = {
    "it": {
        "files": "File",
        "file": "file",
        "what": "contenuto",
        "size": "byte",
        "fields": "Campi",
        "disclosure": "Riservatezza",
        "disclosure_text": (
            "Sono pubblicati solo i dati che il pubblico può vedere nel cruscotto. Per gli "
            "indicatori che contano persone, i valori da 1 a 9 sono soppressi (valore vuoto, "
            "flag `soppresso`), gli altri arrotondati al multiplo di 5 più vicino (flag "
            "`arrotondato`); una soppressione secondaria impedisce di ricostruire le celle "
            "nascoste dai totali. Nessuna coordinata di strutture protette è pubblicata."
        ),
        "sdmx": "SDMX",
        "sdmx_text": (
            "`observations.sdmx.csv` (SDMX-CSV 2.0, dataflow `{sid}`) contiene le stesse "
            "osservazioni; `structure.xml` è la definizione della struttura (SDMX-ML 2.1). "
            "OBS_STATUS: {obs}. CONF_STATUS: {conf}."
        ),
        "licence": "Licenza",
        "licence_text": (
            "I dati sono rilasciati con licenza {lic} ({url}). Attribuzione richiesta: {attr}"
        ),
        "version": "Versione",
        "version_text": "Dati aggiornati al {cutoff}; periodi {first} – {last}; versione {ver}.",
        "check": "Verifica",
        "check_text": (
            "`frictionless validate datapackage.json` controlla tipi, vincoli, chiavi e "
            "impronte SHA-256; `catalog.jsonld` contiene i metadati DCAT-AP_IT per "
            "dati.gov.it."
        ),
    },
    "en": {
        "files": "Files",
        "file": "file",
        "what": "content",
        "size": "bytes",
        "fields": "Fields",
        "disclosure": "Confidentiality",
        "disclosure_text": (
            "Only what the public may see on the dashboard is published. For indicators that "
            "count people, values from 1 to 9 are suppressed (empty value, flag `soppresso`), "
            "others rounded to the nearest multiple of 5 (flag `arrotondato`); secondary "
            "suppression prevents rebuilding hidden cells from totals. No coordinate of a "
            "protected shelter is published."
        ),
        "sdmx": "SDMX",
        "sdmx_text": (
            "`observations.sdmx.csv` (SDMX-CSV 2.0, dataflow `{sid}`) holds the same "
            "observations; `structure.xml` is the data structure definition (SDMX-ML 2.1). "
            "OBS_STATUS: {obs}. CONF_STATUS: {conf}."
        ),
        "licence": "Licence",
        "licence_text": "The data are released under {lic} ({url}). Attribution: {attr}",
        "version": "Version",
        "version_text": "Data as of {cutoff}; periods {first} – {last}; version {ver}.",
        "check": "Checking",
        "check_text": (
            "`frictionless validate datapackage.json` checks types, constraints, keys and "
            "SHA-256 digests; `catalog.jsonld` holds the DCAT-AP_IT metadata for dati.gov.it."
        ),
    },
}


def _section(lang: str, info: ReleaseInfo, package: dict[str, Any]) -> list[str]:
    h = HEAD[lang]
    lines = [f"## {about.title(lang, info.demo)}", "", about.description(lang, info.demo), ""]
    if info.demo:
        lines += [f"**{about.DEMO_NOTE[lang]}**", ""]
    lines += [
        f"### {h['files']}",
        "",
        f"| {h['file']} | {h['what']} | {h['size']} |",
        "| --- | --- | ---: |",
    ]
    for res in package["resources"]:
        lines.append(f"| `{res['path']}` | {res['description_' + lang]} | {res['bytes']} |")
    lines += [
        "| `datapackage.json`, `catalog.jsonld`, `README.md` | Frictionless, DCAT-AP_IT, "
        "README | |",
        "",
    ]
    lines += [f"### {h['fields']}", ""]
    for res in package["resources"]:
        if res.get("type") != "table" or res["name"] == "observations-sdmx":
            continue
        lines.append(f"`{res['path']}`")
        lines.append("")
        for f in res["schema"]["fields"]:
            unit = f" [{f['unit']}]" if f.get("unit") else ""
            lines.append(f"- `{f['name']}` ({f['type']}{unit}): {f['description_' + lang]}")
        lines.append("")
    codes = 0 if lang == "it" else 1
    obs = ", ".join(f"{k} = {v[codes]}" for k, v in sorted(OBS_STATUS_CODES.items()))
    conf = ", ".join(f"{k} = {v[codes]}" for k, v in sorted(CONF_STATUS_CODES.items()))
    lines += [f"### {h['disclosure']}", "", h["disclosure_text"], ""]
    lines += [
        f"### {h['sdmx']}",
        "",
        h["sdmx_text"].format(sid=STRUCTURE_ID, obs=obs, conf=conf),
        "",
    ]
    lines += [
        f"### {h['licence']}",
        "",
        h["licence_text"].format(
            lic=about.LICENCE[lang], url=about.LICENCE_URL, attr=about.ATTRIBUTION[lang]
        ),
        "",
    ]
    lines += [
        f"### {h['version']}",
        "",
        h["version_text"].format(
            cutoff=info.cutoff,
            first=info.first_period,
            last=info.last_period,
            ver=version_label(info),
        ),
        "",
    ]
    lines += [f"### {h['check']}", "", h["check_text"], ""]
    return lines


def build_readme(info: ReleaseInfo, package: dict[str, Any]) -> str:
    """The README text: the release's language first, then the other."""
    order = ("it", "en") if info.lang == "it" else ("en", "it")
    lines = [f"# {about.title(info.lang, info.demo)}", ""]
    for lang in order:
        lines += _section(lang, info, package)
    return "\n".join(lines).rstrip("\n") + "\n"
