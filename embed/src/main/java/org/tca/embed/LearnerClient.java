package org.tca.embed;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * A Java client of a learner service ({@link LearnerService}): claims a free slot of
 * {@code DIR/tca.ipc} (a lock on the slot's header bytes, released by the OS if this process
 * dies), then sends requests and waits for their replies, spinning. One learner per client; not
 * thread-safe. {@link #step} allocates nothing.
 */
public final class LearnerClient implements AutoCloseable {

  /** How long a live service's heartbeat may be silent before a call gives up, by default. */
  public static final long SERVICE_SILENCE_MS = 5_000;

  private final IpcFile ipc;
  private final int slot;
  private final FileLock lock;
  private final UnsafeBuffer header;
  private final UnsafeBuffer service;
  private final OneToOneRingBuffer requests;
  private final OneToOneRingBuffer replies;
  private final int generation;
  private final ProcessHandle serviceProcess;
  private final long serviceSilenceMs;
  private final UnsafeBuffer out = new UnsafeBuffer(new byte[1 << 16]);
  private final UnsafeBuffer in = new UnsafeBuffer(new byte[1 << 16]);
  private final MessageHandler onReply = this::onReply;
  private int replyType;
  private int replyLength;
  private long nextId = 1;
  private int inputs;
  private int outputs;
  private int parameterCount;
  private boolean classification;

  /** What OPEN answered. */
  public record Opened(int parameters, int inputs, int outputs, int steps, boolean classification,
      boolean restored) {}

  /**
   * What STATS answered: the counters, l_t of the last step, the mean l_t and, for a spiking
   * learner, its mean firing rate in Hz since it was opened (NaN for rate cells and before the
   * first step; {@link OnlineLearner#firingRate}).
   */
  public record Stats(long steps, long updates, long sequences, double lastLoss,
      double meanLoss, double firingRate) {}

  private LearnerClient(IpcFile ipc, int slot, FileLock lock, long serviceSilenceMs) {
    this.ipc = ipc;
    this.slot = slot;
    this.lock = lock;
    this.serviceSilenceMs = serviceSilenceMs;
    this.header = ipc.slotHeader(slot);
    this.service = ipc.header();
    this.requests = ipc.requestRing(slot);
    this.replies = ipc.replyRing(slot);
    this.generation = header.getIntVolatile(IpcLayout.S_GENERATION);
    this.serviceProcess = serviceProcess(ipc).orElse(null); // null: gone since connect saw it
  }

  /**
   * Connects to the service serving {@code dir}, waiting up to {@code waitMs} for it to be ready,
   * and claims a free slot.
   */
  public static LearnerClient connect(Path dir, long waitMs) throws IOException {
    return connect(dir, waitMs, SERVICE_SILENCE_MS);
  }

  /**
   * As {@link #connect(Path, long)}; a call waiting for the service gives up when the service's
   * process is gone or its heartbeat has been silent for longer than {@code serviceSilenceMs}
   * (a live service is silent while it writes a snapshot, which on a busy disk takes seconds).
   */
  public static LearnerClient connect(Path dir, long waitMs, long serviceSilenceMs)
      throws IOException {
    long deadline = System.currentTimeMillis() + waitMs;
    IpcFile ipc = null;
    while (true) {
      try {
        ipc = IpcFile.open(dir);
        // a killed service leaves its file saying ready
        if (ipc.header().getIntVolatile(IpcLayout.H_READY) == 1
            && serviceProcess(ipc).map(ProcessHandle::isAlive).orElse(false)) {
          break;
        }
        ipc.close();
        ipc = null;
        if (System.currentTimeMillis() > deadline) {
          throw new IOException("the learner service at " + dir + " is not ready");
        }
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the learner service", e);
      }
    }
    IpcLayout layout = ipc.layout();
    for (int s = 0; s < layout.slots(); s++) {
      FileLock lock;
      try {
        lock = ipc.channel().tryLock(layout.slotOffset(s), IpcLayout.HEADER_BYTES, false);
      } catch (OverlappingFileLockException e) {
        continue; // another client of this JVM holds it
      }
      if (lock == null) {
        continue;
      }
      UnsafeBuffer h = ipc.slotHeader(s);
      if (h.getIntVolatile(IpcLayout.S_STATE) == IpcLayout.FREE) {
        // the service reads no free slot: wipe anything a reclaimed client left in the rings
        ipc.requestBuffer(s).setMemory(0, ipc.requestBuffer(s).capacity(), (byte) 0);
        ipc.replyBuffer(s).setMemory(0, ipc.replyBuffer(s).capacity(), (byte) 0);
        h.putLong(IpcLayout.S_CLIENT_PID, ProcessHandle.current().pid());
        h.putLong(IpcLayout.S_CLIENT_HEARTBEAT, System.currentTimeMillis());
        h.putIntRelease(IpcLayout.S_STATE, IpcLayout.CLAIMED);
        return new LearnerClient(ipc, s, lock, serviceSilenceMs);
      }
      lock.release();
    }
    ipc.close();
    throw new IOException("all " + layout.slots() + " slots of the learner service at " + dir
        + " are taken");
  }

  private static Optional<ProcessHandle> serviceProcess(IpcFile ipc) {
    return ProcessHandle.of(ipc.header().getLongVolatile(IpcLayout.H_SERVICE_PID));
  }

  /** The slot this client holds. */
  public int slot() {
    return slot;
  }

  /** Opens the learner described by a JSON config ({@link LearnerConfig#parse}). */
  public Opened open(String json) {
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    out.putBytes(Protocol.CORRELATION_BYTES, utf8);
    call(Protocol.OPEN, Protocol.CORRELATION_BYTES + utf8.length);
    Opened o = new Opened(in.getInt(8, ByteOrder.LITTLE_ENDIAN),
        in.getInt(12, ByteOrder.LITTLE_ENDIAN), in.getInt(16, ByteOrder.LITTLE_ENDIAN),
        in.getInt(20, ByteOrder.LITTLE_ENDIAN), in.getInt(24, ByteOrder.LITTLE_ENDIAN) != 0,
        in.getInt(28, ByteOrder.LITTLE_ENDIAN) != 0);
    inputs = o.inputs();
    outputs = o.outputs();
    parameterCount = o.parameters();
    classification = o.classification();
    return o;
  }

  /**
   * One step: sends x_t and the target (regression: {@code target}; classification:
   * {@code label}), writes y_t into {@code y} and returns l_t.
   */
  public double step(float[] x, float[] target, int label, boolean learn, float[] y) {
    if (!classification && target == null) {
      throw new IllegalArgumentException("a regression learner's step needs a target");
    }
    int length = encodeStep(x, target, label, learn);
    call(Protocol.STEP, length);
    for (int i = 0; i < outputs; i++) {
      y[i] = in.getFloat(24 + 4 * i, ByteOrder.LITTLE_ENDIAN);
    }
    return in.getDouble(16, ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * A deferred step: sends x_t, writes the prediction y_t into {@code y}; the step waits for
   * {@link #learnError} or {@link #learnReward} (or {@link #reset}).
   */
  public void predict(float[] x, float[] y) {
    int length = encodeStep(x, null, 0, false); // a deferred step's target is ignored
    out.putInt(8, Protocol.FLAG_DEFER, ByteOrder.LITTLE_ENDIAN);
    call(Protocol.STEP, length);
    for (int i = 0; i < outputs; i++) {
      y[i] = in.getFloat(24 + 4 * i, ByteOrder.LITTLE_ENDIAN);
    }
  }

  /**
   * Completes the deferred step with the error e_t = dl_t/dy_t (N_out values; regression
   * learners); applies the update when {@code learn}. Returns the surrogate l_t.
   */
  public double learnError(float[] e, boolean learn) {
    return learn(Protocol.LEARN_ERROR, 0, e, learn);
  }

  /**
   * Completes the deferred step with the reward r_t of the action a_t the client took (N_out
   * values; {@link OnlineLearner#learnReward}); returns the advantage A_t = r_t - b_t.
   */
  public double learnReward(double reward, float[] action, boolean learn) {
    return learn(Protocol.LEARN_REWARD, reward, action, learn);
  }

  private double learn(int kind, double reward, float[] values, boolean learn) {
    if (values.length != outputs) {
      throw new IllegalArgumentException("the error or action must have N_out = " + outputs
          + " values");
    }
    out.putInt(8, learn ? Protocol.FLAG_LEARN : 0, ByteOrder.LITTLE_ENDIAN);
    out.putInt(12, kind, ByteOrder.LITTLE_ENDIAN);
    int p = 16;
    if (kind == Protocol.LEARN_REWARD) {
      out.putDouble(p, reward, ByteOrder.LITTLE_ENDIAN);
      p += 8;
    }
    for (int i = 0; i < outputs; i++, p += 4) {
      out.putFloat(p, values[i], ByteOrder.LITTLE_ENDIAN);
    }
    call(Protocol.LEARN, p);
    return in.getDouble(16, ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Sends a STEP without waiting for its reply; false when the request ring is full (the
   * service is behind: back-pressure). Collect the replies with {@link #pollReply}.
   */
  public boolean offerStep(float[] x, float[] target, int label, boolean learn) {
    int length = encodeStep(x, target, label, learn);
    checkSlot();
    beat();
    boolean sent = requests.write(Protocol.STEP, out, 0, length);
    if (sent) {
      nextId++;
    }
    return sent;
  }

  /** Takes one waiting reply, if any: its message type, or 0 when none is there. */
  public int pollReply() {
    replyType = 0;
    replies.read(onReply, 1);
    return replyType;
  }

  private int encodeStep(float[] x, float[] target, int label, boolean learn) {
    if (x.length != inputs || (!classification && target != null && target.length != outputs)) {
      throw new IllegalArgumentException("x must have N_in = " + inputs
          + " values and the target N_out = " + outputs);
    }
    out.putLong(0, nextId, ByteOrder.LITTLE_ENDIAN);
    out.putInt(8, learn ? Protocol.FLAG_LEARN : 0, ByteOrder.LITTLE_ENDIAN);
    out.putInt(12, label, ByteOrder.LITTLE_ENDIAN);
    int p = 16;
    for (int i = 0; i < inputs; i++, p += 4) {
      out.putFloat(p, x[i], ByteOrder.LITTLE_ENDIAN);
    }
    if (!classification) {
      for (int i = 0; i < outputs; i++, p += 4) {
        out.putFloat(p, target == null ? 0f : target[i], ByteOrder.LITTLE_ENDIAN);
      }
    }
    return p;
  }

  /** A round trip that does nothing (keeps an idle client from timing out; times the transport). */
  public void ping() {
    call(Protocol.PING, Protocol.CORRELATION_BYTES);
  }

  /** Starts a new sequence. */
  public void reset() {
    call(Protocol.RESET, Protocol.CORRELATION_BYTES);
  }

  /** Snapshots the parameters; returns the .npy path relative to the service directory. */
  public String snapshot() {
    call(Protocol.SNAPSHOT, Protocol.CORRELATION_BYTES);
    return in.getStringWithoutLengthUtf8(8, replyLength - 8);
  }

  /** Restores parameters from a float32 .npy (path relative to DIR; "" = own snapshot). */
  public void restore(String path) {
    byte[] utf8 = path.getBytes(StandardCharsets.UTF_8);
    out.putBytes(Protocol.CORRELATION_BYTES, utf8);
    call(Protocol.RESTORE, Protocol.CORRELATION_BYTES + utf8.length);
  }

  /** The learner's counters. */
  public Stats stats() {
    call(Protocol.STATS, Protocol.CORRELATION_BYTES);
    return new Stats(in.getLong(8, ByteOrder.LITTLE_ENDIAN), in.getLong(16, ByteOrder.LITTLE_ENDIAN),
        in.getLong(24, ByteOrder.LITTLE_ENDIAN), in.getDouble(32, ByteOrder.LITTLE_ENDIAN),
        in.getDouble(40, ByteOrder.LITTLE_ENDIAN), in.getDouble(48, ByteOrder.LITTLE_ENDIAN));
  }

  /** Sends a raw request (for tests of malformed messages) and waits for its reply type. */
  public int raw(int type, byte[] payload) {
    out.putBytes(0, payload);
    send(type, payload.length);
    return await(-1);
  }

  /** The text of the last ERROR reply's message (after {@link #raw}). */
  public String lastErrorMessage() {
    return in.getStringWithoutLengthUtf8(12, replyLength - 12);
  }

  /**
   * Copies the published parameters into {@code values} (length P) consistently, without a
   * request; returns the number of updates they include.
   */
  public long weights(float[] values) {
    return ipc.readParameters(slot, values);
  }

  /** P of the open learner. */
  public int parameterCount() {
    return parameterCount;
  }

  /** Closes the learner (the service snapshots it), keeping the slot. */
  public void closeLearner() {
    call(Protocol.CLOSE, Protocol.CORRELATION_BYTES);
  }

  private void call(int type, int length) {
    long id = nextId;
    out.putLong(0, id, ByteOrder.LITTLE_ENDIAN);
    send(type, length);
    int t = await(id);
    if (t == Protocol.ERROR) {
      throw new ServiceError(in.getInt(8, ByteOrder.LITTLE_ENDIAN),
          in.getStringWithoutLengthUtf8(12, replyLength - 12));
    }
  }

  private void beat() {
    header.putLongRelease(IpcLayout.S_CLIENT_HEARTBEAT, System.currentTimeMillis());
  }

  /** Writes the request, waiting while the ring is full (back-pressure). */
  private void send(int type, int length) {
    checkSlot();
    beat();
    long spins = 0;
    while (!requests.write(type, out, 0, length)) {
      if ((++spins & 0xFFFF) == 0) {
        checkService();
      }
      Thread.onSpinWait();
    }
    nextId++;
  }

  /** Waits for the next reply; checks its correlation id (unless -1); returns its type. */
  private int await(long id) {
    long spins = 0;
    while (true) {
      replyType = 0;
      if (replies.read(onReply, 1) == 1) {
        long got = in.getLong(0, ByteOrder.LITTLE_ENDIAN);
        if (id != -1 && got != id) {
          throw new ServiceError(0, "reply for request " + got + " while waiting for " + id);
        }
        return replyType;
      }
      if ((++spins & 0xFFFF) == 0) {
        checkService();
      }
      Thread.onSpinWait();
    }
  }

  private void onReply(int type, org.agrona.DirectBuffer buffer, int index, int length) {
    buffer.getBytes(index, in, 0, length);
    replyType = type;
    replyLength = length;
  }

  /** Throws when the service reclaimed the slot (this client was silent too long). */
  private void checkSlot() {
    if (header.getIntVolatile(IpcLayout.S_GENERATION) != generation
        || header.getIntVolatile(IpcLayout.S_STATE) == IpcLayout.FREE) {
      throw new ServiceError(0, "the service reclaimed slot " + slot + " (silent for longer "
          + "than its client timeout of " + service.getInt(IpcLayout.H_CLIENT_TIMEOUT_MS) + " ms)");
    }
  }

  private void checkService() {
    checkSlot();
    beat();
    long silent = System.currentTimeMillis()
        - service.getLongVolatile(IpcLayout.H_SERVICE_HEARTBEAT);
    if (serviceProcess == null || !serviceProcess.isAlive()) {
      throw new ServiceError(0, "the learner service is not running (its process is gone)");
    }
    if (service.getIntVolatile(IpcLayout.H_READY) != 1 || silent > serviceSilenceMs) {
      throw new ServiceError(0, "the learner service is not running (silent for " + silent
          + " ms)");
    }
  }

  /** Leaves the slot without a word to the service, as a crashed client would (for tests). */
  void abandon() throws IOException {
    lock.release();
    ipc.close();
  }

  /** Leaves the slot (the service keeps a snapshot of an open learner) and unmaps the file. */
  @Override
  public void close() throws IOException {
    try {
      if (header.getIntVolatile(IpcLayout.S_GENERATION) != generation) {
        return; // reclaimed: the slot is no longer ours
      }
      if (header.getIntVolatile(IpcLayout.S_STATE) == IpcLayout.OPEN) {
        closeLearner();
      }
      header.putLong(IpcLayout.S_CLIENT_PID, 0);
      header.putIntRelease(IpcLayout.S_STATE, IpcLayout.FREE);
    } finally {
      lock.release();
      ipc.close();
    }
  }
}
