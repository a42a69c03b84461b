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

Speed: a call writes its request straight into the ring (struct.Struct.pack_into for the
header fields, one numpy slice assignment per vector) and spins on one int32 of the reply ring
through a memoryview; nothing per call is built that the call does not return. The ring
protocol relies on x86/x86-64 store ordering (Python has no memory fences) and on a
little-endian CPU (the memoryview casts are native-endian).
"""

import fcntl
import json
import mmap
import os
import struct
import sys
import time

import numpy as np

__all__ = ["Client", "ServiceError", "VERSION"]

VERSION = 3
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
H_PID, H_BEAT, H_READY = 40, 48, 56
SERVICE_SILENCE_MS = 5000  # a call gives up when the heartbeat is older (module-wide)
CHECK_SPINS = 0x3FFF  # a wait checks the slot and the service every 16384 spins (~ms)

_ID = struct.Struct("<q")
_STEP_HEAD = struct.Struct("<qii")      # correlation id, flags, label
_STEP_REPLY = struct.Struct("<qiid")    # correlation id, t, 0, value


class ServiceError(RuntimeError):
    """An ERROR reply of the service (code > 0) or a failure to reach it (code 0)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class _Ring:
    """One Agrona OneToOneRingBuffer (capacity data bytes + 768-byte trailer) in the mapping:
    ``i32``, ``f32mv`` (memoryviews) and ``f32`` (numpy) views of the data; ``pos``, a memoryview
    of the trailer as int64, holds the tail, head cache and head positions at words 16, 32, 48."""

    def __init__(self, m, offset, capacity):
        self.off = offset
        self.cap = capacity
        self.mask = capacity - 1
        self.max_msg = capacity // 8
        whole = memoryview(m)
        self.i32 = whole[offset:offset + capacity].cast("i")
        self.f32mv = whole[offset:offset + capacity].cast("f")
        self.pos = whole[offset + capacity:offset + capacity + TRAILER].cast("q")
        whole.release()
        self.f32 = np.frombuffer(m, dtype="<f4", count=capacity // 4, offset=offset)

    def release(self):
        self.i32.release()
        self.f32mv.release()
        self.pos.release()
        self.f32 = None

    def claim(self, length):
        """Agrona's claimCapacity for a message of ``length`` bytes: the record's index in the
        data (its header still zero), the tail already moved past it; -1 when the ring is full.
        The caller writes -record length, the payload, the type, then the record length."""
        aligned = (length + RECORD_HEADER + 7) & ~7
        required = aligned + RECORD_HEADER
        pos, cap = self.pos, self.cap
        tail = pos[16]
        head = pos[32]
        if required > cap - (tail - head):
            head = pos[48]
            if required > cap - (tail - head):
                return -1
            pos[32] = head
        index = tail & self.mask
        to_end = cap - index
        i32 = self.i32
        if required <= to_end:  # the usual case: room before the end, zero the next header
            pos[16] = tail + aligned
            w = (index + aligned) >> 2
            i32[w] = 0
            i32[w + 1] = 0
            return index
        if aligned == to_end:  # the record ends the buffer: the next header is at 0
            pos[16] = tail + aligned
            i32[0] = 0
            i32[1] = 0
            return index
        # not enough room before the end: pad to the end, write at 0
        head_index = head & self.mask
        if required > head_index:
            head = pos[48]
            head_index = head & self.mask
            if required > head_index:
                pos[32] = head
                return -1
            pos[32] = head
        pos[16] = tail + to_end + aligned
        i32[0] = 0
        i32[1] = 0
        i32[index >> 2] = -to_end
        i32[(index >> 2) + 1] = PADDING_TYPE
        i32[index >> 2] = to_end
        i32[aligned >> 2] = 0
        i32[(aligned >> 2) + 1] = 0
        return 0


class Client:
    """A client holding one slot of a learner service and (after :meth:`open`) one learner."""

    def __init__(self, directory, wait=10.0):
        if sys.byteorder != "little":
            raise ServiceError(0, "the tca client needs a little-endian CPU")
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
                    if (struct.unpack_from("<i", m, H_READY)[0] == 1
                            and _alive(struct.unpack_from("<q", m, H_PID)[0])):
                        break  # (a killed service leaves its file saying ready)
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
        self._h = None
        self.slot = None
        for s in range(self._slots):
            base = HEADER_BYTES + s * slot_bytes
            try:
                fcntl.lockf(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB, HEADER_BYTES, base)
            except OSError:
                continue
            if struct.unpack_from("<i", m, base + S_STATE)[0] == FREE:
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
        whole = memoryview(m)
        self._service = whole[:HEADER_BYTES].cast("q")          # int64 words of the file header
        self._h = whole[self._base:self._base + HEADER_BYTES].cast("i")  # slot header, int32
        self._h64 = whole[self._base:self._base + HEADER_BYTES].cast("q")
        whole.release()
        self._h64[S_PID // 8] = os.getpid()
        self._beat()
        self._h[S_STATE // 4] = CLAIMED
        self._generation = self._h[S_GENERATION // 4]
        self._requests = _Ring(m, req_off, req_cap)
        self._replies = _Ring(m, rep_off, rep_cap)
        self._params = np.frombuffer(m, dtype="<f4", count=self._max_params, offset=par_off)
        self._id = 1
        self.info = None
        self._nin = None

    # ------------------------------------------------------------------ requests

    def open(self, **config):
        """Opens a learner (keys: docs/embed-protocol.md, e.g. name, inputs, hidden, outputs,
        loss, rule, optimizer, lr, seed, steps; a spiking network with cell="lif", "alif" or
        "lif-alif" and its neurons' tau_m, tau_a, beta, v_th, n_ref, gamma, tau_out,
        target_rate, rate_cost, input_gain); returns a dict of what the service answered."""
        body = self._call(OPEN, json.dumps(config).encode("utf-8"))
        p, nin, nout, steps, cls, restored = struct.unpack_from("<6i", body, 0)
        self.info = dict(parameters=p, inputs=nin, outputs=nout, steps=steps,
                         classification=bool(cls), restored=bool(restored))
        self._nin, self._nout, self._cls = nin, nout, bool(cls)
        self._xshape, self._yshape = (nin,), (nout,)
        self._step_bytes = 16 + 4 * (nin + (0 if cls else nout))
        self._zeros = np.zeros(nout, np.float32)
        return self.info

    def step(self, x, target=None, label=0, learn=True):
        """One step: x_t (N_in), target y*_t (N_out, mse) or label (cross-entropy); returns
        (y_t as a new float32 array, l_t). With learn=False the parameters stay unchanged."""
        if self._nin is None:
            raise ServiceError(0, "step before open")
        if getattr(x, "shape", None) != self._xshape:  # not a 1-d array of N_in values
            x = self._vector(x, self._nin, "x")
        if not self._cls and getattr(target, "shape", None) != self._yshape:
            if target is None:
                raise ValueError("a step of an mse learner needs a target (N_out = %d values)"
                                 % self._nout)
            target = self._vector(target, self._nout, "target")
        return self._step(FLAG_LEARN if learn else 0, label, x, target)

    def _step(self, flags, label, x, target):
        """Sends a STEP (x and target checked) and returns (y_t, l_t)."""
        n = self._step_bytes
        index, rid = self._begin(n)
        rq = self._requests
        i32 = rq.i32
        w = index >> 2
        _STEP_HEAD.pack_into(self._map, rq.off + index + RECORD_HEADER, rid, flags, label)
        a = w + 6  # the float32 index of x_t in the ring
        b = a + self._nin
        try:
            try:  # a contiguous float32 array: one memoryview copy
                rq.f32mv[a:b] = x.data
                if not self._cls:
                    rq.f32mv[b:b + self._nout] = target.data
            except (ValueError, TypeError):  # another dtype or layout: numpy converts
                rq.f32[a:b] = x
                if not self._cls:
                    rq.f32[b:b + self._nout] = target
        except BaseException:  # e.g. values numpy cannot cast: the service skips padding
            i32[w + 1] = PADDING_TYPE
            i32[w] = n + RECORD_HEADER
            raise
        i32[w + 1] = STEP
        i32[w] = n + RECORD_HEADER
        rp = self._replies
        index, rtype = self._await(rid)
        if rtype != STEP:
            self._raise(rtype, index)
        _, _, _, loss = _STEP_REPLY.unpack_from(self._map, rp.off + index + RECORD_HEADER)
        w = (index >> 2) + 8
        return rp.f32[w:w + self._nout].copy(), loss

    def predict(self, x):
        """A deferred step: sends x_t, returns the prediction y_t; complete the step with
        learn_error or learn_reward (or drop it with reset)."""
        info = self._need_open()
        x = self._vector(x, info["inputs"], "x")
        return self._step(FLAG_DEFER, 0, x, self._zeros)[0]

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
        """The learner's counters: steps, updates, sequences, last_loss, mean_loss and
        firing_rate (a spiking learner's mean rate in Hz since it was opened; NaN for rate
        cells and before the first step)."""
        s = struct.unpack_from("<qqqddd", self._call(STATS), 0)
        return dict(steps=s[0], updates=s[1], sequences=s[2], last_loss=s[3], mean_loss=s[4],
                    firing_rate=s[5])

    def ping(self):
        """A round trip that does nothing (keeps an idle client from timing out)."""
        self._call(PING)

    def close_learner(self):
        """Closes the learner (the service snapshots it); the slot stays ours."""
        self._call(CLOSE)
        self.info = None
        self._nin = None

    # ------------------------------------------------------------------ weights

    def weights_view(self):
        """A zero-copy view of the published parameters (may change under you; see weights)."""
        return self._params[:self._h[S_COUNT // 4]]

    def weights(self):
        """(parameters, updates): a consistent copy under the slot's seqlock, no request. The
        service publishes after updates once the requests pause for 50 us (at least every 10 ms);
        ``updates`` says which version."""
        h, h64 = self._h, self._h64
        while True:
            seq = h64[S_SEQ // 8]
            if seq & 1 == 0:
                n = h[S_COUNT // 4]
                updates = h64[S_UPDATES // 8]
                w = self._params[:n].copy()
                if h64[S_SEQ // 8] == seq:
                    return w, updates

    # ------------------------------------------------------------------ plumbing

    def _beat(self):
        self._h64[S_BEAT // 8] = int(time.time() * 1000)

    def _check(self):
        """Raises when the slot was reclaimed or the service is gone; beats our heartbeat."""
        h = self._h
        if h[S_GENERATION // 4] != self._generation or h[S_STATE // 4] == FREE:
            raise ServiceError(0, "the service reclaimed slot %d (silent for longer than its "
                               "client timeout of %d ms)" % (self.slot, self._timeout_ms))
        self._beat()
        silent = time.time() * 1000 - self._service[H_BEAT // 8]
        ready = struct.unpack_from("<i", self._map, H_READY)[0] == 1
        if not ready or silent > SERVICE_SILENCE_MS or not _alive(self._service[H_PID // 8]):
            raise ServiceError(0, "the learner service is not running (silent for %d ms)"
                               % silent)

    def _begin(self, length):
        """Claims room for a request of ``length`` bytes (correlation id first), waiting while
        the ring is full, and marks it unfinished (-record length): (its index, its id)."""
        h = self._h
        if h[S_GENERATION // 4] != self._generation or h[S_STATE // 4] == FREE:
            self._check()
        rq = self._requests
        index = rq.claim(length)
        if index < 0:
            index = self._wait_for_room(length)
        rid = self._id
        self._id = rid + 1
        rq.i32[index >> 2] = -(length + RECORD_HEADER)
        return index, rid

    def _wait_for_room(self, length):
        """Spins while the request ring is full (back-pressure); returns the claimed index."""
        spins = 0
        while True:
            index = self._requests.claim(length)
            if index >= 0:
                return index
            spins += 1
            if not spins & CHECK_SPINS:
                self._check()

    def _await(self, rid):
        """Spins until the reply to request ``rid`` is in the reply ring; consumes it and returns
        (its index in the ring's data, its type). Stale replies (to an interrupted earlier
        call) are skipped."""
        rp = self._replies
        i32, pos, mask = rp.i32, rp.pos, rp.mask
        spins = 0
        while True:
            head = pos[48]
            index = head & mask
            w = index >> 2
            length = i32[w]
            while length <= 0:
                spins += 1
                if not spins & CHECK_SPINS:
                    self._check()
                length = i32[w]
            pos[48] = head + ((length + 7) & ~7)  # consumed: synchronous calls, nothing follows
            rtype = i32[w + 1]
            if rtype == PADDING_TYPE:
                continue
            got = _ID.unpack_from(self._map, rp.off + index + RECORD_HEADER)[0]
            if got == rid:
                return index, rtype
            if got > rid:
                raise ServiceError(0, "reply for request %d while waiting for %d" % (got, rid))

    def _raise(self, rtype, index):
        """Raises the ServiceError of an ERROR reply at ``index`` of the reply ring."""
        body = self._body(index)
        if rtype == ERROR:
            raise ServiceError(struct.unpack_from("<i", body, 0)[0],
                               body[4:].decode("utf-8", "replace"))
        raise ServiceError(0, "a reply of type %d to a request of another type" % rtype)

    def _body(self, index):
        """The bytes of a reply after its correlation id."""
        rp = self._replies
        length = rp.i32[index >> 2]
        start = rp.off + index + RECORD_HEADER + 8
        return self._map[start:start + length - RECORD_HEADER - 8]

    def _call(self, type_id, body=b""):
        """Sends a request (a new correlation id, then ``body``) and returns the reply's bytes
        after its correlation id; an ERROR reply raises ServiceError."""
        index, rtype = self._await(self._send(type_id, body))
        if rtype != type_id:
            self._raise(rtype, index)
        return self._body(index)

    def _send(self, type_id, body=b""):
        """Writes a request into the request ring (waiting while it is full); returns its
        correlation id."""
        length = 8 + len(body)
        rq = self._requests
        if length > rq.max_msg:
            raise ValueError("message of %d bytes exceeds the ring's limit of %d"
                             % (length, rq.max_msg))
        index, rid = self._begin(length)
        i32 = rq.i32
        w = index >> 2
        start = rq.off + index + RECORD_HEADER
        _ID.pack_into(self._map, start, rid)
        if body:
            self._map[start + 8:start + length] = body
        i32[w + 1] = type_id
        i32[w] = length + RECORD_HEADER
        return rid

    def _release(self):
        for ring in ("_requests", "_replies"):
            r = getattr(self, ring, None)
            if r is not None:
                r.release()
        for v in (getattr(self, "_service", None), self._h, getattr(self, "_h64", None)):
            if v is not None:
                v.release()
        self._service = self._h = self._h64 = self._params = None
        self._requests = self._replies = None
        try:
            self._map.close()
        except BufferError:
            pass  # a weights_view() the caller still holds keeps the mapping alive
        os.close(self._fd)  # closing the descriptor drops our fcntl lock

    def close(self):
        """Closes the learner (snapshot) and leaves the slot."""
        if self._h is None:
            return
        try:
            reclaimed = self._h[S_GENERATION // 4] != self._generation
            if not reclaimed:
                if self._h[S_STATE // 4] == OPENED:
                    self.close_learner()
                self._h64[S_PID // 8] = 0
                self._h[S_STATE // 4] = FREE
        finally:
            self._release()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _alive(pid):
    """Whether process ``pid`` exists (on this host: the service shares our memory)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
