"""num2words bugs the normalizer works around. Each test FAILS once num2words is fixed upstream: then the
workaround it names can go (and the test with it)."""

from decimal import Decimal

import pytest
from num2words import num2words

from tasks.text.normalize import normalize_for_speech


def test_num2words_italian_still_drops_a_decimals_fraction():
    # Workaround: spelling.decimal() reads every decimal itself ('trentatré virgola trentadue'), in every language.
    assert num2words(Decimal("33.32"), lang="it") == "trentatré", "num2words fixed Italian decimals"
    assert normalize_for_speech("33,32", "it") == "trentatré virgola trentadue"


def test_num2words_spanish_still_says_punto_for_a_decimal_comma():
    # Workaround: the Spanish table's decimal_word 'coma'.
    assert num2words(Decimal("3.5"), lang="es") == "tres punto cinco", "num2words now says 'coma'"
    assert normalize_for_speech("3,5", "es") == "tres coma cinco"


@pytest.mark.parametrize("n, wrong, right", [(80, "quatre-vingtsième", "quatre-vingtième"),
                                             (200, "deux centsième", "deux centième")])
def test_num2words_french_ordinals_still_keep_the_plural_s(n, wrong, right):
    # Workaround: the French table's ordinal_forms['fix'].
    assert num2words(n, lang="fr", to="ordinal") == wrong, "num2words fixed French ordinals"
    assert normalize_for_speech(f"le {n}e", "fr") == f"le {right}"


@pytest.mark.parametrize("n, wrong, right", [(400, "cuadrigentésimo", "cuadringentésimo"),
                                             (40, "quadragésimo", "cuadragésimo")])
def test_num2words_spanish_ordinals_are_still_misspelled(n, wrong, right):
    # Workaround: the Spanish table's ordinal_forms['fix'].
    assert num2words(n, lang="es", to="ordinal") == wrong, "num2words fixed Spanish ordinals"
    assert normalize_for_speech(f"el {n}.º", "es") == f"el {right}"
