"""A busy Prefect server does not fail a book: a chapter is tried again, and at last fails as one line."""

import httpx
import pytest

from flows.chapter_runs import with_server_retries
from tasks.core.errors import BarkbookError


def server_error(status: int) -> httpx.HTTPStatusError:
    request = httpx.Request("POST", "http://127.0.0.1:4200/api/task_runs/")
    return httpx.HTTPStatusError(f"{status} from the server", request=request, response=httpx.Response(status, request=request))


class Flaky:
    """Fails with `errors` in turn, then returns its count of calls."""

    def __init__(self, *errors):
        self.errors, self.calls = list(errors), 0

    def __call__(self):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"calls": self.calls}


def test_a_chapter_the_server_failed_with_503_is_tried_again_after_each_delay():
    slept = []
    run = Flaky(server_error(503), httpx.ConnectError("connection refused"))
    assert with_server_retries(run, "chapter 01-x", delays_s=(1.0, 2.0, 3.0), sleep=slept.append) == {"calls": 3}
    assert slept == [1.0, 2.0]


def test_a_server_that_keeps_failing_ends_in_one_line_naming_the_chapter():
    run = Flaky(*[server_error(503)] * 3)
    with pytest.raises(BarkbookError, match=r"^chapter 01-x: the Prefect server kept failing .*run the book again"):
        with_server_retries(run, "chapter 01-x", delays_s=(1.0, 1.0), sleep=lambda s: None)
    assert run.calls == 3


def test_a_client_error_is_not_retried():
    run = Flaky(server_error(404))
    with pytest.raises(httpx.HTTPStatusError):
        with_server_retries(run, "chapter 01-x", delays_s=(1.0,), sleep=lambda s: None)
    assert run.calls == 1
