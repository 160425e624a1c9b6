"""Package: the book for a platform (a `Target`) from the chapters' masters — chapter and credit files
(split, named, tagged, with subtitles), the whole book (M4B), the retail sample, the cover, Audiobookshelf's
metadata, a read-along EPUB — and the delivery checks of what was encoded."""

from .assemble import assemble_chapter
from .cover import Cover, prepare_cover
from .packaging import BookPackage, Packaged, load_package, package_book, save_package
from .readalong import readalong_book
from .sample import SAMPLE_MINUTES
from .targets import TARGETS, Target, TargetName, target_named

__all__ = ["SAMPLE_MINUTES", "TARGETS", "BookPackage",
           "Cover", "Packaged", "Target", "TargetName", "assemble_chapter", "load_package", "package_book",
           "prepare_cover", "readalong_book", "save_package", "target_named"]
