#!/usr/bin/env python3
"""PyTorch peer of `tca bench` / ParallelBpttBenchmark: one BPTT training iteration of the paper's
sMNIST network (ReLU RNN, a = 0, N = 128, N_in = 28, N_out = 10, T = 28, cross-entropy at the
last step, L2 1e-2, SGD), ms per iteration at steady state.

  python3 scripts/bench/torch_rnn.py --batch 256 --threads 1 [--device cuda] [--seconds 2]

Prints one JSON line per configuration: median, 10-90% range, mean of per-iteration times after
a warm-up that lasts until three consecutive 0.2 s windows agree within 3% (or 20 s pass).
"""
import argparse
import json
import statistics
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, nargs="+", default=[256])
    ap.add_argument("--threads", type=int, nargs="+", default=[1])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--steps", type=int, default=28)
    ap.add_argument("--seconds", type=float, default=2.0)
    a = ap.parse_args()
    for k in a.threads:
        torch.set_num_threads(k)
        for b in a.batch:
            print(json.dumps(bench(b, k, a)), flush=True)


def bench(b, k, a):
    dev = torch.device(a.device)
    torch.manual_seed(0)
    n_in, n, n_out, t = 28, a.hidden, 10, a.steps
    rnn = torch.nn.RNN(n_in, n, nonlinearity="relu").to(dev)
    out = torch.nn.Linear(n, n_out).to(dev)
    params = list(rnn.parameters()) + list(out.parameters())
    opt = torch.optim.SGD(params, lr=1e-6)
    x = torch.rand(t, b, n_in, device=dev)
    y = torch.randint(0, n_out, (b,), device=dev)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)

    def step():
        opt.zero_grad(set_to_none=True)
        h, _ = rnn(x)
        loss = torch.nn.functional.cross_entropy(out(h[-1]), y)
        loss = loss + 0.5e-2 * (rnn.weight_hh_l0.square().sum() + rnn.weight_ih_l0.square().sum()
                                + out.weight.square().sum())
        loss.backward()
        opt.step()

    def window(iters):
        sync()
        t0 = time.perf_counter()
        for _ in range(iters):
            step()
        sync()
        return (time.perf_counter() - t0) / iters

    start = time.perf_counter()
    step()
    per = window(3)
    iters = max(1, int(0.2 / per))
    means = []
    steady = False
    while time.perf_counter() - start < 20:
        means.append(window(iters))
        last = means[-3:]
        if len(last) == 3 and max(last) - min(last) <= 0.03 * min(last):
            steady = True
            break
    times = []
    t_end = time.perf_counter() + a.seconds
    while time.perf_counter() < t_end or len(times) < 10:
        sync()
        t0 = time.perf_counter()
        step()
        sync()
        times.append((time.perf_counter() - t0) * 1e3)
    q = statistics.quantiles(times, n=10)
    return {"peer": "pytorch " + torch.__version__, "device": a.device, "batch": b, "threads": k,
            "hidden": n, "steps": t, "ms_per_iter": statistics.median(times), "ms_p10": q[0],
            "ms_p90": q[-1], "ms_mean": statistics.fmean(times), "iters": len(times),
            "steady": steady}


if __name__ == "__main__":
    main()
