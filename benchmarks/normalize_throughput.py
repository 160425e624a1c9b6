"""Throughput of normalize_for_speech on a real book, paragraph by paragraph (as the segmenter calls it).

    PYTHONPATH=. python benchmarks/normalize_throughput.py BOOK.txt [LANGUAGE]
"""

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tasks.text.normalize import normalize_for_speech  # noqa: E402


def main() -> None:
    path, language = Path(sys.argv[1]), (sys.argv[2] if len(sys.argv) > 2 else "en")
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    words = sum(len(p.split()) for p in paragraphs)
    start = time.perf_counter()
    for paragraph in paragraphs:
        normalize_for_speech(paragraph, language)
    seconds = time.perf_counter() - start
    print(f"{path.name}: {words} words, {len(paragraphs)} paragraphs, {seconds:.2f} s, {words / seconds:,.0f} words/s")


if __name__ == "__main__":
    main()
