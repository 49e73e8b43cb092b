"""Tests of newscrawl.normalize.language: code normalisation and offline detection from body text."""

from __future__ import annotations

import pytest

from newscrawl.normalize.language import detect_language, normalize_language


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en-US", "en"),
        ("EN_gb", "en"),
        ("en", "en"),
        ("zh-Hans-CN", "zh"),
        ("de-DE", "de"),
        ("fil", "fil"),
        ("pt_BR", "pt"),
        (" fr ", "fr"),
        ("de, en;q=0.8", "de"),
        ("iw", "he"),
        ("nb", "no"),
        ("nb-NO", "no"),
        ("NN", "no"),
        ("no", "no"),
        (None, None),
        ("", None),
        ("english", None),
        ("e", None),
        ("12", None),
        ("und", None),
        ("en--US", None),
        ("<script>", None),
    ],
)
def test_normalize_language(code: str | None, expected: str | None) -> None:
    assert normalize_language(code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The government announced on Monday that it would raise taxes on large companies to pay for new "
            "hospitals, schools and roads across the country over the next five years.",
            "en",
        ),
        (
            "Die Bundesregierung hat am Montag angekündigt, die Steuern für große Unternehmen zu erhöhen, "
            "um neue Krankenhäuser, Schulen und Straßen im ganzen Land in den nächsten fünf Jahren "
            "zu bezahlen.",
            "de",
        ),
        (
            "Le gouvernement a annoncé lundi qu'il allait augmenter les impôts des grandes entreprises pour "
            "financer de nouveaux hôpitaux, des écoles et des routes dans tout le pays "
            "au cours des cinq ans.",
            "fr",
        ),
        (
            "El gobierno anunció el lunes que subirá los impuestos a las grandes empresas para pagar nuevos "
            "hospitales, escuelas y carreteras en todo el país durante los próximos cinco años.",
            "es",
        ),
        (
            "政府は月曜日、今後五年間で全国の新しい病院や学校、"
            "道路の費用を賄うため、大企業への課税を強化すると発表した。",
            "ja",
        ),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "Too short to tell", "12345 67890 " * 20, "\u200b" * 100])
def test_detect_language_declines_when_unsure(text: str) -> None:
    assert detect_language(text) is None
