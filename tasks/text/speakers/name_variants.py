"""When two written names are one person's: a given name and its nickname ('Bill' and 'William', 'Jack' and
'John'), by the nicknames library's hand-curated table of English names (Apache-2.0)."""

from __future__ import annotations

from functools import lru_cache

from nicknames import NickNamer


@lru_cache(maxsize=1)
def nicknamer() -> NickNamer:
    return NickNamer()  # reads its table once


def same_given_name(a: str, b: str) -> bool:
    """'Bill' and 'William', 'Tommy' and 'Tom': one is the other's nickname (not two spellings of one
    word: 'De Bourgh' and 'de Bourgh' are read elsewhere)."""
    a, b = a.lower(), b.lower()
    return a != b and (b in nicknamer().nicknames_of(a) or b in nicknamer().canonicals_of(a))
