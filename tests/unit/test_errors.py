"""Expected errors take their words from the locale files' ``[errors]`` table.

``LgnetError.of(key, **params)`` is the only way the code builds one; these tests check the
constructor, and scan the code so that every key it raises exists with every placeholder filled.
(That both languages have the same keys and placeholders is ``tests/app/test_i18n.py``.)
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from data_access.errors import InvalidInput, LgnetError, UnknownCode
from data_access.locale import catalog, has_key
from data_access.viewer import Viewer

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("data_access", "geo", "dashboard", "pages")


def _placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _error_classes() -> set[str]:
    """Names of LgnetError and of every subclass defined in the code."""
    names = {"LgnetError"}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                if bases & {"LgnetError", "DatabaseUnavailable", "InvalidInput", "UnknownCode"}:
                    names.add(node.name)
    return names


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _constants(node: ast.expr) -> list[str] | None:
    """The string(s) an argument can be: a literal, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _constants(node.body), _constants(node.orelse)
        return None if a is None or b is None else a + b
    return None


def scan(source: str, classes: set[str]) -> tuple[list[str], list[tuple[str, str, set[str]]]]:
    """Problems in ``source``: errors built from raw text, and ``.of`` calls as
    ``(message key, hint key, keyword names)``."""
    raw: list[str] = []
    calls: list[tuple[str, str, set[str]]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in classes and node.args:
            raw.append(f"line {node.lineno}: {func.id}(...) with inline text")
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "of"
            and isinstance(func.value, ast.Name)
            and func.value.id in classes
        ):
            keys = _constants(node.args[0]) if node.args else None
            if keys is None:
                raw.append(f"line {node.lineno}: {func.value.id}.of needs a literal key")
                continue
            kwargs = {k.arg: k.value for k in node.keywords if k.arg}
            hint = kwargs.pop("hint", None)
            params = set(kwargs)
            for key in keys:
                if hint is None:
                    hints = [f"{key}_hint"] if has_key("it", f"{key}_hint") else [""]
                else:
                    hints = _constants(hint) or [f"<{ast.unparse(hint)}>"]
                calls.extend((key, h, params) for h in hints)
    return raw, calls


def test_the_scanner_finds_inline_text_and_reads_keys() -> None:
    bad = 'raise InvalidInput("Mese non valido.", "Invalid month.")\n'
    good = (
        'raise InvalidInput.of("errors.month_invalid", hint="errors.month_range_hint", '
        "period=p, start=a, end=b)\n"
        'raise UnknownCode.of("errors.unknown_city" if x else "errors.peer_city_unknown", code=c)\n'
    )
    raw, _ = scan(bad, {"InvalidInput"})
    assert raw and "inline text" in raw[0]
    raw, calls = scan(good, {"InvalidInput", "UnknownCode"})
    assert not raw
    assert calls == [
        ("errors.month_invalid", "errors.month_range_hint", {"period", "start", "end"}),
        ("errors.unknown_city", "errors.unknown_city_hint", {"code"}),
        ("errors.peer_city_unknown", "", {"code"}),
    ]


def test_errors_are_raised_by_key_with_every_placeholder_filled() -> None:
    classes = _error_classes()
    assert {"InvalidInput", "PeriodLocked", "PublicationFailed"} <= classes
    problems: list[str] = []
    used = 0
    for path in _sources():
        raw, calls = scan(path.read_text(encoding="utf-8"), classes)
        where = path.relative_to(ROOT)
        problems += [f"{where}: {r}" for r in raw]
        for key, hint, params in calls:
            used += 1
            for k in (key, hint):
                if not k or k.startswith("<"):  # no hint, or one passed on from another error
                    continue
                if not (k.startswith("errors.") and has_key("it", k)):
                    problems.append(f"{where}: unknown key {k}")
                elif _placeholders(catalog("it")[k]) - params:
                    problems.append(f"{where}: {k} needs {_placeholders(catalog('it')[k])}")
    assert used > 50, "the scan found the errors"
    assert not problems


def test_of_builds_both_languages_and_the_hint() -> None:
    err = UnknownCode.of("errors.unknown_city", code="999999")
    assert err.message_it == "Città sconosciuta: '999999'."
    assert err.message_en == "Unknown city: '999999'."
    assert err.hint_en == "Use the 6-digit ISTAT code (e.g. 037006 for Bologna)."
    assert err.message("en") == f"{err.message_en} {err.hint_en}"
    assert err.message("it").startswith("Città sconosciuta") and str(err) == err.message_en
    assert (err.key, err.hint_key) == ("errors.unknown_city", "errors.unknown_city_hint")


@pytest.mark.parametrize(
    "hint, expected_en",
    [
        (None, ""),  # errors.columns_missing has no _hint sibling
        ("errors.period_frozen_hint", "Ask an administrator to unlock it."),
        ("", ""),
    ],
)
def test_of_hint_choice(hint: str | None, expected_en: str) -> None:
    err = InvalidInput.of("errors.columns_missing", hint=hint, columns="a, b")
    assert err.message_en == "Missing columns: a, b." and err.hint_en == expected_en


def test_a_placeholder_can_depend_on_the_language() -> None:
    err = InvalidInput.of(
        "errors.approve_needs_validated", where="037006 2024-03", status=lambda lang: lang.upper()
    )
    assert "è IT:" in err.message_it and "is EN:" in err.message_en


def test_an_error_passes_its_hint_on() -> None:
    with pytest.raises(UnknownCode) as inner:
        Viewer.parse("mayor")
    outer = UnknownCode.of("errors.role_invalid_in", hint=inner.value.hint_key, where="x", spec="y")
    assert outer.hint_it == inner.value.hint_it and outer.hint_en == inner.value.hint_en


def test_raw_text_still_works_for_callers_outside_the_code() -> None:
    err = LgnetError("uno", "one", "due", "two")
    assert err.message("en") == "one two" and err.key == ""
