"""The online e-prop step of latency.py in PyTorch, in-process, one thread, for comparison.

    python3 python/examples/latency_torch.py        # needs torch (Debian: python3-torch)

Voltage-leak cell with ReLU (the service's default learner: leak a = 0), N = 128, N_in = 28,
N_out = 1, B = 1, MSE, SGD lr 1e-4, a new sequence every 100 steps. One step: v_t, z_t, y_t,
the trace q_bar = a q_bar + (1 - a) q over q = [x_t; z_{t-1}; 1], the learning signal
L = W_out' dy, then SGD on [W_in W_rec b_rec] -= lr (L * f'(v)) q_bar' and on the readout.
Every tensor is preallocated and updated in place (torch.no_grad, no autograd); timed with
time.perf_counter_ns around each step; prints median, p90, p99, p99.9 in us and the mean
thread CPU time per step (time.thread_time_ns).
"""

import argparse
import time

import numpy as np
import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--warmup", type=int, default=5000)
    ap.add_argument("--steps", type=int, default=20000)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    n, n_in, n_out, lr, leak, seq = a.hidden, 28, 1, 1e-4, 0.0, 100
    q_len = n_in + n + 1
    w = torch.randn(n, q_len) * (2.0 / n) ** 0.5          # [W_in W_rec b_rec]
    w_out = (torch.rand(n_out, n) * 2 - 1) * (6.0 / (n + n_out)) ** 0.5
    b_out = torch.zeros(n_out)
    x = torch.from_numpy(np.random.default_rng(0).standard_normal(n_in).astype(np.float32))
    target = torch.tensor([0.5])
    q = torch.zeros(q_len)
    q_bar = torch.zeros(q_len)
    v = torch.zeros(n)
    z = torch.zeros(n)
    y = torch.zeros(n_out)
    dy = torch.zeros(n_out)
    sig = torch.zeros(n)
    fprime = torch.zeros(n)
    t = [0]

    def step():
        if t[0] == seq:
            q_bar.zero_(); v.zero_(); z.zero_(); t[0] = 0
        q[:n_in] = x
        q[n_in:n_in + n] = z
        q[-1] = 1.0
        v.mul_(leak).add_(torch.mv(w, q), alpha=1 - leak)
        torch.clamp(v, min=0, out=z)
        torch.gt(v, 0, out=fprime)
        torch.addmv(b_out, w_out, z, out=y)
        torch.sub(y, target, out=dy)
        q_bar.mul_(leak).add_(q, alpha=1 - leak)
        torch.mv(w_out.t(), dy, out=sig)
        sig.mul_(fprime)
        w.addr_(sig, q_bar, alpha=-lr / seq)
        w_out.addr_(dy, z, alpha=-lr / seq)
        b_out.sub_(dy, alpha=lr / seq)
        t[0] += 1
        return float(0.5 * dy.dot(dy))

    with torch.no_grad():
        for _ in range(a.warmup):
            step()
        ns = np.empty(a.steps)
        cpu0 = time.thread_time_ns()
        for i in range(a.steps):
            t0 = time.perf_counter_ns()
            step()
            ns[i] = time.perf_counter_ns() - t0
        cpu = (time.thread_time_ns() - cpu0) / 1000 / a.steps
    us = ns / 1000
    print("torch %s e-prop N=%d (1 thread): median %.1f us, p90 %.1f us, p99 %.1f us, "
          "p99.9 %.1f us (%d steps); thread CPU %.1f us/step"
          % (torch.__version__, n, np.median(us), np.percentile(us, 90), np.percentile(us, 99),
             np.percentile(us, 99.9), a.steps, cpu))


if __name__ == "__main__":
    main()
