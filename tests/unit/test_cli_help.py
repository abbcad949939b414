"""``lgnet2 --help`` and every command's help follow the command line's language."""

from __future__ import annotations

import argparse

import pytest

from dashboard.cli import build_parser
from dashboard.cli.messages import help_lang
from data_access.locale import translate


def _helps(lang: str) -> dict[str, str]:
    parser = build_parser(lang)  # type: ignore[arg-type]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {"": parser.format_help(), **{n: p.format_help() for n, p in sub.choices.items()}}


@pytest.mark.parametrize(
    "lang, present, absent",
    [
        (
            "it",
            ["uso: lgnet2", "opzioni:", "mostra questo aiuto", "avvia il cruscotto"],
            ["usage:"],
        ),
        ("en", ["usage: lgnet2", "options:", "show this help", "start the dashboard"], ["uso:"]),
    ],
)
def test_main_help_is_in_one_language(lang: str, present: list[str], absent: list[str]) -> None:
    text = _helps(lang)[""]
    assert all(p in text for p in present), text
    assert not any(a in text for a in absent), text


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_command_help_comes_from_the_locale_files(lang: str) -> None:
    helps = _helps(lang)
    assert {"run", "import", "pack", "open-data", "snapshot", "publish"} <= set(helps)
    db = translate(lang, "cli_help.db").split()[0]
    for name, text in helps.items():
        assert "cli_help." not in text, name  # a missing key shows as itself
        assert translate(lang, "cli_help.usage").strip() in text, name
        if name and name != "open-data":
            assert db in text, name


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["pack", "--lang", "it", "--help"], "it"),  # the command's own --lang first
        (["snapshot", "--lang=it", "-h"], "it"),
        (["open-data", "--lang", "en"], "en"),
        (["pack", "--lang"], "en"),  # no value: LGNET2_LANG
        (["--help"], "en"),
    ],
)
def test_help_language(argv: list[str], expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LGNET2_LANG", "en")
    assert help_lang(argv) == expected
