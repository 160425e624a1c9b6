"""Quotation attribution scored on PDNC (issue 33): who speaks each annotated quote, by the product.

Each novel's `novel_text.txt` is read as a plain-text manuscript by the code path `barkbook segment`
takes (tasks.manuscript.ingest.read_manuscript, tasks.text.lexicon.load_lexicon, tasks.text.segment.segment_book), and its
segments are scored quote by quote against PDNC's `quotation_info.csv`.

How a quote is found in the segments. Segments carry no source offsets, so both texts are reduced
to a *key*: their letters and digits, lower-cased (spaces, punctuation, quote marks and `_italics_`
marks drop out; the product never changes a letter of its `text`). The segments' keys are joined in
reading order, each key character remembering its segment. Each sub-quotation (PDNC's byte spans
are character offsets into novel_text.txt) is keyed the same way and looked for where it should be:
at the position of the previous quote found plus the distance between the two in the novel, or,
where the product dropped text before it (contents, notes), at the nearest exact occurrence within
LOCATE_SLACK key characters of there. One not found is counted `unlocated` (and wrong).

An annotated speaker that is an alias of one character ("Henry" for Henry Wilcox) is read as that
character. How a product speaker is read. A quote's product speaker is the speaker of the segments holding most of its
key characters. A label is mapped to a PDNC character by name (lower case, periods and a leading
"the" dropped): equal to a character's main name, or to an alias of exactly one character, it is that character;
equal to several, `ambiguous`. Equal to none (PDNC's alias lists are not complete: "Poirot" is not
among Hercule Poirot's), its words but a title must all be words of one name of a character whose
gender the title allows ("Miss Quested" -> Adela Quested, "Bill" -> Bill Gorton): one such character
is a match, several are `ambiguous` ("Turton": Mr. or Mrs. Turton), none is an `unknown label`.
Ambiguous and unknown are wrong. `dialogue` (tasks.text.speakers.DIALOGUE) is an
anonymous voice, wrong. `narrator` is right for a first-person narrator's own quotes (the narrator
being the PDNC speaker whose quotes are most often referred to as "I", from the annotation's
referring expressions, in novels PDNC's index marks first-person) and is otherwise speech voiced as
narration, wrong.

What is scored. Accuracy is over quotes whose PDNC speaker is a character; quotes annotated
`_group` or `_unknowable` are counted apart (no name can be right for them), and so are the few
without a letter or digit ('. . . . . .': nothing to speak or to find). Also: segments holding
two PDNC speakers' quotes (of segments holding any quote's character); for each character with 10+
quotes, how many distinct product labels name it (exactly one is the target; the narrator's voice is
the label of a first-person narrator whose own quotes it voices).

    PYTHONPATH=. python benchmarks/pdnc_score.py [--novels dev|held-out|all|NAME ...] [--by-novel]
"""

from __future__ import annotations

import argparse
import ast
import csv
import re
import sys
import time
from functools import cached_property
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PDNC = REPO.parent / "shared" / "corpus" / "pdnc"
TYPES = ("Explicit", "Anaphoric", "Implicit")
UNNAMED = {"_group", "_unknowable"}
LOCATE_SLACK = 5000
EXCLUDED = ("unnamed", "no words")  # outcomes left out of the accuracy
# Developed on the first 12; the last 8 are measured, never looked into (issue 33: do not overfit).
DEV = ("AHandfulOfDust", "APassageToIndia", "AlicesAdventuresInWonderland", "Emma", "MansfieldPark", "NightAndDay",
       "OliverTwist", "PrideAndPrejudice", "TheAwakening", "TheMysteriousAffairAtStyles", "WhereAngelsFearToTread",
       "WinnieThePooh")
HELD_OUT = ("DaisyMiller", "HowardsEnd", "Persuasion", "SenseAndSensibility", "TheAgeOfInnocence",
            "TheManWhoWasThursday", "TheSportOfTheGods", "TheSunAlsoRises")
NARRATOR, DIALOGUE = "narrator", "dialogue"  # the product's two reserved labels (tasks.text.speakers)
TITLE_GENDER = {**dict.fromkeys(("mr", "sir", "lord", "monsieur", "master", "mister", "signor", "herr"), "M"),
                **dict.fromkeys(("mrs", "miss", "ms", "lady", "madame", "mademoiselle", "mme", "mlle", "signora",
                                 "frau"), "F"),
                **dict.fromkeys(("dr", "doctor", "captain", "colonel", "major", "professor", "inspector", "rev"), "")}


@dataclass(frozen=True)
class Quote:
    id: str
    spans: tuple[tuple[int, int], ...]  # character offsets into novel_text.txt
    speaker: str
    type: str
    referring: str


@dataclass
class Novel:
    name: str
    text: str
    quotes: list[Quote]
    aliases: dict[str, set[str]]  # normalized name or alias -> PDNC main names
    narrator: str | None  # a first-person narrator's main name
    genders: dict[str, str] = field(default_factory=dict)  # main name -> M, F, or another PDNC code

    @cached_property
    def genders_by_key(self) -> dict[str, str]:
        return {normalized(name): name for name in self.genders}

    def main_name(self, speaker: str) -> str:
        """An annotated speaker as its character's main name (the annotation sometimes gives an alias)."""
        names = self.characters_named(speaker) if speaker not in UNNAMED else set()
        return next(iter(names)) if len(names) == 1 else speaker

    def characters_named(self, label: str) -> set[str]:
        """The PDNC characters a product label names: by an exact alias, else by the words of one."""
        key = normalized(label)
        if key in self.genders_by_key:  # a main name: 'The Waiter', though 'A Waiter' is also called 'Waiter'
            return {self.genders_by_key[key]}
        if key in self.aliases:
            return self.aliases[key]
        words = key.split()
        title, rest = (words[0], words[1:]) if len(words) > 1 and words[0] in TITLE_GENDER else (None, words)
        return {name for alias, names in self.aliases.items() if set(rest) <= set(alias.split())
                for name in names if title is None or TITLE_GENDER[title] in ("", self.genders.get(name))}


def normalized(name: str) -> str:
    name = " ".join(name.lower().replace(".", " ").split())
    return name.removeprefix("the ")


def load_novel(name: str, root: Path = PDNC) -> Novel:
    folder = root / name
    text = (folder / "novel_text.txt").read_text(encoding="utf-8")
    with open(folder / "quotation_info.csv", encoding="utf-8", newline="") as f:
        quotes = [Quote(row["quoteID"], tuple(tuple(span) for span in ast.literal_eval(row["quoteByteSpans"])),
                        row["speaker"], row["quoteType"], row["referringExpression"]) for row in csv.DictReader(f)]
    aliases: dict[str, set[str]] = defaultdict(set)
    genders = {}
    with open(folder / "character_info.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["Main Name"] in UNNAMED:
                continue
            genders[row["Main Name"]] = row["Gender"]
            for alias in {row["Main Name"], *ast.literal_eval(row["Aliases"])}:
                aliases[normalized(alias)].add(row["Main Name"])
    novel = Novel(name, text, [], dict(aliases), None, genders)
    novel.quotes = sorted((replace(q, speaker=novel.main_name(q.speaker)) for q in quotes), key=lambda q: q.spans[0][0])
    novel.narrator = first_person_narrator(name, novel.quotes, root)
    return novel


def first_person_narrator(name: str, quotes: list[Quote], root: Path) -> str | None:
    with open(root / "PDNC-Novel-Index.csv", encoding="utf-8", newline="") as f:
        person = next((row["Narrative Person"] for row in csv.DictReader(f) if row.get("Folder Name") == name), "")
    if not person.startswith("1"):
        return None
    said_i = Counter(q.speaker for q in quotes if re.search(r"\bI\b", q.referring or ""))
    return said_i.most_common(1)[0][0] if said_i else None


# --- locating quotes in the segments ------------------------------------------------------------


def keyed(text: str) -> tuple[str, list[int]]:
    """The text's letters and digits lower-cased, and each one's offset in `text`."""
    offsets = [i for i, ch in enumerate(text) if ch.isalnum()]
    return "".join(text[i] for i in offsets).lower(), offsets


@dataclass
class Stream:
    """The segments' keys joined in reading order; `segment[k]` is the segment of key character k."""

    key: str
    segment: list[int]

    @classmethod
    def of(cls, texts: list[str]) -> "Stream":
        keys, owner = [], []
        for n, text in enumerate(texts):
            key = "".join(ch for ch in text if ch.isalnum()).lower()
            keys.append(key)
            owner += [n] * len(key)
        return cls("".join(keys), owner)


def nearest(haystack: str, needle: str, expected: int, slack: int) -> int | None:
    """The start of `needle` in `haystack` nearest to `expected`, within `slack`; None if there is none."""
    if haystack.startswith(needle, expected):
        return expected
    lo, hi, best = max(0, expected - slack), expected + slack + len(needle), None
    at = haystack.find(needle, lo, hi)
    while at != -1:
        if best is None or abs(at - expected) < abs(best - expected):
            best = at
        at = haystack.find(needle, at + 1, hi)
    return best


def locate(novel: Novel, stream: Stream) -> list[list[range] | None]:
    """Each quote's key ranges in the stream (None: not found), quotes in novel order."""
    novel_key, offsets = keyed(novel.text)
    index_of = {offset: k for k, offset in enumerate(offsets)}
    found: list[list[range] | None] = []
    last_novel, last_stream = 0, 0
    for quote in novel.quotes:
        ranges = []
        for a, b in quote.spans:
            start = next((index_of[i] for i in range(a, b) if i in index_of), None)
            sub = "".join(ch for ch in novel.text[a:b] if ch.isalnum()).lower()
            if start is None or not sub:
                continue
            at = nearest(stream.key, sub, last_stream + start - last_novel, LOCATE_SLACK)
            if at is None:
                ranges = []
                break
            ranges.append(range(at, at + len(sub)))
            last_novel, last_stream = start + len(sub), at + len(sub)
        found.append(ranges or None)
    return found


# --- scoring -------------------------------------------------------------------------------------


@dataclass
class Score:
    """Counts, summed over novels."""

    quotes: Counter = field(default_factory=Counter)  # (type or "all", outcome) -> quotes
    segments_with_quotes: int = 0
    segments_two_speakers: int = 0
    characters: Counter = field(default_factory=Counter)  # "10+ quotes", "one label", "several labels", "no label"
    unknown_labels: Counter = field(default_factory=Counter)  # product labels naming no PDNC character -> segments
    seconds: float = 0.0

    def add(self, other: "Score") -> "Score":
        self.quotes += other.quotes
        self.segments_with_quotes += other.segments_with_quotes
        self.segments_two_speakers += other.segments_two_speakers
        self.characters += other.characters
        self.unknown_labels += other.unknown_labels
        self.seconds += other.seconds
        return self

    def scored(self, kind: str = "all") -> int:
        return sum(n for (k, outcome), n in self.quotes.items() if k == kind and outcome not in EXCLUDED)

    def share(self, outcome: str, kind: str = "all") -> float:
        return self.quotes[(kind, outcome)] / max(1, self.scored(kind))

    @property
    def two_speaker_share(self) -> float:
        return self.segments_two_speakers / max(1, self.segments_with_quotes)

    @property
    def one_label_share(self) -> float:
        return self.characters["one label"] / max(1, self.characters["10+ quotes"])


def outcome(novel: Novel, gold: str, label: str) -> str:
    if gold in UNNAMED:
        return "unnamed"
    if label == NARRATOR:
        return "right" if gold == novel.narrator else "narration"
    if label == DIALOGUE:
        return "dialogue"
    names = novel.characters_named(label)
    if len(names) > 1:
        return "ambiguous"
    if not names:
        return "unknown label"
    return "right" if gold in names else "wrong"


def score_novel(novel: Novel, segments: list[tuple[str, str]]) -> Score:
    """Score (text, speaker) segments in reading order against the novel's annotation."""
    stream = Stream.of([text for text, _ in segments])
    score = Score()
    speakers_in: dict[int, set[str]] = defaultdict(set)
    narrator_voiced = False  # a first-person narrator's own quote voiced by the narrator's voice
    for quote, ranges in zip(novel.quotes, locate(novel, stream)):
        if not any(ch.isalnum() for a, b in quote.spans for ch in novel.text[a:b]):
            result = "no words"  # '. . . . . .', '!!!!!!': nothing to speak, nothing to find
        elif ranges is None:
            result = "unnamed" if quote.speaker in UNNAMED else "unlocated"
        else:
            weight: Counter = Counter()
            for r in ranges:
                for k in r:
                    weight[segments[stream.segment[k]][1]] += 1
                    speakers_in[stream.segment[k]].add(quote.speaker)
            label = weight.most_common(1)[0][0]
            result = outcome(novel, quote.speaker, label)
            narrator_voiced |= label == NARRATOR and result == "right"
        kind = quote.type if quote.type in TYPES else "other"
        score.quotes[("all", result)] += 1
        score.quotes[(kind, result)] += 1
    score.segments_with_quotes = len(speakers_in)
    score.segments_two_speakers = sum(len(names) > 1 for names in speakers_in.values())
    score.characters, score.unknown_labels = label_counts(novel, segments, narrator_voiced)
    return score


def label_counts(novel: Novel, segments: list[tuple[str, str]], narrator_voiced: bool = False) -> tuple[Counter, Counter]:
    """Characters with 10+ quotes by how many product labels name them; labels that name no one. The
    narrator's voice is a label of a first-person narrator whose own quotes it voices ('said I')."""
    labels = Counter(speaker for _, speaker in segments if speaker not in (NARRATOR, DIALOGUE))
    named: dict[str, set[str]] = defaultdict(set)
    if narrator_voiced and novel.narrator:
        named[novel.narrator].add(NARRATOR)
    unknown: Counter = Counter()
    for label, count in labels.items():
        names = novel.characters_named(label)
        if len(names) == 1:
            named[next(iter(names))].add(label)
        elif not names:
            unknown[label] += count
    quotes = Counter(q.speaker for q in novel.quotes if q.speaker not in UNNAMED)
    characters: Counter = Counter()
    for name, count in quotes.items():
        if count >= 10:
            characters["10+ quotes"] += 1
            n = len(named[name])
            characters["one label" if n == 1 else "several labels" if n else "no label"] += 1
    return characters, unknown


def product_segments(path: Path) -> list[tuple[str, str]]:
    """The manuscript's segments as `barkbook segment` makes them: (text, speaker) in reading order."""
    from tasks.manuscript.ingest import read_manuscript
    from tasks.text.lexicon import load_lexicon
    from tasks.text.segment import segment_book

    book = read_manuscript(path)
    manifest = segment_book(book, lexicon=load_lexicon(book))
    return list(zip(manifest.text, manifest.speaker))


def score_product(name: str, root: Path = PDNC) -> Score:
    novel = load_novel(name, root)
    start = time.perf_counter()
    segments = product_segments(root / name / "novel_text.txt")
    elapsed = time.perf_counter() - start
    score = score_novel(novel, segments)
    score.seconds = elapsed
    return score


# --- the table -----------------------------------------------------------------------------------

COLUMNS = ("right", "Explicit", "Anaphoric", "Implicit", "dialogue", "narration", "two speakers", "one label",
           "unlocated", "quotes", "s")


def row(name: str, score: Score) -> list[str]:
    def pct(x: float) -> str:
        return f"{100 * x:.1f} %"
    return [name, pct(score.share("right")), *(pct(score.share("right", t)) for t in TYPES),
            pct(score.share("dialogue")), pct(score.share("narration")), pct(score.two_speaker_share),
            f"{score.characters['one label']}/{score.characters['10+ quotes']}",
            str(score.quotes[("all", "unlocated")]), str(score.scored()), f"{score.seconds:.1f}"]


def table(rows: list[list[str]]) -> str:
    lines = ["| novels | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    return "\n".join([*lines, *("| " + " | ".join(r) + " |" for r in rows)])


def novels_named(choice: list[str]) -> dict[str, tuple[str, ...]]:
    sets = {"dev": DEV, "held-out": HELD_OUT}
    if choice == ["all"]:
        return sets
    return {c: sets.get(c, (c,)) for c in choice}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("novels", nargs="*", default=["all"], help="dev, held-out, all, or novel folder names")
    parser.add_argument("--by-novel", action="store_true", help="a row per novel too")
    parser.add_argument("--labels", action="store_true", help="list product labels that name no PDNC character")
    args = parser.parse_args(argv)
    rows, total = [], Score()
    for group, names in novels_named(args.novels).items():
        pooled = Score()
        for name in names:
            score = score_product(name)
            pooled.add(score)
            if args.by_novel:
                rows.append(row(name, score))
            if args.labels and score.unknown_labels:
                print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in score.unknown_labels.most_common(15)),
                      file=sys.stderr)
        rows.append(row(f"**{group}** ({len(names)})", pooled))
        total.add(pooled)
    if len(rows) > 1:
        rows.append(row("**pooled**", total))
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
