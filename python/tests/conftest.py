"""Starts a real `tca serve` (bin/tca, built by `mvn verify` or on first use) per test."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))

import tca_embed  # noqa: E402
from tca_embed import Client  # noqa: E402

# These tests are not about the service's liveness: on a loaded CI machine its heartbeat was
# once silent just over the clients' default 5 s (a starved thread, a snapshot's fsyncs), which
# failed correct tests. A killed service is still found at once (its process is gone).
tca_embed.SERVICE_SILENCE_MS = 60_000


class Service:
    def __init__(self, directory, slots=1):
        self.directory = directory
        self.config = os.path.join(os.path.dirname(directory), "serve.json")
        with open(self.config, "w") as f:
            json.dump({"slots": slots, "client_timeout_ms": 3000, "idle": "yield"}, f)
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [os.path.join(ROOT, "bin", "tca"), "serve", "--dir", self.directory,
             "--config", self.config], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        Client(self.directory, wait=120).close()  # waits until it serves
        return self

    def stop(self):
        self.proc.terminate()
        _, err = self.proc.communicate(timeout=60)
        self.err = err.decode("utf-8", "replace")
        return self.proc.returncode


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """One service (one slot) for the module: the tests run in order, one client at a time."""
    d = tmp_path_factory.mktemp("embed") / "serve"
    s = Service(str(d)).start()
    yield s
    if s.proc.poll() is None:
        s.stop()
