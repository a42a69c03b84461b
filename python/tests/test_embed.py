"""The Python client against a real `tca serve`: learning, errors, dead clients, restarts."""

import os
import subprocess
import sys
import struct
import time

import numpy as np
import pytest

from tca_embed import MAGIC, VERSION, Client, ServiceError

CONFIG = dict(name="sine", inputs=3, hidden=24, outputs=1, loss="mse", rule="eprop",
              optimizer="adam", lr=0.01, seed=1, steps=50)


def sine_inputs(t):
    return np.array([np.sin(0.2 * t), np.cos(0.2 * t), 1.0], np.float32), \
        np.array([0.8 * np.sin(0.2 * t + 0.5)], np.float32)


def test_a_learner_driven_from_python_learns(service):
    with Client(service.directory) as c:
        info = c.open(**CONFIG)
        assert info["inputs"] == 3 and info["outputs"] == 1 and not info["restored"]
        losses = []
        for t in range(1000):
            x, target = sine_inputs(t)
            y, loss = c.step(x, target)
            assert y.shape == (1,) and np.isfinite(loss)
            assert loss == pytest.approx(float((y[0] - target[0]) ** 2), rel=1e-4, abs=1e-7)
            losses.append(loss)
        first, last = np.mean(losses[:100]), np.mean(losses[-100:])
        assert last < 0.5 * first, (first, last)
        stats = c.stats()
        assert stats["steps"] == 1000 and stats["updates"] == 1000 and stats["sequences"] == 20
        assert np.isnan(stats["firing_rate"])  # rate cells have none
        for _ in range(2000):  # the service publishes when idle
            w, updates = c.weights()
            if updates == 1000:
                break
            time.sleep(0.005)
        assert updates == 1000 and w.shape == (info["parameters"],)
        snap = c.snapshot()
        assert np.array_equal(np.load(snap), w)
        y0, _ = c.step(*sine_inputs(0), learn=False)
        assert c.stats()["updates"] == 1000


def test_malformed_messages_get_an_error_and_the_service_goes_on(service):
    with Client(service.directory) as c:
        with pytest.raises(ServiceError) as e:
            c.reset()
        assert e.value.code == 3 and "before OPEN" in str(e.value)
        with pytest.raises(ServiceError) as e:
            c.open(**dict(CONFIG, rule="no-such-rule"))
        assert e.value.code == 4 and "no-such-rule" in str(e.value)
        c.open(**dict(CONFIG, name="other"))
        with pytest.raises(ServiceError) as e:
            c._call(2, b"\0" * 12)  # a STEP far too short
        assert e.value.code == 1 and "body bytes" in str(e.value)
        with pytest.raises(ServiceError) as e:
            c._call(77)
        assert e.value.code == 2
        y, loss = c.step(*sine_inputs(0))
        assert np.isfinite(loss) and c.stats()["steps"] == 1



def test_the_fast_step_path_matches_the_generic_one_across_ring_wraps(service):
    # 65536-byte rings, 40-byte STEP requests and replies: 4000 steps wrap both rings twice,
    # each time with a padding record
    results = {}
    for path in ("fast", "generic"):
        with Client(service.directory) as c:
            c.open(**dict(CONFIG, name="wrap-" + path))
            ys, losses = [], []
            for t in range(4000):
                x, target = sine_inputs(t)
                if path == "fast":  # float32 (memoryview copies) and float64 (numpy casts)
                    y, loss = c.step(x, target) if t % 2 else c.step(x.astype(np.float64),
                                                                       target.astype(np.float64))
                else:  # the request packed as bytes, the reply parsed from bytes
                    body = c._call(2, struct.pack("<ii4f", 1, 0, *x, *target))
                    loss = struct.unpack_from("<d", body, 8)[0]
                    y = np.frombuffer(body[16:], "<f4")
                ys.append(y[0])
                losses.append(loss)
            assert c._requests.pos[16] > 2 * c._requests.cap  # the tail position: two wraps
            assert c._replies.pos[48] > 2 * c._replies.cap  # the head position
            results[path] = (np.array(ys), np.array(losses))
    assert np.array_equal(results["fast"][0], results["generic"][0])
    assert np.array_equal(results["fast"][1], results["generic"][1])


def test_an_interrupted_call_or_a_bad_vector_leaves_the_client_usable(service):
    with Client(service.directory) as c:
        c.open(**dict(CONFIG, name="sturdy"))
        c._send(8)  # a PING whose caller was interrupted before its reply came
        y, loss = c.step(*sine_inputs(0))  # skips the stale reply
        assert np.isfinite(loss)
        with pytest.raises(ValueError) as e:
            c.step(np.zeros(4, np.float32), [0.0])
        assert "x has 4 values, the learner expects 3" in str(e.value)
        with pytest.raises(ValueError):  # claimed, then not a float: sent as padding
            c.step(np.array(["a", "b", "c"]), [0.0])
        with pytest.raises(ValueError):
            c.step(sine_inputs(1)[0], [1.0, 2.0])
        c.ping()
        c.step(*sine_inputs(1))
        assert c.stats()["steps"] == 2


def test_a_killed_service_fails_the_call_instead_of_hanging(service):
    c = Client(service.directory)
    c.open(**dict(CONFIG, name="orphan"))
    service.proc.kill()  # no shutdown: the file still says ready
    service.proc.wait(timeout=60)
    with pytest.raises(ServiceError) as e:
        c.step(*sine_inputs(0))
    assert "not running" in str(e.value)
    with pytest.raises(ServiceError):
        c.close()  # its CLOSE cannot be answered; the slot and the mapping are released
    service.start()

DYING = r"""
import os, sys, numpy as np
sys.path.insert(0, sys.argv[2])
from tca_embed import Client
c = Client(sys.argv[1])
c.open(name="dying", inputs=3, hidden=24, outputs=1, loss="mse", rule="rflo", lr=0.01,
       seed=2, steps=50)
c.step(np.ones(3, np.float32), [1.0])
r = c._requests                      # half a message: the length claimed, nothing else
r.i32[(r.pos[16] & r.mask) // 4] = -64  # pos[16]: the tail
os._exit(0)                          # dies holding the only slot
"""


def test_a_client_dying_mid_message_is_reclaimed(service):
    pkg = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    subprocess.run([sys.executable, "-c", DYING, service.directory, pkg], check=True,
                   timeout=60)
    deadline = time.monotonic() + 20
    while True:  # one slot only: we get it once the service reclaimed it
        try:
            c = Client(service.directory)
            break
        except ServiceError:
            assert time.monotonic() < deadline, "the dead client's slot was never reclaimed"
            time.sleep(0.05)
    with c:
        info = c.open(name="dying", inputs=3, hidden=24, outputs=1, loss="mse", rule="rflo",
                      lr=0.01, seed=2, steps=50)
        assert info["restored"]
        c.step(np.ones(3, np.float32), [1.0])


def test_a_restarted_service_restores_learners_from_their_snapshot(service):
    with Client(service.directory) as c:
        c.open(**dict(CONFIG, name="kept"))
        for t in range(30):
            c.step(*sine_inputs(t))
    snap = np.load(os.path.join(service.directory, "learners", "kept", "params.npy"))
    service.stop()
    service.start()
    with Client(service.directory) as c:
        assert c.open(**dict(CONFIG, name="kept"))["restored"]
        w, updates = c.weights()  # the parameters, the Adam moments and the counters come back
        assert updates == 30 and np.array_equal(w, snap) and c.stats()["steps"] == 30


def test_learning_from_the_clients_error_matches_learning_from_the_target(service):
    weights = {}
    for mode in ("target", "error"):
        with Client(service.directory) as c:
            c.open(**dict(CONFIG, name="by-" + mode))
            for t in range(120):
                x, target = sine_inputs(t)
                if mode == "target":
                    c.step(x, target)
                else:
                    y = c.predict(x)
                    c.learn_error(2.0 * (y - target))  # dl/dy of l = (y - y*)^2
            weights[mode] = c.snapshot()
    a, b = np.load(weights["target"]), np.load(weights["error"])
    assert np.allclose(a, b, rtol=1e-4, atol=1e-5), np.max(np.abs(a - b))


def test_rewards_teach_the_rewarded_action(service):
    rng = np.random.default_rng(3)
    with Client(service.directory) as c:
        c.open(name="bandit", inputs=2, hidden=8, outputs=1, rule="eprop", optimizer="sgd",
               lr=0.5, seed=2, steps=10)
        ys = []
        for _ in range(3000):
            y = c.predict([1.0, 0.5])
            a = y + 0.2 * rng.standard_normal(1).astype(np.float32)
            c.learn_reward(-float((a[0] - 1.0) ** 2), a)
            ys.append(float(y[0]))
        assert abs(ys[0]) < 0.5 and abs(np.mean(ys[-100:]) - 1.0) < 0.1, (ys[0], ys[-100:])
        with pytest.raises(ServiceError) as e:
            c.learn_error([0.0])  # no deferred step
        assert e.value.code == 8


def test_a_file_of_another_protocol_version_is_refused(tmp_path):
    with open(tmp_path / "tca.ipc", "wb") as f:
        f.write(struct.pack("<qi", MAGIC, 1) + bytes(4096 - 12))
    with pytest.raises(ServiceError) as e:
        Client(str(tmp_path), wait=0)
    assert "version 1, this client %d" % VERSION in str(e.value)
