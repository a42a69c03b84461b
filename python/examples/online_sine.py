"""Online training from a Python loop: a tca learner (e-prop, N = 128, N_in = 28) tracks a sine.

    bin/tca serve --dir /tmp/tca-serve &          # the learner service
    python3 python/examples/online_sine.py --dir /tmp/tca-serve

Prints the learning curve (mean l_t per sequence of 100 steps) and, when matplotlib is
installed, writes it to learning_curve.png.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tca_embed import Client  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/tmp/tca-serve")
    ap.add_argument("--sequences", type=int, default=30)
    ap.add_argument("--rule", default="eprop")
    ap.add_argument("--png", default="learning_curve.png")
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    freqs = rng.uniform(0.02, 0.3, 28)
    with Client(a.dir) as c:
        info = c.open(name="online-sine-" + a.rule, inputs=28, hidden=128, outputs=1, loss="mse",
                      rule=a.rule, optimizer="adam", lr=1e-3, seed=1, steps=100)
        print("learner:", info)
        curve = []
        for s in range(a.sequences):
            losses = []
            for t in range(100):
                k = s * 100 + t
                x = np.sin(freqs * k).astype(np.float32)       # 28 input channels
                target = [0.8 * np.sin(0.1 * k + 1.0)]          # the signal to track
                y, loss = c.step(x, target)
                losses.append(loss)
            curve.append(float(np.mean(losses)))
            print("sequence %3d  mean loss %.5f" % (s, curve[-1]))
        print("stats:", c.stats())
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot")
        return
    plt.plot(curve)
    plt.xlabel("sequence (100 online steps)")
    plt.ylabel("mean loss")
    plt.yscale("log")
    plt.savefig(a.png, dpi=100)
    print("wrote", a.png)


if __name__ == "__main__":
    main()
