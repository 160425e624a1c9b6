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


DIMINUTIVE_ENDINGS = ("ie", "ey", "y")  # 'Charlie', 'Charley', 'Charly': one name, spelt three ways


def spellings(name: str) -> set[str]:
    """A lower-case given name and its other spellings of a diminutive's ending ('charley': 'charlie', 'charly')."""
    name = name.lower()
    for ending in DIMINUTIVE_ENDINGS:
        if name.endswith(ending) and len(name) - len(ending) >= 3:
            return {name[:-len(ending)] + other for other in DIMINUTIVE_ENDINGS}
    return {name}


def same_spelling(a: str, b: str) -> bool:
    """'Charley' and 'Charly': two spellings of one diminutive."""
    return a.lower() != b.lower() and b.lower() in spellings(a)


def same_given_name(a: str, b: str) -> bool:
    """'Bill' and 'William', 'Tommy' and 'Tom', 'Charley' and 'Charles': one is the other's nickname, or
    another spelling of it (not two spellings of one word: 'De Bourgh' and 'de Bourgh' are read elsewhere)."""
    if a.lower() == b.lower():
        return False
    names = nicknamer()
    return same_spelling(a, b) or any(y in names.nicknames_of(x) or y in names.canonicals_of(x)
                                       for x in spellings(a) for y in spellings(b))


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
