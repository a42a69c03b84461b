"""Pure-Python client of the tca learner service (``tca serve --dir DIR``).

numpy + mmap only, no JVM: the client maps ``DIR/tca.ipc``, claims a slot (an fcntl lock on
the slot's header, released by the OS if this process dies) and exchanges messages with the
service through the slot's two Agrona one-to-one ring buffers. Protocol: docs/embed-protocol.md.

    from tca_embed import Client
    with Client("/tmp/tca") as c:
        c.open(name="demo", inputs=28, hidden=128, outputs=1, loss="mse", rule="eprop",
               optimizer="adam", lr=1e-3, seed=1, steps=100)
        y, loss = c.step(x, target)            # x: (28,), target: (1,)  -> y: (1,), l_t
        w = c.weights()                         # consistent copy of the parameters, no request

The ring protocol relies on x86/x86-64 store ordering (Python has no memory fences).
"""

import fcntl
import json
import mmap
import os
import struct
import time

import numpy as np

__all__ = ["Client", "ServiceError", "VERSION"]

VERSION = 2
MAGIC = 0x0000_4350_4941_4354
HEADER_BYTES = 4096
TRAILER = 768
TAIL, HEAD_CACHE, HEAD = 128, 256, 384
RECORD_HEADER = 8
PADDING_TYPE = -1

OPEN, STEP, RESET, SNAPSHOT, RESTORE, STATS, CLOSE, PING, LEARN, ERROR = 1, 2, 3, 4, 5, 6, 7, 8, 9, 99
FLAG_LEARN, FLAG_DEFER = 1, 2
LEARN_ERROR, LEARN_REWARD = 1, 2
FREE, CLAIMED, OPENED = 0, 1, 2
S_STATE, S_GENERATION, S_PID, S_BEAT = 0, 4, 8, 16
S_SEQ, S_COUNT, S_UPDATES = 64, 72, 80


class ServiceError(RuntimeError):
    """An ERROR reply of the service (code > 0) or a failure to reach it (code 0)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _align8(n):
    return (n + 7) & ~7


class _Ring:
    """One Agrona OneToOneRingBuffer (capacity data bytes + 768-byte trailer) in the mapping."""

    def __init__(self, buf, offset, capacity):
        self.buf = buf
        self.off = offset
        self.cap = capacity
        self.mask = capacity - 1
        self.i32 = np.frombuffer(buf, dtype="<i4", count=capacity // 4, offset=offset)
        self.tail = np.frombuffer(buf, dtype="<i8", count=1, offset=offset + capacity + TAIL)
        self.head_cache = np.frombuffer(buf, dtype="<i8", count=1,
                                        offset=offset + capacity + HEAD_CACHE)
        self.head = np.frombuffer(buf, dtype="<i8", count=1, offset=offset + capacity + HEAD)
        self.max_msg = capacity // 8

    def write(self, type_id, payload):
        """Agrona's OneToOneRingBuffer.write; False when the ring is full (back-pressure)."""
        length = len(payload)
        if length > self.max_msg:
            raise ValueError("message of %d bytes exceeds the ring's limit of %d"
                             % (length, self.max_msg))
        record = length + RECORD_HEADER
        aligned = _align8(record)
        required = aligned + RECORD_HEADER
        cap, mask = self.cap, self.mask
        head = int(self.head_cache[0])
        tail = int(self.tail[0])
        if required > cap - (tail - head):
            head = int(self.head[0])
            if required > cap - (tail - head):
                return False
            self.head_cache[0] = head
        padding = 0
        index = tail & mask
        to_end = cap - index
        write_index = index
        next_tail = tail + aligned
        i32 = self.i32
        if aligned == to_end:
            self.tail[0] = next_tail
            i32[0] = 0
            i32[1] = 0
        else:
            if required > to_end:
                write_index = 0
                head_index = head & mask
                if required > head_index:
                    head = int(self.head[0])
                    head_index = head & mask
                    if required > head_index:
                        write_index = -1
                        next_tail = tail
                    self.head_cache[0] = head
                padding = to_end
                next_tail += padding
            self.tail[0] = next_tail
            if padding:
                i32[0] = 0
                i32[1] = 0
                i32[index // 4] = -padding
                i32[index // 4 + 1] = PADDING_TYPE
                i32[index // 4] = padding
            if write_index == -1:
                return False
            i32[(write_index + aligned) // 4] = 0
            i32[(write_index + aligned) // 4 + 1] = 0
        w = write_index // 4
        i32[w] = -record
        start = self.off + write_index + RECORD_HEADER
        self.buf[start:start + length] = payload
        i32[w + 1] = type_id
        i32[w] = record
        return True

    def read(self):
        """Agrona's OneToOneRingBuffer.read of one message: (type, bytes) or None."""
        i32 = self.i32
        head = int(self.head[0])
        index = head & self.mask
        block = self.cap - index
        read = 0
        result = None
        while read < block:
            rec = index + read
            length = int(i32[rec // 4])
            if length <= 0:
                break
            read += _align8(length)
            type_id = int(i32[rec // 4 + 1])
            if type_id == PADDING_TYPE:
                continue
            start = self.off + rec + RECORD_HEADER
            result = (type_id, bytes(self.buf[start:start + length - RECORD_HEADER]))
            break
        if read:
            self.head[0] = head + read
        return result


class Client:
    """A client holding one slot of a learner service and (after :meth:`open`) one learner."""

    def __init__(self, directory, wait=10.0):
        path = os.path.join(directory, "tca.ipc")
        deadline = time.monotonic() + wait
        while True:
            try:
                self._fd = os.open(path, os.O_RDWR)
                size = os.fstat(self._fd).st_size
                if size >= HEADER_BYTES:
                    m = mmap.mmap(self._fd, size)
                    magic, version = struct.unpack_from("<qi", m, 0)
                    if magic != MAGIC:
                        raise ServiceError(0, "%s is not a tca.ipc file" % path)
                    if version != VERSION:
                        raise ServiceError(0, "%s speaks protocol version %d, this client %d"
                                           % (path, version, VERSION))
                    if struct.unpack_from("<i", m, 56)[0] == 1:
                        break
                    m.close()
                os.close(self._fd)
            except FileNotFoundError:
                pass
            if time.monotonic() > deadline:
                raise ServiceError(0, "no learner service at %s (start one with: "
                                   "bin/tca serve --dir %s)" % (directory, directory))
            time.sleep(0.02)
        self._map = m
        self.directory = directory
        (self._slots, req_cap, rep_cap, self._max_params, self._timeout_ms, slot_bytes) = \
            struct.unpack_from("<iiiiiq", m, 12)
        self._service = np.frombuffer(m, dtype="<i8", count=HEADER_BYTES // 8)
        self.slot = None
        for s in range(self._slots):
            base = HEADER_BYTES + s * slot_bytes
            try:
                fcntl.lockf(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB, HEADER_BYTES, base)
            except OSError:
                continue
            hdr = np.frombuffer(m, dtype="<i4", count=HEADER_BYTES // 4, offset=base)
            if hdr[S_STATE // 4] == FREE:
                self.slot, self._base = s, base
                break
            fcntl.lockf(self._fd, fcntl.LOCK_UN, HEADER_BYTES, base)
        if self.slot is None:
            self._release()
            raise ServiceError(0, "all %d slots of the learner service at %s are taken"
                               % (self._slots, directory))
        req_off = self._base + HEADER_BYTES
        rep_off = req_off + req_cap + TRAILER
        par_off = (rep_off + rep_cap + TRAILER + HEADER_BYTES - 1) // HEADER_BYTES * HEADER_BYTES
        # the service reads no free slot: wipe what a reclaimed client may have left
        m[req_off:req_off + req_cap + TRAILER] = bytes(req_cap + TRAILER)
        m[rep_off:rep_off + rep_cap + TRAILER] = bytes(rep_cap + TRAILER)
        self._h32 = np.frombuffer(m, dtype="<i4", count=HEADER_BYTES // 4, offset=self._base)
        self._h64 = np.frombuffer(m, dtype="<i8", count=HEADER_BYTES // 8, offset=self._base)
        self._h64[S_PID // 8] = os.getpid()
        self._beat()
        self._h32[S_STATE // 4] = CLAIMED
        self._generation = int(self._h32[S_GENERATION // 4])
        self._requests = _Ring(m, req_off, req_cap)
        self._replies = _Ring(m, rep_off, rep_cap)
        self._params = np.frombuffer(m, dtype="<f4", count=self._max_params, offset=par_off)
        self._id = 1
        self.info = None

    # ------------------------------------------------------------------ requests

    def open(self, **config):
        """Opens a learner (keys: docs/embed-protocol.md, e.g. name, inputs, hidden, outputs,
        loss, rule, optimizer, lr, seed, steps); returns a dict of what the service answered."""
        body = self._call(OPEN, json.dumps(config).encode("utf-8"))
        p, nin, nout, steps, cls, restored = struct.unpack_from("<6i", body, 0)
        self.info = dict(parameters=p, inputs=nin, outputs=nout, steps=steps,
                         classification=bool(cls), restored=bool(restored))
        self._step_fmt = struct.Struct("<qii%df" % (nin + (0 if cls else nout)))
        self._reply_fmt = struct.Struct("<iid%df" % nout)
        return self.info

    def step(self, x, target=None, label=0, learn=True):
        """One step: x_t (N_in), target y*_t (N_out, mse) or label (cross-entropy); returns
        (y_t as a float32 array, l_t). With learn=False the parameters stay unchanged."""
        info = self.info
        if info is None:
            raise ServiceError(0, "step before open")
        x = np.asarray(x, dtype=np.float32).ravel()
        if x.size != info["inputs"]:
            raise ValueError("x has %d values, the learner N_in = %d" % (x.size, info["inputs"]))
        values = x
        if not info["classification"]:
            t = np.asarray(target, dtype=np.float32).ravel()
            if t.size != info["outputs"]:
                raise ValueError("target has %d values, the learner N_out = %d"
                                 % (t.size, info["outputs"]))
            values = np.concatenate((x, t))
        payload = self._step_fmt.pack(self._id, 1 if learn else 0, int(label), *values.tolist())
        body = self._call(STEP, payload, raw=True)
        r = self._reply_fmt.unpack_from(body, 0)
        return np.array(r[3:], dtype=np.float32), r[2]

    def predict(self, x):
        """A deferred step: sends x_t, returns the prediction y_t; complete the step with
        learn_error or learn_reward (or drop it with reset)."""
        info = self._need_open()
        x = self._vector(x, info["inputs"], "x")
        values = x if info["classification"] else np.concatenate(
            (x, np.zeros(info["outputs"], np.float32)))
        payload = self._step_fmt.pack(self._id, FLAG_DEFER, 0, *values.tolist())
        body = self._call(STEP, payload, raw=True)
        return np.array(self._reply_fmt.unpack_from(body, 0)[3:], dtype=np.float32)

    def learn_error(self, error, learn=True):
        """Completes the deferred step with the error e_t = dl_t/dy_t (N_out values; mse
        learners); returns the surrogate loss l_t the service's rule saw."""
        e = self._vector(error, self._need_open()["outputs"], "error")
        body = self._call(LEARN, struct.pack("<ii", 1 if learn else 0, LEARN_ERROR)
                          + e.astype("<f4").tobytes())
        return struct.unpack_from("<d", body, 8)[0]

    def learn_reward(self, reward, action, learn=True):
        """Completes the deferred step with the reward r_t of the action a_t taken around y_t
        (REINFORCE, error -(r_t - b_t)(a_t - y_t), running baseline b_t); returns r_t - b_t."""
        a = self._vector(action, self._need_open()["outputs"], "action")
        body = self._call(LEARN, struct.pack("<iid", 1 if learn else 0, LEARN_REWARD,
                                             float(reward)) + a.astype("<f4").tobytes())
        return struct.unpack_from("<d", body, 8)[0]

    def _need_open(self):
        if self.info is None:
            raise ServiceError(0, "no learner open (call open first)")
        return self.info

    @staticmethod
    def _vector(v, n, what):
        v = np.asarray(v, dtype=np.float32).ravel()
        if v.size != n:
            raise ValueError("%s has %d values, the learner expects %d" % (what, v.size, n))
        return v

    def reset(self):
        """Starts a new sequence (state and traces to zero)."""
        self._call(RESET)

    def snapshot(self):
        """Writes the parameters to DIR/learners/NAME/params.npy; returns that path."""
        return os.path.join(self.directory, self._call(SNAPSHOT).decode("utf-8"))

    def restore(self, path=""):
        """Loads the parameters from a float32 .npy (relative to DIR; "" = own snapshot)."""
        self._call(RESTORE, path.encode("utf-8"))

    def stats(self):
        """The learner's counters: steps, updates, sequences, last_loss, mean_loss."""
        s = struct.unpack_from("<qqqdd", self._call(STATS), 0)
        return dict(steps=s[0], updates=s[1], sequences=s[2], last_loss=s[3], mean_loss=s[4])

    def ping(self):
        """A round trip that does nothing (keeps an idle client from timing out)."""
        self._call(PING)

    def close_learner(self):
        """Closes the learner (the service snapshots it); the slot stays ours."""
        self._call(CLOSE)
        self.info = None

    # ------------------------------------------------------------------ weights

    def weights_view(self):
        """A zero-copy view of the published parameters (may change under you; see weights)."""
        return self._params[:int(self._h32[S_COUNT // 4])]

    def weights(self):
        """(parameters, updates): a consistent copy under the slot's seqlock, no request. The
        service publishes after updates once the requests pause for 50 us (at least every 10 ms);
        ``updates`` says which version."""
        while True:
            seq = int(self._h64[S_SEQ // 8])
            if seq & 1 == 0:
                n = int(self._h32[S_COUNT // 4])
                updates = int(self._h64[S_UPDATES // 8])
                w = self._params[:n].copy()
                if int(self._h64[S_SEQ // 8]) == seq:
                    return w, updates

    # ------------------------------------------------------------------ plumbing

    def _beat(self):
        self._h64[S_BEAT // 8] = int(time.time() * 1000)

    def _check(self):
        if (int(self._h32[S_GENERATION // 4]) != self._generation
                or int(self._h32[S_STATE // 4]) == FREE):
            raise ServiceError(0, "the service reclaimed slot %d (silent for longer than its "
                               "client timeout of %d ms)" % (self.slot, self._timeout_ms))
        silent = time.time() * 1000 - int(self._service[48 // 8])
        if silent > 5000 or struct.unpack_from("<i", self._map, 56)[0] != 1:
            raise ServiceError(0, "the learner service is not running (silent for %d ms)"
                               % silent)

    def _call(self, type_id, body=b"", raw=False):
        rid = self._id
        payload = body if raw else struct.pack("<q", rid) + body
        self._check()
        self._beat()
        spins = 0
        while not self._requests.write(type_id, payload):  # back-pressure: wait for room
            spins += 1
            if spins % 10000 == 0:
                self._check()
        self._id += 1
        spins = 0
        while True:
            r = self._replies.read()
            if r is not None:
                break
            spins += 1
            if spins % 20000 == 0:
                self._check()
                self._beat()
        rtype, data = r
        got = struct.unpack_from("<q", data, 0)[0]
        if got != rid:
            raise ServiceError(0, "reply for request %d while waiting for %d" % (got, rid))
        if rtype == ERROR:
            code = struct.unpack_from("<i", data, 8)[0]
            raise ServiceError(code, data[12:].decode("utf-8", "replace"))
        return data[8:]

    def _release(self):
        self._service = self._h32 = self._h64 = self._params = None
        self._requests = self._replies = None
        try:
            self._map.close()
        except BufferError:
            pass  # a weights_view() the caller still holds keeps the mapping alive
        os.close(self._fd)  # closing the descriptor drops our fcntl lock

    def close(self):
        """Closes the learner (snapshot) and leaves the slot."""
        if self._h32 is None:
            return
        try:
            reclaimed = int(self._h32[S_GENERATION // 4]) != self._generation
            if not reclaimed:
                if int(self._h32[S_STATE // 4]) == OPENED:
                    self.close_learner()
                self._h64[S_PID // 8] = 0
                self._h32[S_STATE // 4] = FREE
        finally:
            self._release()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
