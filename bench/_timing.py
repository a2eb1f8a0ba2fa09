"""Timing shared by the bench scripts: a warm-up call each, then the candidates run interleaved, so drift in
the machine's load hits all of them alike."""
import time

import torch


def interleaved_times(runs: dict, repeats: int, device) -> dict[str, list[float]]:
    "Seconds taken by each of `repeats` calls of every function in `runs` (name -> fn), after one warm-up call each."
    def timed(fn) -> float:
        if device.type == "cuda": torch.cuda.synchronize()
        t0 = time.perf_counter(); fn()
        if device.type == "cuda": torch.cuda.synchronize()
        return time.perf_counter() - t0
    for fn in runs.values(): fn()
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, fn in runs.items(): times[name].append(timed(fn))
    return times
