"""Non-causal GPT of Bark's fine stage: predicts codebook k of a whole window from codebooks 0..k.

Official parameter names; LayerNorms always carry a bias; `lm_heads[k-1]` is tied to `wtes[k]`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .gpt import Block, GPTConfig, LayerNorm


@dataclass
class FineGPTConfig(GPTConfig):
    """The fine checkpoint's `model_args`: GPTConfig plus the codebook counts."""

    n_codes_total: int = 8
    n_codes_given: int = 1


class FineGPT(nn.Module):
    """One token embedding per codebook; `lm_heads[k-1]` is tied to `wtes[k]`."""

    def __init__(self, config: FineGPTConfig):
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(
            dict(
                wtes=nn.ModuleList(
                    [nn.Embedding(config.input_vocab_size, config.n_embd) for _ in range(config.n_codes_total)]
                ),
                wpe=nn.Embedding(config.block_size, config.n_embd),
                h=nn.ModuleList([Block(config, causal=False, norm_bias=True) for _ in range(config.n_layer)]),
                ln_f=LayerNorm(config.n_embd, bias=True),
            )
        )
        n_heads = config.n_codes_total - config.n_codes_given
        self.lm_heads = nn.ModuleList(
            [nn.Linear(config.n_embd, config.output_vocab_size, bias=False) for _ in range(n_heads)]
        )
        for i, head in enumerate(self.lm_heads):  # tied, as the reference ties them after building
            self.transformer.wtes[i + 1].weight = head.weight

    def forward(self, pred_idx: int, idx: torch.Tensor, vocab: slice | None = None) -> torch.Tensor:
        """idx (B, T, n_codes) → logits (B, T, vocab) for codebook `pred_idx` (≥ 1); `vocab` computes
        only those logits (generation reads the 1,024 codes, not the 32 extra rows of the head)."""
        if not self.config.n_codes_given <= pred_idx < self.config.n_codes_total:
            raise ValueError(f"pred_idx {pred_idx} is not a predicted codebook")
        B, T, _ = idx.shape
        # all codebooks embedded, then 0..pred_idx summed: the reference's exact summation order
        emb = torch.stack([wte(idx[:, :, i]) for i, wte in enumerate(self.transformer.wtes)], dim=-1)  # (B, T, C, 8)
        x = emb[:, :, :, : pred_idx + 1].sum(dim=-1)  # (B, T, C)
        x = x + self.transformer.wpe(torch.arange(T, device=idx.device))[None]
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        head = self.lm_heads[pred_idx - self.config.n_codes_given].weight
        return F.linear(x, head if vocab is None else head[vocab])  # (B, T, vocab)
