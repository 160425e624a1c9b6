"""Where attribution goes wrong on PDNC's dev novels: quotes by how the product decided them.

Reads each dev novel as `barkbook segment` does (tasks.text.speakers.read_speech on the manuscript),
cuts its paragraphs into narration and speech pieces that remember how each speech was decided
(`Utterance.how`: 'tag: name', 'tag: pronoun', 'turn', …), locates PDNC's quotes in them as
benchmarks/pdnc_score.py does, and counts right and wrong by decision and quote type. `--show HOW`
prints some wrong quotes of one decision with their paragraph; `--labels` lists characters with
10+ quotes that several labels name. Only dev novels: the held-out ones are never looked into.

    PYTHONPATH=. python benchmarks/pdnc_errors.py [NOVEL ...] [--show HOW] [--count N] [--labels]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass

from benchmarks.pdnc_score import DEV, NARRATOR, PDNC, UNNAMED, Stream, load_novel, locate, outcome


@dataclass(frozen=True)
class Piece:
    text: str
    label: str
    how: str  # 'narration' for narration
    paragraph: str
    before: str  # the two paragraphs before, for context


def pieces_of(name: str) -> list[Piece]:
    from tasks.manuscript.ingest import read_manuscript
    from tasks.text.speakers import read_speech

    book = read_manuscript(PDNC / name / "novel_text.txt")
    speech = read_speech(book)
    pieces = []
    for chapter, said in zip(book.chapters, speech.utterances):
        for n, (text, utterances) in enumerate(zip(chapter.paragraphs, said)):
            before = " / ".join(chapter.paragraphs[max(0, n - 2):n])[-400:]
            at = 0
            for u in utterances:
                a, b = u.span
                pieces += [Piece(text[at:a], NARRATOR, "narration", text, before),
                           Piece(text[a:b], u.label, u.how, text, before)]
                at = b
            pieces.append(Piece(text[at:], NARRATOR, "narration", text, before))
    return [p for p in pieces if p.text.strip()]


def judged(name: str) -> list[tuple[str, str, str, str, Piece]]:
    """(type, gold, outcome, how, piece) for each located, named quote of a novel."""
    novel, pieces = load_novel(name), pieces_of(name)
    stream = Stream.of([p.text for p in pieces])
    found = []
    for quote, ranges in zip(novel.quotes, locate(novel, stream)):
        if ranges is None or quote.speaker in UNNAMED:
            continue
        weight = Counter(stream.segment[k] for r in ranges for k in r)
        piece = pieces[weight.most_common(1)[0][0]]
        found.append((quote.type, quote.speaker, outcome(novel, quote.speaker, piece.label), piece.how, piece))
    return found


def several_labels(name: str, rows) -> list[str]:
    """Characters with 10+ quotes not named by exactly one label; as benchmarks/pdnc_score.py counts them,
    the narrator's voice is a label of a first-person narrator whose own quotes it voices."""
    novel = load_novel(name)
    quotes = Counter(gold for _, gold, _, _, _ in rows)
    labels: dict[str, Counter] = defaultdict(Counter)
    for _, gold, result, _, piece in rows:
        names = novel.characters_named(piece.label)
        if len(names) == 1:
            labels[next(iter(names))][piece.label] += 1
        elif piece.label == NARRATOR and result == "right":  # a first-person narrator's own voice ('said I')
            labels[gold][NARRATOR] += 1
    return [f"{name}: {gold} ({n}) <- {dict(labels[gold])}" for gold, n in quotes.items()
            if n >= 10 and len(labels[gold]) != 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("novels", nargs="*", default=list(DEV))
    parser.add_argument("--show", help="print wrong quotes decided this way ('tag: pronoun', 'turn', …)")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--type", help="only wrong quotes of this PDNC type (Explicit, Anaphoric, Implicit)")
    parser.add_argument("--labels", action="store_true")
    args = parser.parse_args(argv)
    if not_dev := [n for n in args.novels if n not in DEV]:
        parser.error(f"only dev novels are looked into, not {not_dev}")
    table: dict[str, Counter] = defaultdict(Counter)
    wrong = []
    for name in args.novels:
        rows = judged(name)
        for kind, gold, result, how, piece in rows:
            for key in (how, f"{how} | {kind}"):
                table[key][result == "right"] += 1
            if result != "right" and how == args.show and args.type in (None, kind):
                wrong.append((name, kind, gold, result, piece))
        if args.labels:
            print("\n".join(several_labels(name, rows)))
    print(f"{'decided by':40} {'quotes':>7} {'right':>7}")
    for key in sorted(table, key=lambda k: (k.split(" | ")[0], k)):
        c = table[key]
        print(f"{key:40} {c[True] + c[False]:7} {100 * c[True] / (c[True] + c[False]):6.1f}%")
    random.Random(0).shuffle(wrong)
    for name, kind, gold, result, piece in wrong[:args.count]:
        at = piece.paragraph.find(piece.text)
        context = piece.paragraph[max(0, at - 300): at + len(piece.text) + 200].replace("\n", " ")
        print(f"\n[{name} {kind}] gold={gold!r} said={piece.label!r} ({result})\n  ... {piece.before}\n  >> {context}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
