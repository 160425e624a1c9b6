"""Segment QC: each problem it must catch, and a clean segment passing."""

import numpy as np
import pytest

from tasks.qc import QCSettings, inspect_segment

RATE = 24_000


def noise(seconds, level=0.1, seed=0):
    return (np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * level).astype(np.float32)


def test_a_segment_of_the_expected_length_passes():
    result = inspect_segment(noise(5.0), RATE, 5.0, QCSettings())
    assert result.passed and result.problems == [] and result.seconds == pytest.approx(5.0)


@pytest.mark.parametrize(
    "audio, expected, problem",
    [
        (noise(1.0), 6.0, "too short"),
        (noise(16.0), 5.0, "too long"),
        (noise(5.0, level=0.001), 5.0, "near-silent"),
        (np.concatenate([noise(2.0), np.zeros(3 * RATE, np.float32), noise(2.0)]), 7.0, "silence of 3.0 s"),
        (np.clip(noise(5.0, level=2.0), -1, 1), 5.0, "clipping"),
    ],
    ids=["truncated", "babbling", "near-silent", "inner-silence", "clipping"],
)
def test_each_problem_is_named(audio, expected, problem):
    result = inspect_segment(audio, RATE, expected, QCSettings())
    assert not result.passed
    assert any(problem in p for p in result.problems), result.problems
