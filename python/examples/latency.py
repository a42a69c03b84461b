"""Round-trip latency from Python of one online step (step + learn) and of a PING (an empty
request: the transport and the client alone), as histogram summaries.

    bin/tca serve --dir /tmp/tca-serve --idle busy-spin &
    python3 python/examples/latency.py --dir /tmp/tca-serve

Defaults: e-prop, N = 128, N_in = 28, N_out = 1, B = 1, MSE, SGD; 5000 warm-up calls, then
20000 timed with time.perf_counter_ns around each Client.step (and each Client.ping); prints
median, p90, p99, p99.9 in us and the load average (other processes on the same cores show in
the tails).
"""

import argparse
import functools
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tca_embed import Client  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/tmp/tca-serve")
    ap.add_argument("--rule", default="eprop")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--warmup", type=int, default=5000)
    ap.add_argument("--steps", type=int, default=20000)
    a = ap.parse_args()
    with Client(a.dir) as c:
        c.open(name="latency-" + a.rule, inputs=28, hidden=a.hidden, outputs=1, loss="mse",
               rule=a.rule, optimizer="sgd", lr=1e-4, seed=1, steps=100)
        x = np.random.default_rng(0).standard_normal(28).astype(np.float32)
        target = np.array([0.5], np.float32)
        calls = [("step + learn", functools.partial(c.step, x, target)), ("ping", c.ping)]
        for name, call in calls:
            for _ in range(a.warmup):
                call()
            ns = np.empty(a.steps)
            clock = time.perf_counter_ns
            for i in range(a.steps):
                t0 = clock()
                call()
                ns[i] = clock() - t0
            us = ns / 1000
            print("%s N=%d, %s: median %.1f us, p90 %.1f us, p99 %.1f us, p99.9 %.1f us (%d calls)"
                  % (a.rule, a.hidden, name, np.median(us), np.percentile(us, 90),
                     np.percentile(us, 99), np.percentile(us, 99.9), a.steps))
    print("load average: %.1f %.1f %.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
