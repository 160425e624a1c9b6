"""Which heading-like lines are the book's chapters, which a level above them, which sections inside.

Read from the pattern the book repeats, in any language, as a person reads a contents page:
- a form counts where the project knows its word (Chapter, Part, Livre, Teil, Parte, …) or where the
  book repeats it with different numbers ("Adventure", "Stave", "Phase", "runo");
- a form whose headings each stand right above another form's heading holds it: "PART ONE" over
  "Chapter 1", "Phase the First" over "I", "ACT I" over "SCENE I", a story's title over its "I." —
  unnamed levels (markup ranks, titles listed in the contents) are held and hold the same way;
- held numerals that start again at one under each short holder that is not a known part word are
  sections of one chapter (a story's I, II, III); under a part word, or numbered on through the
  book, they are chapters (Anna Karenina's chapters, Tess's numerals under its Phases);
- a part heading that stands inside a chapter's prose, holding no chapter (a treatise's "PART II"
  within a chapter), is read there as text, not a level above the chapters that follow;
- Prologue, Introduction, Finale, Epilogue, … are chapters, or a level when they hold chapters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from .headings import Heading, is_known_form, is_part_form, loose

CHAPTER, SECTION = 0, -1  # levels: parts are 1, 2, … above chapters; None is text
INSIDE = -2  # a part word inside chapters (a treatise's "PART II"): text there, a part only before the first chapter
INTRO_WORDS = 400  # text a part heading may carry before its first chapter (an epigraph, an argument)
MAX_SECTIONED_WORDS = 15_000  # a piece this short whose numerals restart is one chapter (a story's I, II, III)
MIN_MARKUP_WORDS = 20  # a marked-up heading form followed by less text than this, holding nothing, is typography
LEVEL_FORMS = ("#named", "#listed", "#work", "#user", "#han", "#caps")  # headings wherever they stand


@dataclass
class Mark:
    """A heading-like block: where it stands, how it reads, and the words of text up to the next one."""

    index: int
    heading: Heading
    words_after: int = 0


def kept_forms(marks: list[Mark]) -> set[str]:
    """Forms that are the book's headings: known ones, and unknown keywords it repeats with new numbers."""
    counts = Counter(m.heading.form for m in marks)
    numbers: dict[str, set[str]] = defaultdict(set)
    for m in marks:
        numbers[m.heading.form].add(m.heading.number.lower())
    kept = set()
    for form, count in counts.items():
        if form.startswith("~"):
            ok = count >= 3 and len(numbers[form]) >= 3
        elif form == "#caps":  # mostly one text again and again ('S. VERNON.' over each letter): a signature
            ok = count >= 2 and len({loose(m.heading.text) for m in marks if m.heading.form == form}) >= count / 2
        else:
            ok = is_known_form(form) or (count >= 2 and len(numbers[form]) >= 2)
        if ok:
            kept.add(form)
    return kept


def with_letter_numerals(marks: list[Mark]) -> list[Mark]:
    """'L.', 'C.' are headings where they continue the roman numerals before them ('XLIX.' then 'L.')."""
    out, last = [], None
    for m in marks:
        h = m.heading
        if h.form == "#letter-numeral":
            if last is None or h.value != last + 1:
                continue
            m = Mark(m.index, Heading(h.text, "#roman", h.number, h.title, h.rank), m.words_after)
        if m.heading.form == "#roman":
            last = m.heading.value
        out.append(m)
    return out


def intro_words(form: str) -> int:
    """The text a heading of this form may carry above the headings it holds: a part's or a markup
    level's epigraph or argument; none for other forms."""
    return INTRO_WORDS if is_part_form(form) or form.startswith("#h") else 0


def holds(marks: list[Mark]) -> dict[str, Counter]:
    """form -> Counter of the forms its headings stand right above."""
    held: dict[str, Counter] = defaultdict(Counter)
    for m, after in zip(marks, marks[1:]):
        if after.heading.form != m.heading.form and m.words_after <= intro_words(m.heading.form) \
                and not outranked(m.heading, after.heading):
            held[m.heading.form][after.heading.form] += 1
    return held


def outranked(holder: Heading, after: Heading) -> bool:
    """Markup says the next heading is not under this one: an <h5> never holds an <h3>, and an <h2> holds
    an <h2> only where its words name a part ('PART TWO—The Sea-cook' over '7', both <h2>)."""
    if not (holder.rank and after.rank):
        return False
    return after.rank < holder.rank or (after.rank == holder.rank and not is_part_form(holder.form))


def restarts(marks: list[Mark], holder: str, form: str) -> bool:
    """The held form's numbers start again at one under each holder heading (after the first)."""
    firsts, under = [], False
    for m in marks:
        if m.heading.form == holder:
            under = True
        elif m.heading.form == form and under:
            firsts.append(m.heading.value)
            under = False
    return len(firsts) >= 2 and sum(v == 1 for v in firsts) >= 0.5 * len(firsts)


def unit_words(marks: list[Mark], holder: str) -> float:
    """The mean words from one holder heading to the next."""
    units, current = [], None
    for m in marks:
        if m.heading.form == holder:
            if current is not None:
                units.append(current)
            current = 0
        if current is not None:
            current += m.words_after
    units += [current] if current is not None else []
    return sum(units) / len(units) if units else 0.0


def form_levels(marks: list[Mark]) -> dict[str, int]:
    """Form -> level: CHAPTER, SECTION, or 1, 2, … for the levels above chapters."""
    counts = Counter(m.heading.form for m in marks)
    held = holds(marks)
    above: dict[str, set[str]] = defaultdict(set)  # form -> forms it holds
    sections: set[str] = set()
    for holder, under in held.items():
        for form, n in under.items():
            if is_section(marks, holder, form):
                sections.add(form)
            elif n > 0.5 * counts[holder] and counts[form] >= counts[holder] and holder not in above.get(form, set()):
                above[holder].add(form)
    keywords = [f for f in counts if not f.startswith(("#", "~")) and not is_part_form(f)]
    if keywords:  # numerals neither held nor holding, inside a keyword's chapters, are its sections
        sections |= {f for f in counts if f in ("#roman", "#arabic") and f not in above
                     and not any(f in forms for forms in above.values())}
    levels = {f: SECTION for f in sections}
    for form in counts:
        if form not in sections:
            levels[form] = depth(form, above, sections, set())
    others = sum(counts[f] for f, level in levels.items() if level == CHAPTER and not is_part_form(f)
                 and f not in LEVEL_FORMS)
    for form in counts:  # a part word holding no chapter among as many chapters of another form: inside them
        if is_part_form(form) and levels[form] == CHAPTER and others >= counts[form]:
            levels[form] = INSIDE
    if not any(level == CHAPTER for level in levels.values()):  # only parts: the most frequent is the chapter
        top = max((f for f in levels if levels[f] > 0), key=lambda f: counts[f], default=None)
        if top is not None:
            levels[top] = CHAPTER
    return levels


def is_section(marks: list[Mark], holder: str, form: str) -> bool:
    """Numerals restarting under a short holder that no word names a part: a story's I, II, III
    (bare numerals, written so or marked up as headings)."""
    numerals = all(m.heading.value is not None and not m.heading.title for m in marks if m.heading.form == form)
    bare = form in ("#roman", "#arabic") or (form.startswith("#h") and numerals)
    return (bare and not is_part_form(holder) and restarts(marks, holder, form)
            and unit_words(marks, holder) <= MAX_SECTIONED_WORDS)


def depth(form: str, above: dict[str, set[str]], sections: set[str], seen: set[str]) -> int:
    """0 for a form holding no other heading form, else one more than the deepest form it holds."""
    if form in seen:
        return CHAPTER
    under = [f for f in above.get(form, ()) if f not in sections]
    return 1 + max(depth(f, above, sections, seen | {form}) for f in under) if under else CHAPTER


def instance_levels(marks: list[Mark], levels: dict[str, int]) -> dict[int, int | None]:
    """Each heading's level; a part heading that holds no chapter after the first chapter is text."""
    out: dict[int, int | None] = {}
    seen_chapter = False
    for k, m in enumerate(marks):
        level = levels.get(m.heading.form)
        if level is None:
            continue
        nxt = marks[k + 1] if k + 1 < len(marks) else None
        holding = nxt is not None and m.words_after <= intro_words(m.heading.form) \
            and levels.get(nxt.heading.form, -9) in (CHAPTER, SECTION)
        if level == INSIDE:
            level = None if seen_chapter else 1
        elif level > CHAPTER and not holding and seen_chapter and levels.get(nxt.heading.form if nxt else "", -9) < 1:
            level = None  # 'PART II.--Inequalities …' inside a chapter: read as text
        elif level == CHAPTER and m.heading.form in LEVEL_FORMS and m.words_after == 0 and nxt is not None \
                and levels.get(nxt.heading.form) == CHAPTER and nxt.heading.form not in LEVEL_FORMS \
                and nxt.heading.value is not None:
            level = max(levels.values())  # 'FIRST EPILOGUE' over its own chapters is a part
        out[m.index] = level
        seen_chapter |= level == CHAPTER
    return with_long_pieces_split(marks, out)


def with_long_pieces_split(marks: list[Mark], out: dict[int, int | None]) -> dict[int, int | None]:
    """A piece longer than MAX_SECTIONED_WORDS (a long story among short ones) is not one chapter: its
    sections are its chapters, and it is a level above them."""
    for k, m in enumerate(marks):
        if out.get(m.index) != CHAPTER:
            continue
        end = next((j for j in range(k + 1, len(marks))
                    if out.get(marks[j].index) != SECTION or marks[j].heading.title), len(marks))
        if end > k + 1 and sum(x.words_after for x in marks[k:end]) > MAX_SECTIONED_WORDS:
            out[m.index] = 1
            out.update({x.index: CHAPTER for x in marks[k + 1:end]})
    return out


def heading_levels(candidates: dict[int, Heading], block_words: list[int]) -> dict[int, int | None]:
    """Block index -> level (parts 1.., CHAPTER, SECTION, None: text) for the heading-like blocks;
    `block_words`: each block's words, the text between headings being what tells them apart."""
    marks = measured([Mark(i, h) for i, h in sorted(candidates.items())], block_words)
    marks = measured(with_letter_numerals(marks), block_words)
    kept = kept_forms(marks)
    marks = measured([m for m in marks if m.heading.form in kept], block_words)
    empty = empty_markup_forms(marks)
    marks = measured([m for m in marks if m.heading.form not in empty], block_words)
    return instance_levels(marks, form_levels(marks))


def empty_markup_forms(marks: list[Mark]) -> set[str]:
    """Marked-up lines, or lines of a word the project does not know, that neither lead text nor hold a heading
    ('THE END OF THE FIRST BOOK.' in <h5>, a running title in <h4>, a list's 'Item one', 'Item two'): read as text."""
    held = holds(marks)
    words: dict[str, list[int]] = defaultdict(list)
    for m in marks:
        words[m.heading.form].append(m.words_after)
    return {form for form, counts in words.items() if is_guessed(form) and not held.get(form)
            and sorted(counts)[len(counts) // 2] < MIN_MARKUP_WORDS}


def is_guessed(form: str) -> bool:
    """A form read from markup ranks ('#h3') or from a word the book repeats with numbers ('Stave', 'Item')."""
    return form.startswith("#h") or not (form.startswith(("#", "~")) or is_known_form(form))


def measured(marks: list[Mark], block_words: list[int]) -> list[Mark]:
    """Each mark with the words of text from it to the next mark."""
    stops = [m.index for m in marks[1:]] + [len(block_words)]
    return [Mark(m.index, m.heading, sum(block_words[m.index + 1:stop])) for m, stop in zip(marks, stops)]
