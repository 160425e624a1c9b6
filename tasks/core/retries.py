"""Trying again after a failure that may pass: one loop for a segment's render and a chapter's server calls."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from .logs import run_logger

Made = TypeVar("Made")


def brief(err: BaseException) -> str:
    return f"{type(err).__name__}: {str(err)[:200]}"


def retrying(make: Callable[[], Made], what: str, delays_s: tuple[float, ...], worth_retrying: Callable[[BaseException], bool],
             explain: Callable[[BaseException], str] = brief, sleep: Callable[[float], object] = time.sleep) -> Made:
    """`make()`, tried again after each delay (a warning naming `what` and `explain(err)` logged) while it
    fails in a way `worth_retrying` says may pass; the failure that ends it is raised."""
    for delay in delays_s:
        try:
            return make()
        except Exception as err:
            if not worth_retrying(err):
                raise
            run_logger().warning(f"{what}: {explain(err)}; trying again in {delay:g} s")
            sleep(delay)
    return make()
