"""What refusing a hostile or broken document costs (issue 35): each file of tests/hostile_documents.py read
in a fresh process, its wall time and the process's peak RSS over a process that only imports the readers.

    PYTHONPATH=. python benchmarks/bench_hostile_documents.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAKERS = ("zip_bomb_docx", "zip_bomb_odt", "billion_laughs_docx", "external_entity_odt", "truncated_docx",
          "word97_doc", "encrypted_docx", "ten_thousand_page_pdf", "deep_rtf", "truncated_rtf")
OVERSIZED = (("big.docx", b"PK\x03\x04"), ("big.pdf", b"%PDF-1.4\n"), ("big.rtf", b"{\\rtf1"))
READ = """
import json, resource, sys, time
from tasks.manuscript import read_manuscript
from tasks.core.errors import ManuscriptError
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    read_manuscript(sys.argv[1]); message = "READ (not refused)"
except ManuscriptError as err:
    message = str(err)
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "base_mib": base / 1024, "message": message.split(": ", 1)[-1]}))
"""


def measure(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True, cwd=REPO, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    sys.path.insert(0, str(REPO))
    from tests import hostile_documents as hostile
    from tasks.manuscript.limits import MAX_DOCUMENT_BYTES
    from tasks.manuscript.pdf import MAX_PDF_BYTES

    print("| file | refused with | s | peak RSS (MiB) | of which the readers' import |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        files = [getattr(hostile, name)(Path(folder)) for name in MAKERS]
        for name, head in OVERSIZED:
            limit = MAX_PDF_BYTES if name.endswith(".pdf") else MAX_DOCUMENT_BYTES
            files.append(hostile.sparse(Path(folder) / name, head, limit + 1))
        for path in files:
            row = measure(path)
            print(f"| {path.name} ({path.stat().st_size / 2**20:,.1f} MiB) | {row['message']} | {row['seconds']:.2f} | "
                  f"{row['peak_mib']:.0f} | {row['base_mib']:.0f} |")


if __name__ == "__main__":
    main()
