"""A small letter-to-sound guess for words CMUdict lacks (names, coinages): pocketsphinx has no
g2p of its own. Greedy longest-match over English spelling patterns; wrong often enough in detail
but close enough in sound for the aligner to find the word (the fixtures' 'pattering', 'waistcoat'
are found with it and lost without it)."""

from __future__ import annotations

RULES = {  # longest patterns first when matching
    "tch": "CH", "igh": "AY", "ough": "AO", "tion": "SH AH N", "sion": "ZH AH N", "ture": "CH ER",
    "ch": "CH", "sh": "SH", "th": "TH", "ph": "F", "ng": "NG", "ck": "K", "qu": "K W", "wh": "W",
    "kn": "N", "wr": "R", "gh": "G", "ee": "IY", "ea": "IY", "oo": "UW", "ou": "AW", "ow": "OW",
    "ai": "EY", "ay": "EY", "ei": "EY", "ey": "IY", "oa": "OW", "oi": "OY", "oy": "OY", "au": "AO",
    "aw": "AO", "ie": "IY", "er": "ER", "ir": "ER", "ur": "ER", "ar": "AA R", "or": "AO R",
    "a": "AE", "b": "B", "c": "K", "d": "D", "e": "EH", "f": "F", "g": "G", "h": "HH", "i": "IH",
    "j": "JH", "k": "K", "l": "L", "m": "M", "n": "N", "o": "AA", "p": "P", "r": "R", "s": "S",
    "t": "T", "u": "AH", "v": "V", "w": "W", "x": "K S", "y": "IY", "z": "Z",
    "0": "Z IH R OW", "1": "W AH N", "2": "T UW", "3": "TH R IY", "4": "F AO R", "5": "F AY V",
    "6": "S IH K S", "7": "S EH V AH N", "8": "EY T", "9": "N AY N",
}
LONGEST = max(len(k) for k in RULES)


def guess_phones(word: str) -> str:
    """'pattering' → 'P AE T EH R IH NG': doubled consonants once, a final silent e dropped."""
    letters = word.replace("'", "")
    if len(letters) > 2 and letters.endswith("e") and letters[-2] not in "aeiouy":
        letters = letters[:-1]
    phones: list[str] = []
    i = 0
    while i < len(letters):
        for size in range(min(LONGEST, len(letters) - i), 0, -1):
            chunk = letters[i:i + size]
            if chunk in RULES:
                for phone in RULES[chunk].split():
                    if not phones or phones[-1] != phone:
                        phones.append(phone)
                i += size
                break
        else:
            i += 1  # a letter we have no sound for (accented, foreign): skip it
    return " ".join(phones)
