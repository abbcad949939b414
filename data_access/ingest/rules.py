"""Validation rules: ids, bilingual messages, and the report that collects every finding.

Rule ids are stable (tests, the CLI table and the error-report CSV use them). Each rule has a
severity: ``error`` rejects the file, ``warning`` is reported and the file is still loaded.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

from data_access.locale import fmt_number

Severity = Literal["error", "warning"]

# id -> (severity, Italian template, English template). Templates use str.format(**params).
RULES: dict[str, tuple[Severity, str, str]] = {
    # --- the file itself -------------------------------------------------------------------
    "FILE_EMPTY": ("error", "Il file è vuoto.", "The file is empty."),
    "FILE_TOO_LARGE": (
        "error",
        "Il file supera il limite di {limit} byte.",
        "The file exceeds the {limit}-byte limit.",
    ),
    "FILE_TYPE": (
        "error",
        "Formato non ammesso ({detected}): sono accettati solo CSV e XLSX.",
        "Format not allowed ({detected}): only CSV and XLSX are accepted.",
    ),
    "XLSX_MACROS": (
        "error",
        "Il file contiene macro (XLSM/VBA): salvarlo come XLSX senza macro.",
        "The file contains macros (XLSM/VBA): save it as a macro-free XLSX.",
    ),
    "XLSX_ZIP_BOMB": (
        "error",
        "Il file XLSX dichiara {size} byte decompressi (limite {limit}).",
        "The XLSX declares {size} uncompressed bytes (limit {limit}).",
    ),
    "XLSX_UNSAFE_XML": (
        "error",
        "Il file XLSX contiene dichiarazioni XML non ammesse (DTD/entità).",
        "The XLSX contains XML declarations that are not allowed (DTD/entities).",
    ),
    "XLSX_CORRUPT": (
        "error",
        "Il file XLSX è danneggiato o illeggibile: {detail}.",
        "The XLSX file is damaged or unreadable: {detail}.",
    ),
    "XLSX_FORMULA": (
        "error",
        "Formula senza valore calcolato ({formula}): inserire il numero.",
        "Formula without a computed value ({formula}): type the number.",
    ),
    "ENCODING": (
        "error",
        "Codifica del testo non riconosciuta (attese UTF-8 o Windows-1252).",
        "Text encoding not recognised (UTF-8 or Windows-1252 expected).",
    ),
    "TOO_MANY_ROWS": (
        "error",
        "Il file ha più di {limit} righe.",
        "The file has more than {limit} rows.",
    ),
    "NO_ROWS": (
        "error",
        "Il file non contiene righe con valori da caricare.",
        "The file contains no rows with values to load.",
    ),
    # --- columns ---------------------------------------------------------------------------
    "COL_MISSING": (
        "error",
        "Manca la colonna obbligatoria '{name}'.",
        "Required column '{name}' is missing.",
    ),
    "COL_DUPLICATE": ("error", "La colonna '{name}' è ripetuta.", "Column '{name}' appears twice."),
    "COL_UNKNOWN": (
        "warning",
        "Colonna '{name}' non prevista: ignorata.",
        "Unexpected column '{name}': ignored.",
    ),
    # --- who and when ----------------------------------------------------------------------
    "ROLE_NOT_ALLOWED": (
        "error",
        "Il ruolo '{role}' non può caricare report.",
        "Role '{role}' cannot upload reports.",
    ),
    "CITY_UNKNOWN": (
        "error",
        "Codice città sconosciuto: '{value}'.",
        "Unknown city code: '{value}'.",
    ),
    "CITY_MIXED": (
        "error",
        "Il file contiene più città ({values}): un file per città e mese.",
        "The file holds several cities ({values}): one file per city and month.",
    ),
    "CITY_NOT_YOURS": (
        "error",
        "Il file è della città {value}, ma l'utente è abilitato per {own}.",
        "The file is for city {value}, but the user is authorised for {own}.",
    ),
    "PERIOD_FORMAT": (
        "error",
        "Periodo non valido: '{value}' (atteso AAAA-MM).",
        "Invalid period: '{value}' (YYYY-MM expected).",
    ),
    "PERIOD_OUTSIDE": (
        "error",
        "Il periodo {value} è fuori dal programma ({start} – {end}).",
        "Period {value} is outside the programme ({start} – {end}).",
    ),
    "PERIOD_FUTURE": (
        "error",
        "Il periodo {value} è nel futuro.",
        "Period {value} is in the future.",
    ),
    "PERIOD_MIXED": (
        "error",
        "Il file contiene più mesi ({values}): un file per città e mese.",
        "The file holds several months ({values}): one file per city and month.",
    ),
    # --- rows and values -------------------------------------------------------------------
    "INDICATOR_UNKNOWN": (
        "error",
        "Indicatore sconosciuto: '{value}'.",
        "Unknown indicator: '{value}'.",
    ),
    "PERIPHERY_UNKNOWN": (
        "error",
        "Periferia sconosciuta per questa città: '{value}'.",
        "Unknown periphery for this city: '{value}'.",
    ),
    "PERIPHERY_MISSING": (
        "error",
        "L'indicatore {indicator} si rileva per periferia: indicarla.",
        "Indicator {indicator} is reported by periphery: name it.",
    ),
    "PERIPHERY_NOT_ALLOWED": (
        "error",
        "L'indicatore {indicator} non si rileva per periferia.",
        "Indicator {indicator} is not reported by periphery.",
    ),
    "VALUE_MISSING": (
        "warning",
        "Valore vuoto: l'indicatore risulta non rilevato.",
        "Empty value: the indicator is recorded as not reported.",
    ),
    "VALUE_NOT_NUMBER": ("error", "'{value}' non è un numero.", "'{value}' is not a number."),
    "VALUE_NOT_WHOLE": (
        "error",
        "{value} non è un numero intero (l'indicatore conta unità).",
        "{value} is not a whole number (the indicator counts units).",
    ),
    "VALUE_NEGATIVE": ("error", "Valore negativo: {value}.", "Negative value: {value}."),
    "VALUE_RANGE": (
        "error",
        "Valore {value} fuori dall'intervallo ammesso ({low} – {high}).",
        "Value {value} outside the allowed range ({low} – {high}).",
    ),
    "ROW_DUPLICATE": (
        "error",
        "Riga duplicata: stesso indicatore e periferia della riga {first}.",
        "Duplicate row: same indicator and periphery as row {first}.",
    ),
    # --- consistency between indicators (same city, month, periphery) -----------------------
    "CONS_AUTONOMY_EXITS": (
        "error",
        "Uscite verso l'autonomia ({a}) superiori alle uscite ({b}).",
        "Exits to autonomy ({a}) exceed exits ({b}).",
    ),
    "CONS_BED_NIGHTS": (
        "error",
        "Notti di accoglienza ({a}) superiori alle notti disponibili ({b}).",
        "Bed nights ({a}) exceed available place nights ({b}).",
    ),
    "CONS_PLACE_NIGHTS": (
        "error",
        "Notti disponibili ({a}) superiori a posti × giorni del mese ({b}).",
        "Available place nights ({a}) exceed places × days in the month ({b}).",
    ),
    "CONS_RATIO": (
        "error",
        "{indicator} = {a} non coincide con il valore calcolato dalle componenti ({b}).",
        "{indicator} = {a} does not match the value computed from its parts ({b}).",
    ),
    # --- plausibility ------------------------------------------------------------------------
    "OUTLIER": (
        "warning",
        "Valore {value} anomalo rispetto allo storico della città "
        "(mediana {median}, z modificato {z}).",
        "Value {value} is unusual for the city's history (median {median}, modified z {z}).",
    ),
}


@dataclass(frozen=True)
class Issue:
    """One finding. ``row`` is the 1-based line of the file (the header is row 1) or ``None``
    for file-level findings; ``column`` is the column name or ``None``."""

    rule: str
    severity: Severity
    row: int | None
    column: str | None
    message_it: str
    message_en: str

    def message(self, lang: str = "it") -> str:
        return self.message_en if lang == "en" else self.message_it


def make_issue(
    rule: str, row: int | None = None, column: str | None = None, **params: object
) -> Issue:
    """Build an Issue from the rule table (unknown ids raise KeyError: a programming error)."""
    severity, it, en = RULES[rule]
    return Issue(
        rule,
        severity,
        row,
        column,
        it.format(**_numbers_in(params, "it")),
        en.format(**_numbers_in(params, "en")),
    )


def _numbers_in(params: dict[str, object], lang: str) -> dict[str, object]:
    """Numeric parameters written as the language writes numbers ("12,5" and "1.085" in an
    Italian message, "12.5" and "1,085" in an English one); the others as they are."""
    return {
        k: fmt_number(v, lang, 4, trim=True)
        if isinstance(v, int | float) and not isinstance(v, bool)
        else v
        for k, v in params.items()
    }


@dataclass
class ValidationReport:
    """Everything found in one file. ``ok`` is true when there is no error (warnings allowed).

    ``city_code``/``period`` are the file's city and month when they could be read; ``rows`` is
    the number of data rows; ``values`` the parsed values ready to store (only meaningful when
    ``ok``): tuples ``(indicator_code, periphery_id or None, value)``.
    """

    file_name: str
    sha256: str
    issues: list[Issue] = field(default_factory=list)
    city_code: str | None = None
    period: str | None = None
    rows: int = 0
    values: list[tuple[str, int | None, float]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    dialect: str = ""

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def rule_ids(self, severity: Severity | None = None) -> set[str]:
        return {i.rule for i in self.issues if severity is None or i.severity == severity}

    def add(
        self, rule: str, row: int | None = None, column: str | None = None, **params: object
    ) -> None:
        self.issues.append(make_issue(rule, row, column, **params))

    def to_records(self, lang: str = "it") -> list[dict[str, object]]:
        """Rows for a table or CSV: row, column, rule, severity, message (in ``lang``)."""
        return [
            {
                "row": i.row,
                "column": i.column,
                "rule": i.rule,
                "severity": i.severity,
                "message": i.message(lang),
            }
            for i in sorted(self.issues, key=_order)
        ]

    def to_json(self) -> str:
        return json.dumps([asdict(i) for i in sorted(self.issues, key=_order)], ensure_ascii=False)


def _order(i: Issue) -> tuple[int, int, str]:
    return (0 if i.severity == "error" else 1, i.row or 0, i.rule)
