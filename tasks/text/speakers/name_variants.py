"""What a given name tells: when two written names are one person's ('Bill' and 'William', 'Jack' and 'John'),
by the nicknames library's hand-curated table of English names (Apache-2.0), and whether it is a man's or a
woman's ('Veronica', 'Albert'), by the English first-name tables of the Faker library (MIT)."""

from __future__ import annotations

import importlib
from functools import lru_cache

from nicknames import NickNamer

FIRST_NAME_TABLES = ("en", "en_GB", "en_IE", "en_IN")  # Faker's English given names: general, Britain, Ireland, India


@lru_cache(maxsize=1)
def nicknamer() -> NickNamer:
    return NickNamer()  # reads its table once


def same_given_name(a: str, b: str) -> bool:
    """'Bill' and 'William', 'Tommy' and 'Tom': one is the other's nickname (not two spellings of one
    word: 'De Bourgh' and 'de Bourgh' are read elsewhere)."""
    a, b = a.lower(), b.lower()
    return a != b and (b in nicknamer().nicknames_of(a) or b in nicknamer().canonicals_of(a))


@lru_cache(maxsize=1)
def given_name_genders() -> dict[str, str]:
    """Given name -> 'M' or 'F', for the names the tables give to one gender only."""
    tables = [importlib.import_module(f"faker.providers.person.{locale}").Provider for locale in FIRST_NAME_TABLES]
    men = {name for table in tables for name in table.first_names_male}  # imported here: Faker takes 55 ms
    women = {name for table in tables for name in table.first_names_female}
    return {**dict.fromkeys(men - women, "M"), **dict.fromkeys(women - men, "F")}


def given_name_gender(name: str) -> str:
    """'M' for 'Albert', 'F' for 'Veronica' and for 'Babs' (a nickname of 'Barbara'), '' for a name the tables
    do not know or give to both."""
    genders = given_name_genders()
    if name in genders:
        return genders[name]
    said = {genders.get(full.capitalize(), "") for full in nicknamer().canonicals_of(name.lower())}
    return said.pop() if len(said) == 1 else ""
