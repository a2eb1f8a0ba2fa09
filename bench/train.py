"""Warm-start (SFT) step speed, each pair on the same data in the same process, with their ratio:
the AR's tokens/s, truncated shared-base AR against a naive AR that runs the full model and discards
the logits; and the AV's tokens/s and examples/s, today's design (the chat template's default system
message, the long AV template, topic-and-last-sentence targets) against the short prompt and the
shorter targets that lead with the token.

Both are the same NLA (SmolLM2-135M, adapter `ar`, identity value head) doing a full training step
(forward, nla_mse, backward, AdamW); only the forward differs: `ar_forward` stops after block K, the
naive one runs all blocks and the LM head with `output_hidden_states=True` and reads block K's output.

    python bench/train.py                 # SmolLM2-135M, K=L=20, CPU fp32
    python bench/train.py --device cuda   # the CUDA default (4-bit)

The AV step counts every token it runs (prompt and answer), but an example is an example: examples/s
is what the demo's budget buys.
"""
import argparse, statistics

import torch

from nlae.models import load_subject, tokenize
from nlae.nla import NLA
from nlae.reconstructor import last_token_index, nla_mse
from nlae.summarize import FactsSummarizer, HeuristicSummarizer
from nlae.verbalizer import AV_TEMPLATE, SHORT_AV_TEMPLATE, av_sft_batch, build_av_prompt

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
    parser.add_argument("--av-batch", type=int, default=8)
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
    bench_av(nla, args)

CONTEXTS = ["The Eiffel Tower was built for the 1889 World's Fair. Critics called the tower ugly, but the tower became a symbol of Par",
            "def fibonacci(n):\n    if n < 2:\n        return n\n    return fibonacci(n - 1) + fibonacci(n - 2)\n\nprint(fibon",
            "She opened the door. It was a cold and windy night and the old lighthouse keeper walked slowly along the rocky shore",
            "Stock prices fell sharply on Monday as investors worried that the central bank would raise interest rates again"]

def bench_av(nla, args):
    "One AV SFT step (injection, CE of the answer, backward, AdamW) with today's prompt and targets against the short ones."
    tokenizer, device = nla.tokenizer, nla.head.weight.device
    contexts = (CONTEXTS * args.av_batch)[:args.av_batch]
    acts_BD = torch.randn(args.av_batch, nla.config.d_model, generator=torch.Generator().manual_seed(1)).to(device)
    designs = {"today: chat prompt, topic + last sentence": (build_av_prompt(tokenizer, AV_TEMPLATE), HeuristicSummarizer()(contexts)),
               "short prompt, token-first targets": (build_av_prompt(tokenizer, SHORT_AV_TEMPLATE, system=""),
                                                     FactsSummarizer(tokenizer)(contexts))}
    params = nla.parameters("av")
    for p in nla.parameters("ar"): p.requires_grad_(False)
    for p in params: p.requires_grad_(True)
    nla.model.set_adapter("av")
    optimizer = torch.optim.AdamW(params, lr=1e-5)
    def step(prompt, targets):
        def run():
            nla.prompt = prompt  # av_loss builds its batch from the NLA's prompt
            nla.av_loss(acts_BD, targets).backward()
            optimizer.step(); optimizer.zero_grad(set_to_none=True)
        return run
    tokens = {name: int(av_sft_batch(tokenizer, prompt, targets)["attention_mask"].sum()) for name, (prompt, targets) in designs.items()}
    times = interleaved_times({name: step(*design) for name, design in designs.items()}, args.repeats, device)
    print(f"AV SFT step, batch {args.av_batch}, median of {args.repeats}")
    rates = {}
    for name, ts in times.items():
        seconds = statistics.median(ts); rates[name] = args.av_batch / seconds
        print(f"  {name:<42} {tokens[name] / seconds:9.0f} tokens/s {rates[name]:7.2f} examples/s ({tokens[name]} tokens, {seconds:.2f} s)")
    today, short = rates.values()
    print(f"  ratio short / today (examples/s): {short / today:.2f}x")

if __name__ == "__main__":
    main()
