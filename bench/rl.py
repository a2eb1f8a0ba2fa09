"""One GRPO step of the shared-base NLA against a naive design that loads separate subject, AV, reference
AV and AR models: rollout tokens/s, training tokens/s and peak memory of each, and the memory ratio.

Shared base (nlae's design): one copy of the subject's weights; the AV, the frozen reference and the AR are
three LoRA adapters on it. Naive: four full copies (subject, AV, reference, AR), each with its own LoRA.
Both run the same step (`nlae.rl.rl_step` for the shared base; the same calls spread over the copies for
the naive one) on the same activations, each in one forward/backward pass over all rollouts, each in a fresh child process so that peak memory is its own:
the GPU's peak allocation on CUDA, the process's peak resident memory (minus that of a bare process that
only imports nlae) on CPU; and the bytes of the weights each design holds. The step's activations are the
same in both, so the weights' share of the peak decides the ratio: large for a 7B subject, small for a
135M one whose activations at this batch outweigh its 0.5 GB of weights.

    python bench/rl.py                       # SmolLM2-135M at layer 20, CPU fp32
    python bench/rl.py --device cuda         # the CUDA default (4-bit nf4 base)
    python bench/rl.py --model PATH --layer 20 --batch 2 --group 4
"""
import argparse, json, resource, subprocess, sys, time

import torch


def child(args) -> dict:
    "Build one design, run a warm-up step and a timed step, and report its figures."
    from nlae.models import load_subject
    from nlae.nla import NLA
    from nlae.reconstructor import nla_mse
    from nlae.verbalizer import prompt_rows
    from nlae.rl import (RLConfig, _injected, add_reference, completion_logprobs, group_advantages,
                         nla_rewards, policy_loss, rl_step, sample_rollouts)
    if args.design == "bare": return dict(peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    # one forward/backward pass over all rollouts in both designs, so that their activations are alike and the
    # difference is the copies of the weights
    config = RLConfig(batch_size=args.batch, group_size=args.group, max_new_tokens=args.max_new_tokens,
                      micro_batch=args.batch * args.group)
    gen = torch.Generator().manual_seed(0)

    def fresh_nla():
        model, tokenizer = load_subject(args.model, device=args.device)
        return NLA.from_subject((model, tokenizer), args.layer, injection_scale=args.scale, subject_name=args.model)

    def weight_mb(*nlas):  # every parameter once: base, adapters, value heads
        params = {id(p): p for n in nlas for p in [*n.model.parameters(), n.head.weight]}
        return sum(p.numel() * p.element_size() for p in params.values()) / 2**20

    if args.design == "shared":
        nla = fresh_nla()
        add_reference(nla)
        av_opt, ar_opt = [torch.optim.AdamW(nla.parameters(r), lr=1e-5) for r in ("av", "ar")]
        acts_BD = torch.randn(args.batch, nla.config.d_model, generator=gen)
        weights = weight_mb(nla)
        def step():
            t0 = time.perf_counter()
            record = rl_step(nla, acts_BD, config, av_opt, ar_opt)
            return record, time.perf_counter() - t0
    else:  # naive: four full models
        subject, av, ref, ar = fresh_nla(), fresh_nla(), fresh_nla(), fresh_nla()
        av_opt, ar_opt = torch.optim.AdamW(av.parameters("av"), lr=1e-5), torch.optim.AdamW(ar.parameters("ar"), lr=1e-5)
        acts_BD = torch.randn(args.batch, av.config.d_model, generator=gen)
        weights = weight_mb(subject, av, ref, ar)
        def step():
            t0 = time.perf_counter()
            acts_ND = acts_BD.to(av.head.weight.device).repeat_interleave(args.group, 0)
            rollouts = sample_rollouts(av, acts_ND, config.temperature, config.max_new_tokens)
            t_sample = time.perf_counter() - t0
            texts = [e.text for e in rollouts.explanations]
            ar.model.set_adapter("ar")
            mse_N = nla_mse(ar.ar_forward(texts), acts_ND)
            mse_N.mean().backward(); ar_opt.step(); ar_opt.zero_grad()
            adv_N = group_advantages(nla_rewards(mse_N, rollouts.explanations, rollouts.truncated_N).view(-1, args.group)).flatten()
            ids_NT = prompt_rows(av.prompt, len(acts_ND), acts_ND.device)
            with torch.no_grad(), _injected(ref, ids_NT, acts_ND):
                ref.model.set_adapter("av"); ref_logp = completion_logprobs(ref, rollouts.ids_NC)
            av.model.set_adapter("av")
            with _injected(av, ids_NT, acts_ND):
                logp = completion_logprobs(av, rollouts.ids_NC)
                loss, _ = policy_loss(logp, logp.detach(), ref_logp, adv_N.to(logp.device), rollouts.mask_NC, 0.2, 0.01,
                                      len(acts_ND) * config.max_new_tokens)
                loss.backward()
            av_opt.step(); av_opt.zero_grad()
            n = rollouts.mask_NC.sum().item()
            total = time.perf_counter() - t0
            return dict(sample_tok_s=n / t_sample, train_tok_s=(len(acts_ND) * ids_NT.shape[1] + n) * 2 / (total - t_sample)), total

    cuda = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu")).type == "cuda"
    step()  # warm-up (kernels, allocator)
    if cuda: torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats()
    torch.manual_seed(1)
    record, seconds = step()
    if cuda: torch.cuda.synchronize()
    peak = torch.cuda.max_memory_allocated() / 2**20 if cuda else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return dict(sample_tok_s=record["sample_tok_s"], train_tok_s=record["train_tok_s"], step_s=seconds, peak_mb=peak,
                weights_mb=weights, cuda=cuda)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--layer", type=int, default=20)
    parser.add_argument("--scale", type=float, default=236.7, help="injection scale (SmolLM2 L20's median norm)")
    parser.add_argument("--batch", type=int, default=4, help="activations per step")
    parser.add_argument("--group", type=int, default=4, help="explanations per activation")
    parser.add_argument("--max-new-tokens", type=int, default=48)
    parser.add_argument("--device", default=None)
    parser.add_argument("--design", choices=("shared", "naive", "bare"), help=argparse.SUPPRESS)  # set for the child processes
    args = parser.parse_args()
    if args.design:
        print(json.dumps(child(args)))
        return
    results = {}
    for design in ("bare", "shared", "naive"):
        done = subprocess.run([sys.executable, __file__, *sys.argv[1:], "--design", design], capture_output=True, text=True)
        if done.returncode: sys.exit(f"{design} failed:\n{done.stderr[-3000:]}")
        results[design] = json.loads(done.stdout.strip().splitlines()[-1])
    shared, naive = results["shared"], results["naive"]
    base = 0.0 if shared["cuda"] else results["bare"]["peak_mb"]
    what = "peak GPU memory allocated" if shared["cuda"] else f"peak resident memory above a bare process ({base:.0f} MB)"
    print(f"{args.model}, layer {args.layer}, one RL step: {args.batch} activations x {args.group} explanations, "
          f"up to {args.max_new_tokens} tokens; {what}")
    for name, r in (("shared base (1 copy, 3 adapters)", shared), ("naive (4 separate models)", naive)):
        print(f"  {name:<34} rollout {r['sample_tok_s']:7.1f} tok/s  training {r['train_tok_s']:7.1f} tok/s  "
              f"step {r['step_s']:6.1f} s  peak {r['peak_mb'] - base:8.0f} MB  of which weights {r['weights_mb']:7.0f} MB")
    print(f"  peak memory ratio shared / naive: {(shared['peak_mb'] - base) / (naive['peak_mb'] - base):.2f}; "
          f"weights alone: {shared['weights_mb'] / naive['weights_mb']:.2f}")


if __name__ == "__main__":
    main()
