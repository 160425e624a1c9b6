"""Structure found by what a book is (issue 32): levels in any language, lists that are prose, end marks,
sections, title pages and contents lists that must prove themselves, letters and diaries."""

from pathlib import Path

from tasks.manuscript.ingest import read_manuscript


def book(tmp_path: Path, text: str, name: str = "b.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_manuscript(path)


def titles(book) -> list[str]:
    return [c.title for c in book.chapters]


def read_words(book) -> str:
    return " ".join(p for c in book.chapters for p in [*c.lead, *c.spoken_headings, *c.paragraphs])


PROSE = "The rain came down on the roofs of the town and nobody went out that evening at all. " * 4


def test_a_numbered_list_inside_a_letter_is_read_not_taken_for_contents(tmp_path):
    text = (f"CHAPTER I\n\n{PROSE}\n\nDear Daddy,\n\nHere are my examinations:\n\n"
            "I. Latin: Second Punic war.\nII. French: Three Musketeers.\nIII. Geometry: cylinders.\n\n"
            f"Yours, Judy\n\nCHAPTER II\n\n{PROSE}")
    read = book(tmp_path, text)
    assert titles(read) == ["CHAPTER I", "CHAPTER II"]
    assert "Second Punic war" in read_words(read) and not any(s.kind == "contents" for s in read.skipped)


def test_an_end_mark_before_the_next_part_loses_nothing(tmp_path):
    text = (f"PART ONE\n\nCHAPTER I\n\n{PROSE}\n\nFINIS\n\nPART TWO\n\nCHAPTER I\n\n{PROSE}\n\nTHE END\n\n"
            "Other books by the same publisher")
    read = book(tmp_path, text)
    assert titles(read) == ["PART ONE, CHAPTER I", "PART TWO, CHAPTER I"]
    assert [s.kind for s in read.skipped] == ["back matter"] and "publisher" not in read_words(read)


def test_a_long_stretch_after_an_end_mark_is_read_and_listed_to_check(tmp_path):
    text = f"CHAPTER I\n\n{PROSE}\n\nTHE END\n\n" + f"{PROSE}\n\n" * 40
    read = book(tmp_path, text)
    assert read_words(read).count("The rain came down") == 41 * 4
    assert [d.kind for d in read.doubts] == ["text after an end mark, read"]


def test_french_parts_are_a_level_and_bare_chapters_are_named_in_french(tmp_path):
    text = "".join(f"{part}\n\nI\n\n{PROSE}\n\nII\n\n{PROSE}\n\n" for part in ("PREMIÈRE PARTIE", "DEUXIÈME PARTIE"))
    header = "Title: Le Livre\nLanguage: French\n\n*** START OF THE PROJECT GUTENBERG EBOOK LE LIVRE ***\n\n"
    read = book(tmp_path, header + text + "\n\n*** END OF THE PROJECT GUTENBERG EBOOK LE LIVRE ***\n")
    assert titles(read) == ["PREMIÈRE PARTIE, Chapitre I", "PREMIÈRE PARTIE, Chapitre II",
                                 "DEUXIÈME PARTIE, Chapitre I", "DEUXIÈME PARTIE, Chapitre II"]
    assert read.chapters[-2].spoken_headings == ["DEUXIÈME PARTIE", "Chapitre I"]


def test_spanish_and_german_ordinal_parts_hold_their_chapters(tmp_path):
    text = "".join(f"{part}\n\nCAPÍTULO I\n\n{PROSE}\n\nCAPÍTULO II\n\n{PROSE}\n\n"
                   for part in ("Primera parte", "Segunda parte"))
    assert titles(book(tmp_path, text))[1] == "Primera parte, CAPÍTULO II"
    german = "".join(f"{n} Kapitel\n\n{PROSE}\n\n" for n in ("Erstes", "Zweites", "Achtzehntes"))
    assert titles(book(tmp_path, german, "de.txt")) == ["Erstes Kapitel", "Zweites Kapitel", "Achtzehntes Kapitel"]


def test_a_part_inside_a_chapter_stays_inside_it(tmp_path):
    text = (f"BOOK I\n\nCHAPTER X\n\n{PROSE}\n\nPART I.--Of wages.\n\n{PROSE * 3}\n\nPART II.--Of profit.\n\n"
            f"{PROSE * 3}\n\nCHAPTER XI\n\n{PROSE}")
    read = book(tmp_path, text)
    assert titles(read) == ["BOOK I, CHAPTER X", "BOOK I, CHAPTER XI"]
    assert "PART II.--Of profit." in read.chapters[0].paragraphs


def test_a_finale_and_an_epilogue_are_chapters_of_the_book(tmp_path):
    text = f"PRELUDE\n\n{PROSE}\n\nBOOK ONE\n\nCHAPTER I\n\n{PROSE}\n\nCHAPTER II\n\n{PROSE}\n\nFINALE\n\n{PROSE}"
    assert titles(book(tmp_path, text)) == ["PRELUDE", "BOOK ONE, CHAPTER I", "BOOK ONE, CHAPTER II", "FINALE"]


def test_every_story_of_a_collection_is_a_chapter_and_its_sections_stay_inside(tmp_path):
    stories = ("THE SISTERS", "AN ENCOUNTER", "COUNTERPARTS")
    contents = "CONTENTS\n\n" + "\n".join(stories) + "\n\n"
    body = "".join(f"{title}\n\nI\n\n{PROSE}\n\nII\n\n{PROSE}\n\n" for title in stories)
    read = book(tmp_path, contents + body)
    assert titles(read) == list(stories)
    assert not any("COUNTERPARTS" in p for c in read.chapters for p in c.paragraphs)


def test_numbered_poems_run_past_the_numerals_that_look_like_initials(tmp_path):
    poem = "Hope is the thing with feathers\nThat perches in the soul,\nAnd sings the tune without the words"
    text = "".join(f"{n}.\n\n{poem}\n\n" for n in ("XLVIII", "XLIX", "L", "LI"))
    assert titles(book(tmp_path, text)) == ["XLVIII.", "XLIX.", "L.", "LI."]


def test_a_date_line_is_never_a_chapter_and_a_long_book_of_letters_is_cut_between_letters(tmp_path):
    letters = "".join(f"6.30, Saturday\n\nDear Daddy,\n\n{PROSE * 30}\n\nYours ever,\nJudy\n\n" for _ in range(14))
    read = book(tmp_path, letters)
    assert len(read.chapters) > 1 and all(c.title.startswith(("B", "6.30")) for c in read.chapters)
    assert all(c.paragraphs[0] == "6.30, Saturday" for c in read.chapters[1:])


def test_a_publishers_title_page_is_not_read_but_a_dedication_is(tmp_path):
    text = ("THE TIN BELL\n\nBY\n\nANN EXAMPLE\n\nH. M. CALDWELL COMPANY\nPUBLISHERS\n\nTO MY MOTHER\n\n"
            f"CHAPTER I\n\n{PROSE}")
    read = book(tmp_path, text)
    assert (read.title, read.author) == ("The Tin Bell", "Ann Example")
    assert "CALDWELL" not in read_words(read) and read.chapters[0].lead == ["TO MY MOTHER"]


def test_a_contents_list_that_names_no_heading_is_read_and_listed_to_check(tmp_path):
    text = f"CONTENTS\n\nThe Garden\nThe Gate\nThe Key\n\n{PROSE}"
    read = book(tmp_path, text)
    assert "The Garden The Gate The Key" in read_words(read)
    assert [d.kind for d in read.doubts] == ["contents list naming no heading of the book"]


def test_the_contents_list_is_left_out_where_it_names_the_headings(tmp_path):
    text = f"CONTENTS\n\nI. The Garden\nII. The Gate\n\nI. The Garden\n\n{PROSE}\n\nII. The Gate\n\n{PROSE}"
    read = book(tmp_path, text)
    assert titles(read) == ["I. The Garden", "II. The Gate"] and [s.kind for s in read.skipped] == ["contents"]


def test_an_etext_note_before_the_first_chapter_is_not_read(tmp_path):
    note = ("This text is a combination of etexts, one from the now-defunct ERIS project at Virginia Tech and "
            "one from Project Gutenberg's archives. The proofreaders of this version are indebted to The "
            "University of Adelaide Library for the text.")
    read = book(tmp_path, f"THE TIN BELL\n\nby Ann Example\n\n{note}\n\nCHAPTER I\n\n{PROSE}")
    assert "proofreaders" not in read_words(read) and titles(read) == ["CHAPTER I"]


def letters_text(n: int = 24) -> str:
    """Letters headed by a numeral and who writes to whom, opened by a place line, signed by a name alone."""
    heads = ("LADY SUSAN TO MRS. JOHNSON", "MRS. VERNON TO LADY DE COURCY", "MR. DE COURCY TO MRS. VERNON")
    letters = [f"{roman(k)}\n\n\n{heads[k % 3]}\n\n\nChurchhill.\n\n\nMy dear Alicia,--{PROSE}\n\n"
               f"Your affectionate\n\nS. VERNON.\n\n\n\n" for k in range(1, n + 1)]
    return "LADY SUSAN\n\nby Jane Austen\n\n" + "".join(letters)


def roman(n: int) -> str:
    tens, ones = divmod(n, 10)
    return "X" * tens + ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[ones]


def test_letters_place_lines_and_signatures_are_read_not_taken_for_a_play_or_a_level(tmp_path):
    """Lady Susan: 'Churchhill.' and 'CATHERINE VERNON.' looked like speech prefixes with no speech (lost
    silently), and 'S. VERNON.' over each numeral like a level above the letters."""
    read = book(tmp_path, letters_text())
    assert [c.title.split(".")[0] for c in read.chapters] == [roman(k) for k in range(1, 25)]
    assert all(c.paragraphs[0] == "Churchhill." and c.paragraphs[-1] == "S. VERNON." for c in read.chapters)


def test_a_lists_numbered_items_are_text_not_chapters(tmp_path):
    text = f"CHAPTER I\n\n{PROSE}\n\nCHAPTER II\n\n{PROSE}\n\nItem one\n\nItem two\n\nThe end of the list, and more.\n"
    read = book(tmp_path, text)
    assert [c.title for c in read.chapters] == ["CHAPTER I", "CHAPTER II"]
    assert read.chapters[1].paragraphs[-3:] == ["Item one", "Item two", "The end of the list, and more."]


def test_a_line_broken_off_by_a_dash_after_a_bare_number_is_prose_not_its_title(tmp_path):
    """Silas Marner: 'XXI' then 'The next morning, … he said to her—', the sentence going on in the next paragraph."""
    text = (f"CHAPTER XX\n\n{PROSE}\n\nCHAPTER XXI\n\nThe next morning, when Silas and Eppie were at breakfast, "
            f"he said to her—\n\n“Eppie, there’s a thing I’ve had on my mind.”\n\n{PROSE}")
    read = book(tmp_path, text)
    assert titles(read) == ["CHAPTER XX", "CHAPTER XXI"] and read.chapters[1].paragraphs[0].startswith("The next")


def test_an_attribution_under_a_preface_is_not_a_section_title(tmp_path):
    """The Devil's Dictionary's preface, signed '—A. B.' right over the first heading."""
    text = f"PREFACE\n\n{PROSE}\n\n—A. B.\n\nCHAPTER I\n\n{PROSE}\n\nCHAPTER II\n\n{PROSE}"
    read = book(tmp_path, text)
    assert titles(read) == ["PREFACE", "CHAPTER I", "CHAPTER II"] and read.chapters[0].paragraphs[-1] == "—A. B."


def test_a_poems_first_line_under_its_number_is_verse_not_its_title_when_each_line_is_a_paragraph(tmp_path):
    """pandoc's ODT of A Shropshire Lad: every line of verse a paragraph; 'II.' took 'Loveliest of trees, the cherry
    now' as its title, while 'THE RECRUIT' under 'III.' names its poem."""
    lines = ("Loveliest of trees, the cherry now", "Is hung with bloom along the bough,",
             "And stands about the woodland ride", "Wearing white for Eastertide.")
    recruit = ("Leave your home behind, lad,", "And reach your friends your hand,", "And go, and luck go with you")
    poems = [("I.", ("From Clee to heaven the beacon burns,", "The shires have seen it plain,", "From north and south")),
             ("II.", lines), ("III.", ("THE RECRUIT", *recruit))]
    text = "\n\n".join(f"{number}\n\n" + "\n\n".join(body) for number, body in poems)
    read = book(tmp_path, text)
    assert titles(read) == ["I.", "II.", "III. THE RECRUIT"] and read.chapters[1].paragraphs[0] == lines[0]


def test_a_quoted_title_in_capitals_under_a_bare_number_is_its_title(tmp_path):
    """Twenty Thousand Leagues: 'CHAPTER XXII' over '"AEGRI SOMNIA"', as the HTML edition's <h3> says."""
    text = f'CHAPTER XXI\n\nA BALL OF LIGHTNING\n\n{PROSE}\n\nCHAPTER XXII\n\n"AEGRI SOMNIA"\n\n{PROSE}'
    assert titles(book(tmp_path, text)) == ["CHAPTER XXI. A BALL OF LIGHTNING", 'CHAPTER XXII. "AEGRI SOMNIA"']
