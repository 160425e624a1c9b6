"""Shared fixtures: random-weight checkpoints in the official formats, one Prefect test harness."""

import pytest


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory):
    """A folder holding seeded random `text.pt`, `coarse.pt`, `fine.pt`, EnCodec `.th`, `vocab.txt`."""
    from bark_model.random_tiny import write_random_checkpoints

    return write_random_checkpoints(tmp_path_factory.mktemp("tiny-model"), shape="tiny", seed=0)


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """One temporary Prefect API for the whole session (~10 s to start; far more on a loaded machine)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180), temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
