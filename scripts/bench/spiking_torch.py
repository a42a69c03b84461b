#!/usr/bin/env python3
"""PyTorch peer of jmh SpikingBenchmark (issue 14): one training iteration of the published
evidence-accumulation spiking network, timed on one CPU thread (or a GPU with --device cuda).

Network as in tca's SpikingConfig.published: 50 LIF + 50 ALIF units (tau_m = 20, tau_a = 2000 ms,
beta = 1.8, v_th = 0.6, refractory 5 steps), 40 Poisson inputs (left/right cues at 40 Hz, recall
cue, 10 Hz noise), leaky readout (tau_out = 20), cross-entropy on the 150-step recall window plus
the firing-rate term, surrogate gradient psi = gamma max(0, 1 - |v - A| / v_th) / v_th (gamma 0.3),
BPTT by autograd, one Adam step. B = 64, T = 2250, dt = 1 ms.

Not part of the test suite. Run: python3 scripts/bench/spiking_torch.py [--iters 5] [--device cpu]
(Debian's python3-torch 1.13 works; the figure printed is the median wall and CPU time per
iteration after one warm-up iteration.)
"""
import argparse
import math
import statistics
import time

import torch

N_LIF, N_ALIF, N_IN, N_OUT = 50, 50, 40, 2
B, T = 64, 2250
V_TH, BETA, GAMMA, N_REF = 0.6, 1.8, 0.3, 5
ALPHA, RHO, KAPPA = math.exp(-1 / 20), math.exp(-1 / 2000), math.exp(-1 / 20)
RATE_COST, RATE_TARGET = 1e-2, 0.01


class Spike(torch.autograd.Function):
    """H(s) forward, the triangular pseudo-derivative backward."""

    @staticmethod
    def forward(ctx, s):
        ctx.save_for_backward(s)
        return (s > 0).to(s.dtype)

    @staticmethod
    def backward(ctx, grad):
        (s,) = ctx.saved_tensors
        psi = GAMMA * torch.clamp(1 - s.abs() / V_TH, min=0) / V_TH
        return grad * psi


def inputs(device, gen):
    """Poisson evidence-accumulation trials: 7 cues of 100 ms with 50 ms gaps, recall at the end."""
    rate = torch.zeros(T, B, N_IN, device=device)
    rate[:, :, 30:40] = 0.010
    left = torch.randint(0, 2, (B, 7), generator=gen).to(device)
    for c in range(7):
        t0 = 50 + 150 * c
        for side in (0, 1):
            mask = (left[:, c] == side).float()
            rate[t0:t0 + 100, :, side * 10:(side + 1) * 10] += 0.040 * mask[None, :, None]
    rate[T - 150:, :, 20:30] = 0.040
    x = (torch.rand(T, B, N_IN, generator=gen).to(device) < rate).float()
    labels = (left.sum(1) > 3).long()
    return x, labels


def run(device, iters):
    gen = torch.Generator().manual_seed(1)
    n = N_LIF + N_ALIF
    w_in = torch.nn.Parameter(torch.randn(n, N_IN, generator=gen).to(device) * (2 / math.sqrt(N_IN)))
    w_rec = torch.nn.Parameter(torch.randn(n, n, generator=gen).to(device) * (0.5 / math.sqrt(n)))
    w_out = torch.nn.Parameter(torch.randn(N_OUT, n, generator=gen).to(device) / math.sqrt(n))
    b_out = torch.nn.Parameter(torch.zeros(N_OUT, device=device))
    no_autapse = 1 - torch.eye(n, device=device)
    beta = torch.cat([torch.zeros(N_LIF), torch.full((N_ALIF,), BETA)]).to(device)
    opt = torch.optim.Adam([w_in, w_rec, w_out, b_out], lr=1e-3)
    x, labels = inputs(device, gen)

    def iteration():
        opt.zero_grad()
        v = torch.zeros(B, n, device=device)
        a = torch.zeros(B, n, device=device)
        z = torch.zeros(B, n, device=device)
        ref = torch.zeros(B, n, device=device)
        y = torch.zeros(B, N_OUT, device=device)
        drive = x @ w_in.t()  # all input currents at once: T x B x N
        w = w_rec * no_autapse
        loss = 0.0
        count = 0.0
        for t in range(T):
            v = ALPHA * v + drive[t] + z @ w.t() - V_TH * z
            a = RHO * a + z
            s = v - V_TH - beta * a
            free = (ref == 0).float()
            z = Spike.apply(s) * free
            ref = torch.where(z > 0, torch.full_like(ref, N_REF), torch.clamp(ref - 1, min=0))
            count = count + z
            y = KAPPA * y + z @ w_out.t() + b_out
            if t >= T - 150:
                loss = loss + torch.nn.functional.cross_entropy(y, labels) / 150
        rate = count / T
        loss = loss + 0.5 * RATE_COST * ((rate - RATE_TARGET) ** 2).sum(1).mean()
        loss.backward()
        opt.step()
        if device == "cuda":
            torch.cuda.synchronize()
        return loss.item(), rate.mean().item()

    iteration()
    walls, cpus = [], []
    for _ in range(iters):
        w0, c0 = time.perf_counter(), time.process_time()
        loss, rate = iteration()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    print(f"torch {torch.__version__} device={device} threads={torch.get_num_threads()} "
          f"B={B} T={T}: median {statistics.median(walls):.3f} s wall, "
          f"{statistics.median(cpus):.3f} s CPU per iteration (loss {loss:.4f}, "
          f"mean rate {1000 * rate:.1f} Hz)")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--iters", type=int, default=5)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    run(args.device, args.iters)


if __name__ == "__main__":
    main()
