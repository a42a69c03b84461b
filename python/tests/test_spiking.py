"""Spiking learners (cell lif, alif, lif-alif) in a real `tca serve`, driven from Python."""

import os

import numpy as np
import pytest

from tca_embed import Client, ServiceError

STEPS = 50
INPUTS = 20
# 20 LIF units trained online by e-prop (an Adam step at every time step); neurons: the
# published defaults (tau_m = 20 ms, v_th = 0.6, n_ref = 5, rate term toward 10 Hz)
CONFIG = dict(name="spikes", inputs=INPUTS, hidden=20, outputs=2, cell="lif", input_gain=3,
              rule="eprop", optimizer="adam", lr=0.003, seed=1, steps=STEPS)


def pattern():
    """A frozen input spike pattern (20 channels at 20% per ms) and two sines to map it to."""
    rng = np.random.default_rng(5)
    x = (rng.random((STEPS, INPUTS)) < 0.2).astype(np.float32)
    t = np.arange(STEPS) * 2 * np.pi / STEPS
    return x, np.stack([np.sin(t), np.cos(t)], axis=1).astype(np.float32)


def sequence_losses(c, x, target, learn=True):
    """One sequence of STEPS steps; the losses of all but the last (which adds the rate term)."""
    return [c.step(x[t], target[t], learn=learn)[1] for t in range(STEPS)][:-1]


def test_a_spiking_learner_driven_from_python_learns(service):
    x, target = pattern()
    with Client(service.directory) as c:
        info = c.open(**CONFIG)
        assert info["inputs"] == INPUTS and info["outputs"] == 2 and not info["restored"]
        # no b_rec: W_in, W_rec, W_out, b_out
        assert info["parameters"] == 20 * INPUTS + 20 * 20 + 2 * 20 + 2
        means = [np.mean(sequence_losses(c, x, target)) for _ in range(150)]
        first, last = np.mean(means[:10]), np.mean(means[-10:])
        assert last < 0.5 * first, (first, last)  # 0.89 -> 0.22 when written
        stats = c.stats()
        assert stats["steps"] == 150 * STEPS and stats["sequences"] == 150


def test_stats_carry_the_firing_rate_since_open(service):
    x, target = pattern()
    with Client(service.directory) as c:
        c.open(**dict(CONFIG, name="spikes-rate"))
        assert np.isnan(c.stats()["firing_rate"])  # before the first step
        sequence_losses(c, x, target, learn=False)
        once = c.stats()["firing_rate"]
        assert 0 < once < 1000, once  # Hz: spikes per unit per second (dt = 1 ms)
        sequence_losses(c, x, target, learn=False)  # the same weights and inputs, the same spikes
        stats = c.stats()
        assert stats["firing_rate"] == once and stats["steps"] == 2 * STEPS
        c.close_learner()
        c.open(**dict(CONFIG, name="spikes-silent"))  # no input, no bias: no unit ever spikes
        sequence_losses(c, np.zeros_like(x), target, learn=False)
        stats = c.stats()
        assert stats["firing_rate"] == 0.0 and stats["mean_loss"] > 0, stats


def test_a_deferred_spiking_step_with_the_error_is_the_step_with_the_target(service):
    x, target = pattern()
    weights = {}
    for mode in ("target", "error"):
        with Client(service.directory) as c:
            c.open(**dict(CONFIG, name="spikes-by-" + mode))
            for t in range(3 * STEPS):
                if mode == "target":
                    c.step(x[t % STEPS], target[t % STEPS])
                else:
                    y = c.predict(x[t % STEPS])
                    c.learn_error(y - target[t % STEPS])  # dl/dy of l = |y - y*|^2 / 2
            weights[mode] = c.snapshot()
    a, b = np.load(weights["target"]), np.load(weights["error"])
    assert np.allclose(a, b, rtol=1e-4, atol=1e-5), np.max(np.abs(a - b))


def test_a_restarted_service_restores_a_spiking_learner(service):
    x, target = pattern()
    config = dict(CONFIG, name="spikes-kept", cell="lif-alif", rule="mdgl", tau_a=200)
    with Client(service.directory) as c:
        c.open(**config)
        for _ in range(2):
            sequence_losses(c, x, target)
        expected = sequence_losses(c, x, target, learn=False)
    snap = np.load(os.path.join(service.directory, "learners", "spikes-kept", "params.npy"))
    service.stop()
    service.start()
    with Client(service.directory) as c:
        assert c.open(**config)["restored"]
        w, updates = c.weights()
        assert updates == 2 * STEPS and np.array_equal(w, snap)
        # the restored learner starts a new sequence: the same predictions, bit for bit
        assert sequence_losses(c, x, target, learn=False) == expected


def test_bad_spiking_configs_get_an_error_naming_the_key(service):
    with Client(service.directory) as c:
        for bad, key in ((dict(tau_m=0), "'tau_m' must be > 0"),
                         (dict(n_ref=-1), "'n_ref' must be >= 0"),
                         (dict(activation="tanh"), "'activation' is for rate cells"),
                         (dict(rule="rflo"), "rule 'rflo' does not run on spiking cells"),
                         (dict(rule="bptt"), "rule 'bptt' has no online mode")):
            with pytest.raises(ServiceError) as e:
                c.open(**dict(CONFIG, name="bad", **bad))
            assert e.value.code == 4 and key in str(e.value), str(e.value)
        c.open(**dict(CONFIG, name="fine"))
        assert np.isfinite(c.step(*[v[0] for v in pattern()])[1])
