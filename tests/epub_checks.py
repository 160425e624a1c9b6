"""What the read-along tests share: epubcheck as a command, and SMIL/WebVTT clock values in seconds."""

import os
import shutil
import zipfile

import pytest

NS = {"smil": "http://www.w3.org/ns/SMIL", "opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml"}


def epubcheck() -> list[str]:
    """The epubcheck command; missing, the test skips here and fails under CI (which installs it). Debian's
    /usr/bin/epubcheck is the jar itself, run through binfmt where that is set up: here through java."""
    found = shutil.which("epubcheck")
    command = ([shutil.which("java"), "-jar", found] if found and zipfile.is_zipfile(found) else [found])
    if None in command:
        if os.environ.get("CI") == "true":
            pytest.fail("epubcheck (and java) must be installed under CI: apt-get install epubcheck")
        pytest.skip("epubcheck (or java) is not installed")
    return command


def seconds(clock: str) -> float:
    """h:mm:ss.fff (SMIL full clock, WebVTT) in seconds."""
    h, m, s = clock.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)
