"""The cover: the image given (`--cover`), the manuscript's (front matter `cover:`, a folder's cover.jpg, an
EPUB's cover image), or a plain typographic one drawn with Pillow; made square and at least 2400 px (ACX cover
art requirements: square, ≥ 2400 × 2400; Google Play ≥ 1024), as a JPEG that every file embeds.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError


from tasks.core import BarkbookError, atomic_path
from tasks.manuscript import Book

MIN_SIDE = 2400
SIDE = 3000  # what a cover is made or resized to
BACKGROUND, INK = (28, 37, 52), (238, 232, 220)


@dataclass(frozen=True)
class Cover:
    path: Path
    source: str  # where it came from: the file, "the EPUB", or "drawn"
    warnings: tuple[str, ...] = ()


def open_image(data: bytes, name: str) -> Image.Image:
    """The image in `data`, RGB; anything Pillow cannot read (or a decompression bomb) is one line naming it."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as err:
        raise BarkbookError(f"{name}: is not a cover image Pillow can read ({err})") from None
    return image.convert("RGB")


def squared(image: Image.Image, name: str) -> tuple[Image.Image, list[str]]:
    """A square image of at least MIN_SIDE: a non-square one padded with its mean colour, a small one
    resized to SIDE; each change is a warning."""
    warnings = []
    width, height = image.size
    if width != height:
        side = max(width, height)
        mean = tuple(int(v) for v in image.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0)))
        canvas = Image.new("RGB", (side, side), mean)
        canvas.paste(image, ((side - width) // 2, (side - height) // 2))
        image = canvas
        warnings.append(f"{name}: cover is {width}x{height}, not square; padded to {side}x{side}")
    if image.width < MIN_SIDE:
        warnings.append(f"{name}: cover is {image.width} px wide, under {MIN_SIDE}; resized to {SIDE}x{SIDE}")
        image = image.resize((SIDE, SIDE), Image.Resampling.LANCZOS)
    return image, warnings


def typographic_cover(title: str, author: str, side: int = SIDE) -> Image.Image:
    """Title and author in Pillow's own scalable font, centred on a plain ground."""
    image = Image.new("RGB", (side, side), BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font, author_font = ImageFont.load_default(side // 12), ImageFont.load_default(side // 20)
    lines = textwrap.wrap(title, width=18) or [title]
    y = side * 0.30
    for line in lines:
        draw.text((side / 2, y), line, font=title_font, fill=INK, anchor="mt")
        y += side // 10
    draw.line([(side * 0.3, y + side * 0.03), (side * 0.7, y + side * 0.03)], fill=INK, width=max(2, side // 300))
    draw.text((side / 2, y + side * 0.08), author, font=author_font, fill=INK, anchor="mt")
    return image


def cover_source(book: Book, given: Path | None) -> tuple[bytes, str] | None:
    """The cover's bytes and its name: the given image, else the manuscript's file, else the EPUB's."""
    for path in (given, book.cover):
        if path is not None:
            try:
                return Path(path).read_bytes(), str(path)
            except OSError as err:
                raise BarkbookError(f"{path}: cannot read the cover image ({err.strerror})") from None
    if book.cover_image:
        return book.cover_image, f"{book.source.name if book.source else book.title} (its cover image)"
    return None


def prepare_cover(book: Book, given: Path | None, path: Path) -> Cover:
    """Write the book's square cover JPEG to `path` (atomically) and say where it came from."""
    found = cover_source(book, given)
    if found is None:
        image, source, warnings = typographic_cover(book.title, book.author), "drawn", []
    else:
        data, source = found
        image, warnings = squared(open_image(data, source), source)
    with atomic_path(path) as tmp:
        image.save(tmp, format="JPEG", quality=92)
    return Cover(Path(path), source, tuple(warnings))
