"""Workers on several machines share the segment cache through an `s3://` URL.

An S3 server on 127.0.0.1 (moto's, threads of this test process) stands in for the bucket; every process
reaches it as a worker reaches a real bucket, through botocore's environment (AWS_ENDPOINT_URL and keys).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from s3_server import s3_server

REPO = Path(__file__).parents[1]
URL = "s3://barkbook-test/segments"
KEY = "shared-segment-key"

STORE_ONE = textwrap.dedent(f"""
    import os
    from prefect import flow, task
    from flows.render_book import segment_storage

    @task(cache_key_fn=lambda *_: {KEY!r}, persist_result=True)
    def render() -> int:
        return os.getpid()

    @flow
    def worker() -> int:
        return render.with_options(result_storage=segment_storage({URL!r}))()

    print(worker())
""")


@pytest.fixture
def bucket(monkeypatch):
    """The bucket `barkbook-test` on an S3 server; this process's environment points botocore at it."""
    with s3_server("barkbook-test") as env:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        yield env


def test_a_segment_one_process_stored_on_s3_is_a_cache_hit_in_another(bucket, prefect_harness):
    import fsspec
    from prefect import flow, task
    from prefect.settings import PREFECT_API_URL

    from flows.render_book import segment_storage

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONPATH": str(REPO)}
    other = subprocess.run([sys.executable, "-c", STORE_ONE], env=env, cwd=REPO, capture_output=True, text=True,
                           timeout=600)
    assert other.returncode == 0, other.stderr[-3000:]
    other_pid = int(other.stdout.split()[-1])
    assert fsspec.filesystem("s3", skip_instance_cache=True).exists(f"{URL}/{KEY}")

    calls = []

    @task(cache_key_fn=lambda *_: KEY, persist_result=True)
    def render() -> int:
        calls.append(1)
        return os.getpid()

    @flow
    def worker() -> int:
        return render.with_options(result_storage=segment_storage(URL))()

    assert worker() == other_pid and calls == []  # read back from the bucket, not rendered again


def test_a_cache_url_whose_filesystem_is_missing_is_one_line(prefect_harness):
    from flows.render_book import segment_storage
    from tasks.core.errors import BarkbookError

    with pytest.raises(BarkbookError, match=r"^segment cache nosuch://bucket/segments: .*nosuch"):
        segment_storage("nosuch://bucket/segments")
