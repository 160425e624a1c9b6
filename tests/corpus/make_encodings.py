"""Derived copies of one real corpus book in the encodings and line ends readers meet.

The Alice text from Project Gutenberg arrives as UTF-8 with a BOM and CRLF line ends; these
copies carry the very same text as UTF-16 (with BOM), Windows-1252 (its curly quotes become the
0x91-0x94 bytes that Latin-1 lacks) and UTF-8 without a BOM and with LF line ends, so a test can
demand the same book from each. Data only: nothing here reads or imports the product.

    python tests/corpus/make_encodings.py OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

BOOKS = Path(__file__).parent / "books"
SOURCE = "alice_pg11.txt"  # UTF-8 with BOM, CRLF

# name of the derived copy -> (codec, line end); Python's "utf-16" codec writes a BOM
VARIANTS: dict[str, tuple[str, str]] = {
    "alice_pg11_utf16.txt": ("utf-16", "\r\n"),
    "alice_pg11_cp1252.txt": ("cp1252", "\r\n"),
    "alice_pg11_utf8_lf.txt": ("utf-8", "\n"),
}


def derive(out_dir: Path, books: Path = BOOKS) -> dict[str, Path]:
    """Write every variant of the source book into out_dir; returns name -> path."""
    text = (books / SOURCE).read_bytes().decode("utf-8-sig")
    lines = text.replace("\r\n", "\n").split("\n")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, (codec, eol) in VARIANTS.items():
        path = out_dir / name
        path.write_bytes(eol.join(lines).encode(codec))
        written[name] = path
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    for written_path in derive(Path(sys.argv[1])).values():
        print(written_path)
