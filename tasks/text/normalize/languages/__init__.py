"""The languages with a table of their own; any other language num2words speaks gets one from CLDR.

To add a language: write `xx.py` with a `TABLE` (see en.py for every field) and list it in TABLES.
"""

from __future__ import annotations

import functools

from ..numbers import num2words_language
from ..table import LanguageTable, babel_table
from . import de, en, es, fr, it

TABLES: dict[str, LanguageTable] = {"en": en.TABLE, "fr": fr.TABLE, "de": de.TABLE, "es": es.TABLE, "it": it.TABLE}


@functools.lru_cache(maxsize=64)
def table_for(language: str) -> LanguageTable | None:
    """The table for a book language ('en', 'en-GB', 'fr_CA', 'pt-BR'); None when num2words cannot say its numbers."""
    base = language.replace("_", "-").split("-")[0].lower()
    if base in TABLES:
        return TABLES[base]
    code = num2words_language(language)
    return babel_table(language, code) if code else None
