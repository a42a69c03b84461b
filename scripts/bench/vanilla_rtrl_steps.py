"""Per-step CPU time of vanilla-rtrl's online rules on its Add task (tanh, B = 1), one thread.

The peer of jmh StochasticRtrlBenchmark (issue 11). Usage, with a clone of
github.com/omarschall/vanilla-rtrl (measured at commit 4602f36; needs numpy and scipy):

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
        python3 scripts/bench/vanilla_rtrl_steps.py /path/to/vanilla-rtrl 3000

Each figure is the process CPU time (and wall time) of Simulation.run over the training steps
(forward, loss, the rule's update, SGD with momentum), divided by the steps.
"""
import sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np
from core import RNN, Simulation
from functions import tanh, softmax, softmax_cross_entropy
from gen_data import Add_Task
from learning_algorithms import UORO, KF_RTRL, Reverse_KF_RTRL, RFLO
from optimizers import SGD_Momentum

steps = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
for n in (32, 64):
    for name in ('UORO', 'KF-RTRL', 'R-KF-RTRL', 'RFLO'):
        np.random.seed(0)
        task = Add_Task(4, 6, deterministic=True, tau_task=1)
        data = task.gen_data(steps, 100)
        W_in = np.random.normal(0, np.sqrt(1 / 2), (n, 2))
        W_rec = np.linalg.qr(np.random.normal(0, 1, (n, n)))[0]
        W_out = np.random.normal(0, np.sqrt(1 / n), (2, n))
        rnn = RNN(W_in, W_rec, W_out, np.zeros(n), np.zeros(2), activation=tanh, alpha=1,
                  output=softmax, loss=softmax_cross_entropy)
        alg = {'UORO': lambda: UORO(rnn), 'KF-RTRL': lambda: KF_RTRL(rnn),
               'R-KF-RTRL': lambda: Reverse_KF_RTRL(rnn),
               'RFLO': lambda: RFLO(rnn, alpha=1)}[name]()
        sim = Simulation(rnn)
        c0, w0 = time.process_time(), time.perf_counter()
        sim.run(data, learn_alg=alg, optimizer=SGD_Momentum(lr=0.001, mu=0.6), monitors=[],
                verbose=False)
        c1, w1 = time.process_time(), time.perf_counter()
        print(f"{name:10s} N={n:3d}  cpu {1e6 * (c1 - c0) / steps:7.1f} us/step"
              f"  wall {1e6 * (w1 - w0) / steps:7.1f} us/step", flush=True)
