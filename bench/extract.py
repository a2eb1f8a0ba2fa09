"""Tokens/s of `resid_post` (early exit after block L) against the full forward with
`output_hidden_states=True`, on the same batch in the same process, and their ratio.

A third run, the backbone alone (all blocks, no LM head), shows the bound: the early exit runs
L+1 of the blocks, so it cannot beat the backbone by more than n_blocks/(L+1).

    python bench/extract.py                 # SmolLM2-135M, L=20, CPU fp32
    python bench/extract.py --device cuda   # the CUDA default (4-bit)
"""
import argparse, statistics

import torch

from nlae.hooks import model_backbone, model_blocks, resid_post
from nlae.models import load_subject

from _timing import interleaved_times  # bench/_timing.py: this script's folder is on sys.path

TEXT = ("Natural language autoencoders explain a language model's activations in words and check, by "
        "reconstructing the activation from the words, how much those words really carry. ")

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--layer", type=int, default=20)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default=None)
    args = parser.parse_args()

    model, tokenizer = load_subject(args.model, device=args.device)
    device = next(model.parameters()).device
    ids = tokenizer(TEXT * (args.tokens // 20 + 1), return_tensors="pt").input_ids[:, :args.tokens]
    toks_BT = ids.repeat(args.batch, 1).to(device)
    n_tokens = toks_BT.numel()

    runs = {"resid_post (early exit)": lambda: resid_post(model, toks_BT, layer=args.layer),
            "full forward, output_hidden_states": lambda: model(toks_BT, output_hidden_states=True, use_cache=False).hidden_states[args.layer + 1],
            "backbone only (all blocks, no head)": lambda: model_backbone(model)(toks_BT, use_cache=False)}
    with torch.no_grad(): times = interleaved_times(runs, args.repeats, device)

    print(f"{args.model} on {device} ({model.dtype}, {'4-bit' if getattr(model, 'is_loaded_in_4bit', False) else 'full weights'}), "
          f"layer {args.layer}, batch {args.batch} x {args.tokens} tokens, median of {args.repeats}, torch threads {torch.get_num_threads()}")
    rates = {name: n_tokens / statistics.median(ts) for name, ts in times.items()}
    for name, rate in rates.items(): print(f"  {name:<36} {rate:10.0f} tokens/s")
    early, full, backbone = rates.values()
    print(f"  ratio early exit / full forward: {early / full:.2f}x")
    print(f"  ratio early exit / backbone only: {early / backbone:.2f}x "
          f"(bound {len(model_blocks(model)) / (args.layer + 1):.2f}x from the block count)")

if __name__ == "__main__":
    main()
