"""Italian articles before numbers filled into sentences (data_access.locale.elide_articles)."""

from __future__ import annotations

import pytest

from data_access.locale import elide_articles, translate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("raggiunge il 83% dell'obiettivo", "raggiunge l'83% dell'obiettivo"),
        ("il 84,5%", "l'84,5%"),
        ("Il 80% delle città", "L'80% delle città"),
        ("al 8%", "all'8%"),
        ("pubblicazione del 1 dicembre 2026", "pubblicazione dell'1 dicembre 2026"),
        ("il 11% e il 11.000", "l'11% e l'11.000"),
        ("il 1,5%", "l'1,5%"),
        # Said with a consonant first, or an ordinal: unchanged.
        ("il 18%", "il 18%"),
        ("il 10%", "il 10%"),
        ("il 100%", "il 100%"),
        ("il 1.000", "il 1.000"),
        ("il 1° gennaio", "il 1° gennaio"),
        ("entro il 31 marzo", "entro il 31 marzo"),
    ],
)
def test_elide_articles(text: str, expected: str) -> None:
    assert elide_articles(text) == expected


def test_translate_elides_in_italian_only() -> None:
    # Found in review: "Al ritmo attuale il programma raggiunge il 84% ...".
    args = {"pct": "84%", "indicator": "WP2", "date": "31 marzo 2024"}
    assert "raggiunge l'84% dell'obiettivo" in translate(
        "it", "overview.projection_sentence", **args
    )
    assert "il 84%" not in translate("it", "overview.projection_sentence", **args)
    assert "84%" in translate("en", "overview.projection_sentence", **args)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_publication_trigger_has_words(lang: str) -> None:
    # Found in review: "Pubblicazione in vigore: pub-2 del 1 dicembre 2026 (origine: unlock)".
    from dashboard.components import trigger_label

    triggers = ("import", "approval", "unlock", "manual", "demo")
    labels = [trigger_label(t, lang) for t in triggers]
    assert all(label not in triggers for label in labels), labels
    assert len(set(labels)) == len(triggers)
    assert trigger_label("cron-42", lang) == "cron-42"  # unknown: as recorded


def test_upload_check_messages_write_numbers_in_the_readers_language() -> None:
    # Found in review: "12.5 non è un numero intero" for a value typed 12,5, and
    # "mediana 1085" beside "z modificato -27.7" on an Italian page.
    from data_access.ingest.rules import make_issue

    whole = make_issue("VALUE_NOT_WHOLE", 3, "value", value=12.5)
    assert whole.message_it.startswith("12,5 ") and whole.message_en.startswith("12.5 ")
    outlier = make_issue("OUTLIER", 4, "value", value=1.0, median=1085.0, z=-27.7)
    assert "1.085" in outlier.message_it and "-27,7" in outlier.message_it
    assert "1,085" in outlier.message_en and "-27.7" in outlier.message_en
    ratio = make_issue("CONS_RATIO", 5, "value", indicator="WP3_OCCUPANCY", a=100.0, b=97.5)
    assert "(97,5)" in ratio.message_it and "100 " in ratio.message_it
