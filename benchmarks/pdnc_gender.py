"""How often the cast's gender for a character agrees with PDNC's (character_info.csv, column Gender).

Each novel is read as `barkbook segment` reads it (tasks.text.speakers.read_speech); each of the cast's
characters is mapped to a PDNC character by its label, as benchmarks/pdnc_score.py maps a speaker label.
A PDNC character that is a man or a woman (M or F; PDNC's X and unknown are left aside) and that some
character of the cast maps to takes the gender of the most used one of them: right, wrong, or missing
(the cast does not know it). Shares are given by characters and by quotes (each character weighed by its
PDNC quotes). Dev novels get a row each and `--show` lists their wrong and missing characters; the
held-out ones only a pooled row (they are never looked into).

    PYTHONPATH=. python benchmarks/pdnc_gender.py [dev] [held-out] [--show]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from benchmarks.pdnc_score import DEV, HELD_OUT, PDNC, UNNAMED, Novel, load_novel

OUTCOMES = ("right", "wrong", "missing")


def cast_genders(novel: Novel) -> dict[str, tuple[str, str]]:
    """PDNC main name -> (the cast's gender, its label) for the most used character of the cast naming it."""
    from tasks.manuscript.ingest import read_manuscript
    from tasks.text.speakers import read_speech

    cast = read_speech(read_manuscript(PDNC / novel.name / "novel_text.txt")).cast
    found: dict[str, tuple[str, str]] = {}
    for character in sorted(cast.characters, key=lambda c: c.uses):  # the most used one is written last
        names = novel.characters_named(character.label)
        if len(names) == 1:
            found[next(iter(names))] = (character.gender, character.label)
    return found


def judged(name: str) -> list[tuple[str, int, str, str, str]]:
    """(outcome, PDNC quotes, PDNC main name, PDNC gender, cast label) for each M/F character the cast names."""
    novel = load_novel(name)
    quotes = Counter(q.speaker for q in novel.quotes if q.speaker not in UNNAMED)
    rows = []
    for main, (gender, label) in cast_genders(novel).items():
        gold = novel.genders.get(main, "")
        if gold in ("M", "F"):
            result = "right" if gender == gold else "wrong" if gender else "missing"
            rows.append((result, quotes[main], main, gold, label))
    return rows


def line(name: str, rows: list[tuple[str, int, str, str, str]]) -> str:
    characters = Counter(r[0] for r in rows)
    quotes = Counter()
    for result, n, *_ in rows:
        quotes[result] += n
    def shares(counts: Counter) -> str:
        total = max(1, sum(counts.values()))
        return " ".join(f"{100 * counts[o] / total:6.2f}" for o in OUTCOMES)
    return (f"{name:32} characters {len(rows):4}: {shares(characters)}   "
            f"quotes {sum(quotes.values()):6}: {shares(quotes)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=["dev", "held-out"], help="dev, held-out (both if neither)")
    parser.add_argument("--show", action="store_true", help="list dev characters whose gender is wrong or missing")
    args = parser.parse_args(argv)
    print(f"{'':32} {'shares (%):':15} {' / '.join(OUTCOMES)}")
    for group, names in (("dev", DEV), ("held-out", HELD_OUT)):
        if group not in args.sets:
            continue
        pooled = []
        for name in names:
            rows = judged(name)
            pooled += rows
            if group == "dev":
                print(line(name, rows))
                for result, n, main, gold, label in sorted(rows, key=lambda r: -r[1]) if args.show else ():
                    if result != "right":
                        print(f"    {result:8} {main} ({gold}, {n} quotes) as '{label}'")
        print(line(f"** {group} ({len(names)})", pooled))
    return 0


if __name__ == "__main__":
    sys.exit(main())
