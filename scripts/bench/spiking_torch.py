#!/usr/bin/env python3
"""PyTorch peer of jmh SpikingBenchmark (issue 14): one training iteration of the published
evidence-accumulation spiking network, timed on one CPU thread (or a GPU with --device cuda).

The network of SpikingBenchmark.evidenceNetwork (SpikingConfig.published, rate term on), dt = 1 ms:
50 LIF + 50 ALIF units, 40 Poisson inputs, 2 outputs, B = 64, T = 2250, with t = 1..T

    v_t = alpha v_{t-1} + W_in x_t + W_rec z_{t-1} - v_th z_{t-1}     (reset by subtraction)
    a_t = rho a_{t-1} + z_{t-1}                                         (ALIF; beta = 0 for LIF)
    z_t = H(v_t - v_th - beta a_t), held at 0 for n_ref = 5 steps after a spike
    psi_t = gamma max(0, 1 - |v_t - v_th - beta a_t| / v_th) / v_th   in place of H' (gamma = 0.3)
    y_t = kappa y_{t-1} + W_out z_t + b_out                             (leaky readout)
    J = mean_b mean_{t in recall} CE(y_t, label) + (c_r/2) mean_b sum_j (r_bj - r_0)^2

tau_m = 20, tau_a = 2000, tau_out = 20 ms, beta = 1.8, v_th = 0.6, c_r = 1e-2, r_0 = 0.01 (10 Hz),
no autapses; inputs as PoissonEvidenceEncoding (left / right cue groups at 40 Hz during 7 cues of
100 ms with 50 ms gaps after 50 ms, recall group at 40 Hz in the last 150 ms, noise group at 10 Hz
throughout; the label is the side with more cues); initial weights as
SpikingBenchmark.evidenceParameters (W_in ~ 2 N(0, 2/N_in), W_rec ~ 0.5 N(0, 2/N),
W_out ~ U(-r, r), r = sqrt(6/(N + N_out)), b_out = 0). One iteration is the forward pass
(recording the graph), the surrogate-gradient BPTT by autograd and one Adam step (lr 5e-3, tca's
preset); tca's benchmark has no optimizer step (Adam on 14k parameters is negligible here).

The readout is computed as tca does: y_t = W_out zf_t + c_t b_out with zf_t = kappa zf_{t-1} + z_t
and c_t = kappa c_{t-1} + 1, one matrix product over the recall window (the same numbers as the
recursion above, fewer per-step operations); the reset is folded into the recurrent matrix
(W_rec - v_th I, exact since W_rec has no diagonal).

Self-checks (it exits 1 and says why when one fails): the loss is finite, the mean rate is
between 1 and 100 Hz, every parameter's gradient is finite and nonzero, no unit spikes within
n_ref steps of its last spike, and the readout shortcut equals the recursion on the first sample.

Not part of the test suite. Run: /usr/bin/python3 scripts/bench/spiking_torch.py [--iters 3]
[--device cpu|cuda] [--threads 1] (Debian's python3-torch 1.13 works). It prints the median, after
one warm-up iteration, of wall time (time.perf_counter) and process CPU time (time.process_time)
of a whole iteration, of its forward part and of a forward pass alone under torch.no_grad().
"""
import argparse
import math
import statistics
import sys
import time

import torch

N_LIF, N_ALIF, N_IN, N_OUT = 50, 50, 40, 2
N = N_LIF + N_ALIF
B, T = 64, 2250
V_TH, BETA, GAMMA, N_REF = 0.6, 1.8, 0.3, 5
ALPHA, RHO, KAPPA = math.exp(-1 / 20), math.exp(-1 / 2000), math.exp(-1 / 20)
RATE_COST, RATE_TARGET = 1e-2, 0.01
LEAD, CUES, CUE, GAP, RECALL = 50, 7, 100, 50, 150
SIGNAL, NOISE = 0.040, 0.010  # spikes per ms
LR = 5e-3


class Spike(torch.autograd.Function):
    """H(s) forward, the triangular pseudo-derivative psi backward (s = v - A)."""

    @staticmethod
    def forward(ctx, s):
        ctx.save_for_backward(s)
        return (s > 0).to(s.dtype)

    @staticmethod
    def backward(ctx, grad):
        (s,) = ctx.saved_tensors
        return grad * (GAMMA / V_TH) * torch.clamp(1 - s.abs() / V_TH, min=0)


def inputs(device, gen):
    """A batch of Poisson evidence-accumulation trials (T x B x 40) and their labels."""
    rate = torch.zeros(T, B, N_IN)
    rate[:, :, 30:40] = NOISE
    side = torch.randint(0, 2, (B, CUES), generator=gen)  # 0 = left group, 1 = right group
    for c in range(CUES):
        t0 = LEAD + (CUE + GAP) * c
        for s in (0, 1):
            on = (side[:, c] == s).float()
            rate[t0:t0 + CUE, :, 10 * s:10 * (s + 1)] += SIGNAL * on[None, :, None]
    rate[T - RECALL:, :, 20:30] = SIGNAL
    x = (torch.rand(T, B, N_IN, generator=gen) < rate).float()
    labels = (2 * side.sum(1) > CUES).long()
    return x.to(device), labels.to(device)


def parameters(device, gen):
    """W_in, W_rec (zero diagonal), W_out, b_out as SpikingBenchmark.evidenceParameters."""
    w_in = 2 * math.sqrt(2 / N_IN) * torch.randn(N, N_IN, generator=gen)
    w_rec = 0.5 * math.sqrt(2 / N) * torch.randn(N, N, generator=gen) * (1 - torch.eye(N))
    r = math.sqrt(6 / (N + N_OUT))
    w_out = r * (2 * torch.rand(N_OUT, N, generator=gen) - 1)
    return [torch.nn.Parameter(w.to(device)) for w in (w_in, w_rec, w_out, torch.zeros(N_OUT))]


def forward(params, x, labels, record=False):
    """The loss, the mean rate (spikes per step) and, when record is set, z (T x B x N) and zf."""
    w_in, w_rec, w_out, b_out = params
    dev = x.device
    no_autapse = 1 - torch.eye(N, device=dev)
    w_eff = (w_rec * no_autapse - V_TH * torch.eye(N, device=dev)).t()  # z @ w_eff: drive - reset
    beta = torch.cat([torch.zeros(N_LIF), torch.full((N_ALIF,), BETA)]).to(dev)
    # all input currents at once, T x B x N, split by unbind: indexing drive[t] would make
    # autograd write a zero T x B x N gradient per step (select's backward), unbind stacks once
    drive = (x @ w_in.t()).unbind(0)
    v = torch.zeros(B, N, device=dev)
    a = torch.zeros(B, N, device=dev)
    z = torch.zeros(B, N, device=dev)
    zf = torch.zeros(B, N, device=dev)
    ref = torch.zeros(B, N, device=dev)
    count = torch.zeros(B, N, device=dev)
    window, zs = [], []
    for t in range(T):
        v = torch.addmm(torch.add(drive[t], v, alpha=ALPHA), z, w_eff)
        a = torch.add(z, a, alpha=RHO)
        free = (ref == 0).to(v.dtype)
        z = Spike.apply(torch.addcmul(v - V_TH, beta, a, value=-1)) * free
        zd = z.detach()
        ref = torch.clamp(ref - 1, min=0) + N_REF * zd
        count = count + z
        zf = torch.add(z, zf, alpha=KAPPA)
        if t >= T - RECALL:
            window.append(zf)
        if record:
            zs.append(zd)
    steps = torch.arange(T - RECALL, T, device=dev, dtype=torch.float64)
    c = ((1 - KAPPA ** (steps + 1)) / (1 - KAPPA)).to(v.dtype)  # c_t = sum_{k <= t} kappa^k
    y = torch.stack(window) @ w_out.t() + c[:, None, None] * b_out  # RECALL x B x N_out
    loss = torch.nn.functional.cross_entropy(y.reshape(-1, N_OUT), labels.repeat(RECALL))
    rate = count / T
    loss = loss + 0.5 * RATE_COST * ((rate - RATE_TARGET) ** 2).sum(1).mean()
    out = (loss, rate.mean())
    return out + ((torch.stack(zs), y),) if record else out


def check(params, x, labels):
    """The self-checks of the module docstring on one recorded forward and backward pass (with
    b_out = (0.1, -0.1) so that the readout check covers its filter c_t; b_out is 0 after)."""
    with torch.no_grad():
        params[3].copy_(torch.tensor([0.1, -0.1]))
    loss, rate, (z, y) = forward(params, x, labels, record=True)
    loss.backward()
    fails = []
    if not math.isfinite(loss.item()):
        fails.append(f"loss {loss.item()} is not finite")
    if not 0.001 <= rate.item() <= 0.1:
        fails.append(f"mean rate {1000 * rate.item():.2f} Hz is outside 1-100 Hz")
    for name, p in zip(("W_in", "W_rec", "W_out", "b_out"), params):
        g = p.grad
        if g is None or not torch.isfinite(g).all() or g.abs().max().item() == 0:
            fails.append(f"gradient of {name} is missing, not finite or zero")
    last = torch.full((B, N), -10 ** 9, device=x.device)
    for t in range(T):
        fired = z[t] > 0
        if (fired & (t - last <= N_REF)).any():
            fails.append(f"a unit spiked within n_ref = {N_REF} steps of its last spike (t = {t})")
            break
        last = torch.where(fired, torch.full_like(last, t), last)
    w_out, b_out = params[2].detach(), params[3].detach()
    rec = torch.zeros(N_OUT, device=x.device, dtype=torch.float64)
    for t in range(T):
        rec = KAPPA * rec + w_out.double() @ z[t, 0].double() + b_out.double()
        if t >= T - RECALL and (rec - y[t - T + RECALL, 0].double()).abs().max().item() > 1e-3:
            fails.append(f"readout y_{t} differs from the recursion: {rec} vs {y[t - T + RECALL, 0]}")
            break
    for p in params:
        p.grad = None
    with torch.no_grad():
        params[3].zero_()
    return fails, loss.item(), rate.item()


def timed(fn, device):
    """(wall s, process CPU s, result) of fn()."""
    w0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    if device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - w0, time.process_time() - c0, result


def run(device, iters):
    gen = torch.Generator().manual_seed(1)
    params = parameters(device, gen)
    x, labels = inputs(device, gen)
    fails, loss0, rate0 = check(params, x, labels)
    if fails:
        print("spiking_torch.py: self-check failed: " + "; ".join(fails), file=sys.stderr)
        sys.exit(1)
    opt = torch.optim.Adam(params, lr=LR)
    rows = {"iteration": [], "forward (recording)": [], "forward (no_grad)": []}
    for i in range(iters + 1):
        opt.zero_grad()
        fw, fc, (loss, rate) = timed(lambda: forward(params, x, labels), device)
        bw, bc, _ = timed(lambda: (loss.backward(), opt.step()), device)
        with torch.no_grad():
            nw, nc, _ = timed(lambda: forward(params, x, labels), device)
        if i > 0:  # iteration 0 is the warm-up
            rows["iteration"].append((fw + bw, fc + bc))
            rows["forward (recording)"].append((fw, fc))
            rows["forward (no_grad)"].append((nw, nc))
    print(f"torch {torch.__version__} device={device} threads={torch.get_num_threads()} "
          f"B={B} T={T} N={N_LIF}+{N_ALIF}: self-checks passed (loss {loss0:.4f} with b_out = "
          f"(0.1, -0.1), mean rate {1000 * rate0:.1f} Hz, gradients nonzero); median of {iters}:")
    for name, vals in rows.items():
        print(f"  {name:20s} {statistics.median(w for w, _ in vals):.3f} s wall, "
              f"{statistics.median(c for _, c in vals):.3f} s CPU")
    print(f"  last loss {loss.item():.4f}, mean rate {1000 * rate.item():.1f} Hz")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--iters", type=int, default=3, help="timed iterations (median; >= 1)")
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    args = p.parse_args()
    if args.iters < 1 or args.threads < 1:
        p.error("--iters and --threads must be >= 1")
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    run(args.device, args.iters)


if __name__ == "__main__":
    main()
