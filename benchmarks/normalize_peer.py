"""Our normalizer scored on a peer's test suite: NVIDIA NeMo-text-processing's text-normalization cases.

    PYTHONPATH=. python benchmarks/normalize_peer.py [--wrong LANG[/CLASS]] [--json OUT.json] [--speed]

Reads every case of ../shared/corpus/nemo_tn/ (SOURCE.txt there: `written~spoken[~another]`, the German
files `spoken~written`, test_cases_normalize_with_audio.txt a `~written` line then one accepted reading
a line), normalizes the written side with `normalize_for_speech(written, language)` and judges each
case against its accepted readings:

- exact: our reading is one of the accepted ones, character for character (runs of spaces as one).
- equally good: not exact, but equal once both sides are put through these rules, and only these:
  1. Only the letters are compared, in order: case, accents, spaces, hyphens and punctuation are not
     heard ("Twenty-one." = "twenty one"; German "drei und zwanzig" = "dreiundzwanzig"; Italian
     "ventitré" = NeMo's "ventitre").
  2. English "and" inside a number (cardinal or ordinal) or between an amount and its cents may be left
     out ("one hundred and five" = "one hundred five", "one hundred and eleventh" = "one hundred eleventh",
     "five dollars and two cents" = "five dollars two cents").
  3. A four-digit number of the written text may be read as a year or as a cardinal, in the case's
     language ("twenty twelve" = "two thousand twelve", "neunzehnhundertachtzig" = "ein tausend neun
     hundert achtzig").
  4. English "a"/"an" before a fraction's name is "one" ("a half" = "one half"), and the digit 0 may be
     said "oh" or "zero" ("seven oh eight" = "seven zero eight").
- wrong: anything else.

Classes in scope are all but electronic, serial, special_text and math (addresses in e-mail and URL
form, serial codes and formulas, which an audiobook does not meet). `--speed` times the cases on one
core (the process pinned to CPU 0) and prints cases a second.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tasks.text.normalize import normalize_for_speech  # noqa: E402
from tasks.text.normalize.numbers import spell_number, spell_ordinal, spell_year  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "nemo_tn"
OUT_OF_SCOPE = {"electronic", "serial", "special_text", "math"}
LANGUAGES = ("en", "fr", "de", "es", "it")
VERDICTS = ("exact", "equal", "wrong")


@dataclass(frozen=True)
class Case:
    language: str
    kind: str  # NeMo's class: the file's name without test_cases_
    written: str
    accepted: tuple[str, ...]


def read_cases(path: Path, language: str) -> list[Case]:
    """One file's cases, in the file's order."""
    kind = path.stem.removeprefix("test_cases_")
    lines = path.read_text(encoding="utf-8").splitlines()
    if kind == "normalize_with_audio":
        cases: list[Case] = []
        for line in lines:
            if line.startswith("~"):
                cases.append(Case(language, kind, line[1:], ()))
            elif cases and line:
                cases[-1] = Case(language, kind, cases[-1].written, cases[-1].accepted + (line,))
        return cases
    cases = []
    for line in filter(None, lines):
        fields = line.split("~")
        if language == "de":  # German files are spoken~written
            fields = [fields[-1], *fields[:-1]]
        cases.append(Case(language, kind, fields[0], tuple(fields[1:])))
    return cases


def load_cases(root: Path = CORPUS, languages: tuple[str, ...] = LANGUAGES) -> list[Case]:
    """Every case of the suite, in scope or not."""
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: the NeMo cases are not there (../shared/corpus/nemo_tn beside the checkout)")
    return [case for language in languages for path in sorted((root / language).glob("test_cases_*.txt"))
            for case in read_cases(path, language)]


def in_scope(case: Case) -> bool:
    return case.kind not in OUT_OF_SCOPE


# --- the rules of "equally good" -------------------------------------------------------------------

ENGLISH_NUMBER_WORDS = {word for n in (*range(101), 1000, 10**6, 10**9, 10**12, 10**15, 10**18)
                        for reading in (spell_number(n), spell_ordinal(n)) for word in re.findall(r"[a-z]+", reading)}
ENGLISH_AMOUNT_WORDS = ENGLISH_NUMBER_WORDS | set("dollar dollars pound pounds euro euros yen won yuan".split())
WORD = re.compile(r"[^\W_]+")


ENGLISH_ORDINAL_WORDS = {re.findall(r"[a-z]+", spell_ordinal(n))[-1] for n in (*range(2, 101), 1000, 10**6)}
FRACTION_WORDS = {"half", "halves", "quarter", "quarters"} | ENGLISH_ORDINAL_WORDS | {w + "s" for w in ENGLISH_ORDINAL_WORDS}


def english_rules(tokens: list[str]) -> list[str]:
    """Rules 2 and 4 on English words."""
    said = []
    for i, token in enumerate(tokens):
        before, after = (tokens[i - 1] if i else ""), (tokens[i + 1] if i + 1 < len(tokens) else "")
        if token == "and" and before in ENGLISH_AMOUNT_WORDS and after in ENGLISH_NUMBER_WORDS:
            continue
        if token in ("a", "an") and after in FRACTION_WORDS:
            token = "one"
        elif token == "oh" and (before in ENGLISH_NUMBER_WORDS or after in ENGLISH_NUMBER_WORDS):
            token = "zero"
        said.append(token)
    return said


def words(text: str, language: str) -> list[str]:
    """Rule 1's words: case-folded, accents off, punctuation gone; rules 2 and 4 in English."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    tokens = WORD.findall(plain)
    return english_rules(tokens) if language == "en" else tokens


def heard(text: str, language: str) -> str:
    return "".join(words(text, language))


def year_forms(written: str, language: str) -> dict[str, str]:
    """Rule 3: each four-digit number of the written text, read as a year and as a cardinal -> one token."""
    forms = {}
    for digits in set(re.findall(r"(?<!\d)\d{4}(?!\d)", written)):
        n = int(digits)
        for reading in (spell_year(n, language), spell_number(n, language)):
            forms[heard(reading, language)] = f"#{n}#"
    return forms


def canonical(text: str, language: str, years: dict[str, str]) -> str:
    said = heard(text, language)
    for form in sorted(years, key=len, reverse=True):
        said = said.replace(form, years[form])
    return said


def judge(case: Case, spoken: str) -> str:
    """'exact', 'equal' (equally good by the rules above) or 'wrong'."""
    collapse = lambda s: " ".join(s.split())  # noqa: E731
    if any(collapse(spoken) == collapse(reading) for reading in case.accepted):
        return "exact"
    years = year_forms(case.written, case.language)
    ours = canonical(spoken, case.language, years)
    if any(ours == canonical(reading, case.language, years) for reading in case.accepted):
        return "equal"
    return "wrong"


def score(cases: list[Case]) -> dict[str, dict[str, Counter]]:
    """language -> class -> Counter of verdicts, over the cases given."""
    table: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for case in cases:
        table[case.language][case.kind][judge(case, normalize_for_speech(case.written, case.language))] += 1
    return table


def right_share(counts: Counter) -> float:
    total = sum(counts.values())
    return (counts["exact"] + counts["equal"]) / total if total else 0.0


def language_totals(table: dict[str, dict[str, Counter]]) -> dict[str, Counter]:
    return {language: sum(kinds.values(), Counter()) for language, kinds in table.items()}


def print_table(table: dict[str, dict[str, Counter]]) -> None:
    print("| language | class | cases | exact | equally good | wrong | right |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for language in LANGUAGES:
        for kind, counts in sorted(table.get(language, {}).items()):
            print(f"| {language} | {kind} | {sum(counts.values())} | {counts['exact']} | {counts['equal']} | "
                  f"{counts['wrong']} | {100 * right_share(counts):.1f} % |")
    print("\n| language | cases | exact | equally good | wrong | right |")
    print("|---|---:|---:|---:|---:|---:|")
    for language, counts in language_totals(table).items():
        print(f"| {language} | {sum(counts.values())} | {counts['exact']} | {counts['equal']} | {counts['wrong']} | "
              f"{100 * right_share(counts):.1f} % |")


def print_wrong(cases: list[Case], which: str) -> None:
    language, _, kind = which.partition("/")
    for case in cases:
        if case.language == language and (not kind or case.kind == kind):
            spoken = normalize_for_speech(case.written, case.language)
            verdict = judge(case, spoken)
            if verdict == "wrong":
                print(f"[{case.kind}] {case.written!r}\n    ours: {spoken}\n    want: {' | '.join(case.accepted)}")


def cases_per_second(cases: list[Case], rounds: int = 15) -> tuple[float, float, float]:
    """(first round, median and best of the later rounds) in cases a second, on one core. The first round
    builds each language's rules and fills num2words' cache; the best round is the least disturbed by
    other work on a shared machine."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for case in cases:
            normalize_for_speech(case.written, case.language)
        times.append(time.perf_counter() - start)
    return len(cases) / times[0], len(cases) / statistics.median(times[1:]), len(cases) / min(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", help="print the wrong cases of LANG or LANG/CLASS")
    parser.add_argument("--json", type=Path, help="write the figures there")
    parser.add_argument("--speed", action="store_true", help="time the cases on one core")
    args = parser.parse_args()
    cases = [case for case in load_cases() if in_scope(case)]
    if args.wrong:
        print_wrong(cases, args.wrong)
        return
    table = score(cases)
    print_table(table)
    if args.json:
        figures = {language: {kind: dict(counts) for kind, counts in kinds.items()} for language, kinds in table.items()}
        args.json.write_text(json.dumps(figures, indent=1, sort_keys=True))
    if args.speed:
        first, median, best = cases_per_second(cases)
        print(f"\nspeed on one core ({len(cases)} cases, 15 rounds): first round {first:,.0f} cases/s, "
              f"then median {median:,.0f} and best {best:,.0f} cases/s")


if __name__ == "__main__":
    main()
