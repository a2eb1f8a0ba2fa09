"""AR warm-start (SFT) tokens/s of the truncated shared-base AR against a naive AR that runs the
full model and discards the logits, on the same data in the same process, and their ratio.

Both are the same NLA (SmolLM2-135M, adapter `ar`, identity value head) doing a full training step
(forward, nla_mse, backward, AdamW); only the forward differs: `ar_forward` stops after block K, the
naive one runs all blocks and the LM head with `output_hidden_states=True` and reads block K's output.

    python bench/train.py                 # SmolLM2-135M, K=L=20, CPU fp32
    python bench/train.py --device cuda   # the CUDA default (4-bit)
"""
import argparse, statistics

import torch

from nlae.models import load_subject, tokenize
from nlae.reconstructor import NLA, ar_forward, last_token_index, nla_mse

from _timing import interleaved_times  # bench/_timing.py: this script's folder is on sys.path

SUMMARIES = ["The text explains how a recipe for bread works and will next list the baking time.",
             "Two friends argue about a trip to the sea; one of them is about to suggest the mountains.",
             "A Python function parses a configuration file and is about to return a dictionary.",
             "A paragraph about the history of Paris, now turning to the building of the Eiffel Tower."]

def naive_forward(nla, texts):
    "The AR's reconstructions computed the wasteful way: every block, the final norm and the logits."
    batch = tokenize(nla.tokenizer, [nla.config.ar_template.format(explanation=t) for t in texts])
    out = nla.model(**batch, output_hidden_states=True, use_cache=False)
    hidden_BTD = out.hidden_states[nla.config.ar_layer + 1]
    return nla.head(hidden_BTD[torch.arange(len(texts)), last_token_index(batch["attention_mask"])].float())

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--layer", type=int, default=20)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default=None)
    args = parser.parse_args()

    model, tokenizer = load_subject(args.model, device=args.device)
    nla = NLA.from_subject((model, tokenizer), args.layer, injection_scale=1.0, subject_name=args.model)
    device = nla.head.weight.device
    texts = (SUMMARIES * args.batch)[:args.batch]
    targets_BD = torch.randn(args.batch, nla.config.d_model, generator=torch.Generator().manual_seed(0)).to(device)
    n_tokens = int(tokenize(tokenizer, [nla.config.ar_template.format(explanation=t) for t in texts])["attention_mask"].sum())
    params = nla.parameters("ar")
    for p in params: p.requires_grad_(True)
    nla.model.set_adapter("ar")
    optimizer = torch.optim.AdamW(params, lr=1e-5)

    def step(forward):
        def run():
            nla_mse(forward(nla, texts), targets_BD).mean().backward()
            optimizer.step(); optimizer.zero_grad(set_to_none=True)
        return run
    runs = {"truncated AR (early exit after K)": step(lambda nla, t: nla.ar_forward(t)),
            "naive AR (full model, logits discarded)": step(naive_forward)}
    with torch.no_grad(): test_BD = nla.ar_forward(texts[:2]), naive_forward(nla, texts[:2])
    assert torch.allclose(*test_BD, atol=1e-3, rtol=1e-4), "the two ARs disagree; the comparison would be meaningless"
    times = interleaved_times(runs, args.repeats, device)

    print(f"{args.model} on {device} ({model.dtype}), AR reads block {args.layer} of {model.config.num_hidden_layers}, "
          f"batch {args.batch} ({n_tokens} real tokens), full SFT step, median of {args.repeats}, torch threads {torch.get_num_threads()}")
    rates = {name: n_tokens / statistics.median(ts) for name, ts in times.items()}
    for name, rate in rates.items(): print(f"  {name:<42} {rate:9.0f} tokens/s")
    truncated, naive = rates.values()
    print(f"  ratio truncated / naive: {truncated / naive:.2f}x")

if __name__ == "__main__":
    main()
