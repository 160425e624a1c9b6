"""BatchingEngine: concurrent callers are served in batches, each gets its own row."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bark_model.batching import BatchingEngine
from bark_model.engine import GenerationParams


class EchoEngine:
    """Stands in for BarkEngine: returns each row's (text, seed) and records the batch sizes."""

    def __init__(self, fail_on: str | None = None):
        self.calls: list[list[str]] = []
        self.fail_on = fail_on
        self.lock = threading.Lock()

    def generate_batch(self, texts, voices, params, seeds, max_seconds=None):
        with self.lock:
            self.calls.append(list(texts))
        if self.fail_on in texts:
            raise ValueError(f"cannot speak {self.fail_on!r}")
        return [(t, s, params) for t, s in zip(texts, seeds)]


def test_concurrent_requests_share_batches_and_get_their_own_rows():
    engine = EchoEngine()
    batcher = BatchingEngine(engine, max_batch=4, max_wait_s=30.0)  # 8 callers fill a batch of 4: no waiting on time
    texts = [f"sentence {i}" for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        rows = list(pool.map(lambda i: batcher.generate(texts[i], None, GenerationParams(), i), range(8)))
    assert [(t, s) for t, s, _ in rows] == [(t, i) for i, t in enumerate(texts)]
    assert max(len(c) for c in engine.calls) > 1
    assert all(len(c) <= 4 for c in engine.calls)
    assert sorted(sum(engine.calls, [])) == sorted(texts)
    assert batcher.batches_run == len(engine.calls)


def test_requests_with_different_params_never_share_a_batch():
    engine = EchoEngine()
    batcher = BatchingEngine(engine, max_batch=2, max_wait_s=30.0)  # two callers of each kind fill a batch at once
    greedy, default = GenerationParams.greedy(), GenerationParams()
    with ThreadPoolExecutor(4) as pool:
        rows = list(pool.map(lambda i: batcher.generate(f"t{i}", None, (greedy, default)[i % 2], i), range(4)))
    assert [p for _, _, p in rows] == [greedy, default, greedy, default]
    for call in engine.calls:
        assert len({int(t[1:]) % 2 for t in call}) == 1


def test_a_failing_request_fails_alone():
    engine = EchoEngine(fail_on="bad")
    batcher = BatchingEngine(engine, max_batch=4, max_wait_s=0.2)
    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(batcher.generate, t, None, GenerationParams(), 0) for t in ("ok", "bad", "fine")]
        with pytest.raises(ValueError, match="cannot speak 'bad'"):
            futures[1].result()
        assert futures[0].result()[0] == "ok" and futures[2].result()[0] == "fine"
