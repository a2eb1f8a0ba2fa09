"""The recipe's final AR stage (`nlae.pipeline.final_ar_stage`) on a trained NLA, with the held-out round trip read as it
goes: how much does more AR training on the AV's own explanations lift it, and when does it flatten? The AV stays as
it is (so its 256 held-out explanations are written once); the AR continues on the AV's greedy explanations of the
first `--rows` training vectors, with a cosine schedule, and the round trip's FVE (95% bootstrap interval) is read
every sixth of the run.

The activations are the recipe's (rebuilt from the built-in corpus by the settings the bundle records) and the
held-out rows are the report's first 256, so step 0 is the NLA's recorded figure. Explanations and the AR's checkpoints
are kept in `--out`: run the same command again after an interruption and it resumes.

    python bench/ar_continuation.py                                  # 4,096 rows, 600 steps at 1e-3 (about 20 min on 2 cores)
    python bench/ar_continuation.py --rows 2048 --steps 300 --lr 3e-3
"""
import argparse, json, time
from pathlib import Path

from nlae.cli import SHIPPED_NLA
from nlae.pipeline import FinalARConfig, final_ar_stage, own_explanations
from nlae.core import write_atomic
from nlae.data import build_activation_dataset, load_corpus, stack_acts
from nlae.faithfulness import reconstruction_stats
from nlae.nla import NLA


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nla", default=SHIPPED_NLA)
    p.add_argument("--rows", type=int, default=4096)
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--heldout", type=int, default=256)
    p.add_argument("--out", default="bench-ar-continuation")
    args = p.parse_args()
    out, t0 = Path(args.out), time.time()
    out.mkdir(parents=True, exist_ok=True)
    nla = NLA.load(args.nla, device="cpu")
    check = nla.training_summary["heldout_check"]
    build = check["build"]
    with nla.subject() as model:
        ds = build_activation_dataset((model, nla.tokenizer), load_corpus(limit=build["corpus_docs"]), check["layer"], out/"activations",
                                      max_tokens=build["max_tokens"], positions_per_doc=build["positions_per_doc"], seed=build["seed"])
    if list(ds.eval["doc_id"][:check["rows"]]) != check["doc_ids"]: raise SystemExit("the rebuilt held-out split is not the recipe's")
    held_BD = stack_acts(ds.eval.select(range(args.heldout)))
    held_texts = own_explanations(nla, held_BD, out/"heldout_explanations.json")

    readings = []
    def read(step: int):
        stats = reconstruction_stats(nla.reconstruct(held_texts), held_BD, nla.mean_D, seed=0)
        readings.append(dict(step=step, fve=stats["fve"], fve_ci=stats["fve_ci"], minutes=round((time.time() - t0) / 60, 1)))
        print(f"AR step {step:4d}: round-trip FVE {stats['fve']:.3f} [{stats['fve_ci'][0]:.3f}, {stats['fve_ci'][1]:.3f}] (n={args.heldout})", flush=True)
        write_atomic(out/"readings.json", json.dumps(readings, indent=1))
    read(0)
    every = max(1, args.steps // 6)
    final_ar_stage(nla, ds, FinalARConfig(rows=args.rows, steps=args.steps, lr=args.lr), out/"final_ar",
                    callback=lambda r: read(r["step"] + 1) if (r["step"] + 1) % every == 0 and r["step"] + 1 != args.steps else None)
    read(args.steps)  # after the last step (a resumed run that had finished reads it here too)


if __name__ == "__main__": main()
