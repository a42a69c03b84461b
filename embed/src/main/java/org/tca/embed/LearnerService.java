package org.tca.embed;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.tca.numerics.io.AtomicFiles;

/**
 * The learner service: one Agrona {@link Agent} serving every slot of {@code DIR/tca.ipc}
 * ({@link IpcLayout}, {@link Protocol}). Each client claims a slot and talks through the slot's
 * one-to-one request and reply rings; the slot's learner ({@link OnlineLearner}) runs on the
 * service thread. Faults: a request is read only when the reply ring has room for its reply
 * (back-pressure, nothing dropped); a malformed request gets an ERROR reply; a client whose
 * process is gone, or that was silent for the client timeout, loses its slot (its learner is
 * snapshotted first, and a half-written request it left is wiped); OPEN restores a learner from
 * DIR/learners/NAME/params.npy when that snapshot exists. The parameters are published to the
 * slot's shared array once the slot's requests pause for {@link #PUBLISH_QUIET_NS} (or at
 * least every {@link #PUBLISH_STALE_NS} while they do not), never while a request waits.
 */
public final class LearnerService implements Agent, AutoCloseable {

  private static final long HOUSEKEEPING_NS = 100_000_000L;
  /** Publish a slot's parameters once its requests paused this long... */
  static final long PUBLISH_QUIET_NS = 50_000L;
  /** ...or once its last publication is this old, whichever comes first. */
  static final long PUBLISH_STALE_NS = 10_000_000L;

  private final Path dir;
  private final LearnerSnapshots snapshots;
  private final ServiceConfig config;
  private final IpcFile ipc;
  private final Slot[] slots;
  private final UnsafeBuffer reply;
  private long nextHousekeeping;

  /** One slot's state on the service side. */
  private final class Slot {
    final int index;
    final UnsafeBuffer header;
    final OneToOneRingBuffer requests;
    final OneToOneRingBuffer replies;
    final MessageHandler handler;
    OnlineLearner learner;
    float[] x;
    float[] target;
    float[] y;
    float[] learnValues;
    boolean dirty;
    boolean served; // took a request in this doWork
    long lastRequestNs;
    long lastPublishNs;
    long lastServedMs; // a client is silent only when neither it nor its last request is recent
    int replyNeed = RecordDescriptor.HEADER_LENGTH * 2 + Protocol.MAX_FIXED_REPLY + 8;

    Slot(int index) {
      this.index = index;
      this.header = ipc.slotHeader(index);
      this.requests = ipc.requestRing(index);
      this.replies = ipc.replyRing(index);
      this.handler = (type, buffer, offset, length) -> handle(this, type, buffer, offset, length);
    }
  }

  /** Creates DIR/tca.ipc (refusing when a live service already serves DIR). */
  public LearnerService(Path dir, ServiceConfig config) throws IOException {
    this.dir = dir;
    this.snapshots = new LearnerSnapshots(dir);
    this.config = config;
    refuseIfServed(dir);
    this.ipc = IpcFile.create(dir, config.layout(), (int) Math.min(Integer.MAX_VALUE,
        config.clientTimeoutMs()));
    this.slots = new Slot[config.layout().slots()];
    for (int s = 0; s < slots.length; s++) {
      slots[s] = new Slot(s);
    }
    int maxReply = Math.max(config.layout().replyCapacity() / 8, Protocol.MAX_FIXED_REPLY);
    this.reply = new UnsafeBuffer(new byte[maxReply]);
    this.nextHousekeeping = System.nanoTime();
  }

  private static void refuseIfServed(Path dir) throws IOException {
    if (!Files.exists(dir.resolve(IpcLayout.FILE_NAME))) {
      return;
    }
    try (IpcFile old = IpcFile.open(dir)) {
      long pid = old.header().getLong(IpcLayout.H_SERVICE_PID);
      long beat = old.header().getLongVolatile(IpcLayout.H_SERVICE_HEARTBEAT);
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (alive && pid != ProcessHandle.current().pid()
          && System.currentTimeMillis() - beat < 5_000) {
        throw new IOException("another learner service (pid " + pid + ") is serving " + dir);
      }
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("another learner service")) {
        throw e;
      }
      // an unreadable or foreign old file is replaced
    }
  }

  /** Marks the file ready: clients may claim slots from now on. */
  public void ready() {
    ipc.header().putIntVolatile(IpcLayout.H_READY, 1);
  }

  /** Starts a runner thread named "tca-serve" with the configured idle strategy. */
  public AgentRunner start() {
    ready();
    AgentRunner runner = new AgentRunner(config.newIdleStrategy(),
        t -> System.err.println("tca serve: " + t), null, this);
    AgentRunner.startOnThread(runner);
    return runner;
  }

  /** The mapped file. */
  public IpcFile ipc() {
    return ipc;
  }

  @Override
  public String roleName() {
    return "tca-serve";
  }

  @Override
  public int doWork() {
    int work = 0;
    for (Slot s : slots) {
      if (s.header.getIntVolatile(IpcLayout.S_STATE) == IpcLayout.FREE) {
        continue;
      }
      for (int i = 0; i < 16; i++) {
        // back-pressure: a request is taken only when its reply surely fits
        if (s.replies.capacity() - s.replies.size() < s.replyNeed) {
          break;
        }
        int n = s.requests.read(s.handler, 1);
        if (n == 0) {
          break;
        }
        s.lastServedMs = System.currentTimeMillis();
        s.served = true;
        work += n;
      }
    }
    long now = System.nanoTime();
    if (work == 0) {
      for (Slot s : slots) {
        // a client in a tight loop sends its next request within a microsecond of a reply:
        // publishing then (a copy of P floats) would delay that request, so wait for a pause
        // in the slot's requests, or for the staleness bound
        if (s.dirty && (now - s.lastRequestNs >= PUBLISH_QUIET_NS
            || now - s.lastPublishNs >= PUBLISH_STALE_NS)) {
          ipc.publish(s.index, s.learner.parameters().data(), s.learner.updates());
          s.dirty = false;
          s.lastPublishNs = now;
          work++;
        }
      }
    } else {
      for (Slot s : slots) {
        if (s.served) {
          s.lastRequestNs = now;
          s.served = false;
        }
      }
    }
    if (now - nextHousekeeping >= 0) {
      nextHousekeeping = now + HOUSEKEEPING_NS;
      housekeeping();
    }
    return work;
  }

  private void housekeeping() {
    long nowMs = System.currentTimeMillis();
    ipc.header().putLongRelease(IpcLayout.H_SERVICE_HEARTBEAT, nowMs);
    for (Slot s : slots) {
      int state = s.header.getIntVolatile(IpcLayout.S_STATE);
      if (state == IpcLayout.FREE) {
        continue;
      }
      long pid = s.header.getLongVolatile(IpcLayout.S_CLIENT_PID);
      long beat = Math.max(s.lastServedMs, s.header.getLongVolatile(IpcLayout.S_CLIENT_HEARTBEAT));
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (!alive || nowMs - beat > config.clientTimeoutMs()) {
        System.err.println("tca serve: slot " + s.index + ": client " + pid + (alive
            ? " silent for " + (nowMs - beat) + " ms" : " is gone") + "; slot reclaimed");
        free(s);
      }
    }
  }

  /** Snapshots the slot's learner (if any), drops it, wipes the rings and frees the slot. */
  private void free(Slot s) {
    if (s.learner != null) {
      try {
        snapshots.write(s.learner);
      } catch (IOException e) {
        System.err.println("tca serve: slot " + s.index + ": snapshot failed: " + e.getMessage());
      }
      s.learner = null;
    }
    s.dirty = false;
    ipc.requestBuffer(s.index).setMemory(0, ipc.requestBuffer(s.index).capacity(), (byte) 0);
    ipc.replyBuffer(s.index).setMemory(0, ipc.replyBuffer(s.index).capacity(), (byte) 0);
    s.header.putInt(IpcLayout.S_PARAM_COUNT, 0);
    s.header.putLong(IpcLayout.S_CLIENT_PID, 0);
    s.header.putInt(IpcLayout.S_GENERATION, s.header.getInt(IpcLayout.S_GENERATION) + 1);
    s.header.putIntRelease(IpcLayout.S_STATE, IpcLayout.FREE);
  }

  private void handle(Slot s, int type, DirectBuffer b, int index, int length) {
    if (length < Protocol.CORRELATION_BYTES) {
      error(s, type, 0L, Protocol.E_MALFORMED, "a " + Protocol.name(type) + " request of "
          + length + " bytes has no correlation id");
      return;
    }
    long id = b.getLong(index, ByteOrder.LITTLE_ENDIAN);
    int body = index + Protocol.CORRELATION_BYTES;
    int bodyLength = length - Protocol.CORRELATION_BYTES;
    try {
      switch (type) {
        case Protocol.STEP -> step(s, id, b, body, bodyLength);
        case Protocol.LEARN -> learn(s, id, b, body, bodyLength);
        case Protocol.OPEN -> open(s, id, b.getStringWithoutLengthUtf8(body, bodyLength));
        case Protocol.RESET -> {
          learner(s, type).reset();
          empty(s, type, id);
        }
        case Protocol.SNAPSHOT -> text(s, type, id, snapshots.write(learner(s, type)));
        case Protocol.RESTORE -> restore(s, id, b.getStringWithoutLengthUtf8(body, bodyLength));
        case Protocol.STATS -> stats(s, id);
        case Protocol.CLOSE -> {
          snapshots.write(learner(s, type));
          s.learner = null;
          s.dirty = false;
          s.header.putIntRelease(IpcLayout.S_STATE, IpcLayout.CLAIMED);
          empty(s, type, id);
        }
        case Protocol.PING -> empty(s, type, id);
        default -> error(s, type, id, Protocol.E_UNKNOWN_TYPE, "unknown message type " + type);
      }
    } catch (ProtocolError e) {
      error(s, type, id, e.code, e.getMessage());
    } catch (IllegalStateException e) {
      error(s, type, id, Protocol.E_NUMERIC, String.valueOf(e.getMessage()));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      error(s, type, id, type == Protocol.OPEN ? Protocol.E_BAD_CONFIG : Protocol.E_MALFORMED,
          String.valueOf(e.getMessage()));
    } catch (IOException e) {
      error(s, type, id, Protocol.E_IO, AtomicFiles.reason(e));
    }
  }

  private static OnlineLearner learner(Slot s, int type) {
    if (s.learner == null) {
      throw new ProtocolError(Protocol.E_NOT_OPEN, Protocol.name(type)
          + " before OPEN: this slot has no learner");
    }
    return s.learner;
  }

  private void step(Slot s, long id, DirectBuffer b, int off, int length) {
    OnlineLearner l = learner(s, Protocol.STEP);
    var m = l.config().model();
    boolean classification = s.target == null;
    int expected = Protocol.stepRequestBytes(m.inputs(), m.outputs(), classification)
        - Protocol.CORRELATION_BYTES;
    if (length != expected) {
      throw new ProtocolError(Protocol.E_MALFORMED, "a STEP request for N_in=" + m.inputs()
          + ", N_out=" + m.outputs() + " has " + expected + " body bytes, got " + length);
    }
    requireNotPending(l);
    int flags = b.getInt(off, ByteOrder.LITTLE_ENDIAN);
    int label = b.getInt(off + 4, ByteOrder.LITTLE_ENDIAN);
    int p = off + 8;
    for (int i = 0; i < s.x.length; i++, p += 4) {
      s.x[i] = b.getFloat(p, ByteOrder.LITTLE_ENDIAN);
    }
    if (!classification) {
      for (int i = 0; i < s.target.length; i++, p += 4) {
        s.target[i] = b.getFloat(p, ByteOrder.LITTLE_ENDIAN);
      }
    }
    int t = l.nextStep() == l.config().steps() ? 0 : l.nextStep();
    double loss;
    if ((flags & Protocol.FLAG_DEFER) != 0) {
      l.predict(s.x, 0, s.y, 0);
      loss = Double.NaN;
    } else {
      boolean learn = (flags & Protocol.FLAG_LEARN) != 0;
      loss = l.step(s.x, 0, s.target, 0, label, learn, s.y, 0);
      s.dirty |= learn;
    }
    stepReply(s, Protocol.STEP, id, t, loss, s.y.length);
  }

  /** A STEP or LEARN reply: t, 0, a value (l_t or A_t), then {@code outputs} values of y. */
  private void stepReply(Slot s, int type, long id, int t, double value, int outputs) {
    UnsafeBuffer r = reply;
    r.putLong(0, id, ByteOrder.LITTLE_ENDIAN);
    r.putInt(8, t, ByteOrder.LITTLE_ENDIAN);
    r.putInt(12, 0, ByteOrder.LITTLE_ENDIAN);
    r.putDouble(16, value, ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < outputs; i++) {
      r.putFloat(24 + 4 * i, s.y[i], ByteOrder.LITTLE_ENDIAN);
    }
    send(s, type, Protocol.stepReplyBytes(outputs));
  }

  private static void requireNotPending(OnlineLearner l) {
    if (l.pending()) {
      throw new ProtocolError(Protocol.E_ORDER, "step " + l.nextStep() + " was deferred and "
          + "awaits its LEARN (error or reward), or a RESET that drops it");
    }
  }

  /** LEARN: completes the deferred step with the client's error or reward. */
  private void learn(Slot s, long id, DirectBuffer b, int off, int length) {
    OnlineLearner l = learner(s, Protocol.LEARN);
    if (length < 8) {
      throw new ProtocolError(Protocol.E_MALFORMED, "a LEARN request needs flags and kind, got "
          + length + " body bytes");
    }
    int flags = b.getInt(off, ByteOrder.LITTLE_ENDIAN);
    int kind = b.getInt(off + 4, ByteOrder.LITTLE_ENDIAN);
    if (kind != Protocol.LEARN_ERROR && kind != Protocol.LEARN_REWARD) {
      throw new ProtocolError(Protocol.E_MALFORMED, "LEARN kind " + kind + " is neither "
          + Protocol.LEARN_ERROR + " (error) nor " + Protocol.LEARN_REWARD + " (reward)");
    }
    int nOut = s.y.length;
    int expected = Protocol.learnRequestBytes(kind, nOut) - Protocol.CORRELATION_BYTES;
    if (length != expected) {
      throw new ProtocolError(Protocol.E_MALFORMED, "a LEARN " + (kind == Protocol.LEARN_ERROR
          ? "error" : "reward") + " request for N_out=" + nOut + " has " + expected
          + " body bytes, got " + length);
    }
    if (!l.pending()) {
      throw new ProtocolError(Protocol.E_ORDER, "LEARN without a deferred STEP (send STEP with "
          + "the defer flag first)");
    }
    int p = off + 8;
    double reward = 0;
    if (kind == Protocol.LEARN_REWARD) {
      reward = b.getDouble(p, ByteOrder.LITTLE_ENDIAN);
      p += 8;
    }
    float[] v = s.learnValues;
    for (int i = 0; i < nOut; i++, p += 4) {
      v[i] = b.getFloat(p, ByteOrder.LITTLE_ENDIAN);
    }
    int t = l.nextStep();
    boolean learn = (flags & Protocol.FLAG_LEARN) != 0;
    double value = kind == Protocol.LEARN_ERROR ? l.learnError(v, 0, learn)
        : l.learnReward(reward, v, 0, learn);
    s.dirty |= learn;
    stepReply(s, Protocol.LEARN, id, t, value, 0);
  }

  private void open(Slot s, long id, String json) throws IOException {
    if (s.learner != null) {
      throw new ProtocolError(Protocol.E_ALREADY_OPEN, "this slot already has learner '"
          + s.learner.config().name() + "' (CLOSE it first)");
    }
    LearnerConfig c = LearnerConfig.parse(json);
    var m = c.model();
    boolean classification = m.loss() == org.tca.rules.model.LossKind.CROSS_ENTROPY;
    int reqBytes = Math.max(Protocol.stepRequestBytes(m.inputs(), m.outputs(), classification),
        Protocol.learnRequestBytes(Protocol.LEARN_REWARD, m.outputs()));
    int repBytes = Protocol.stepReplyBytes(m.outputs());
    if (reqBytes > s.requests.maxMsgLength() || repBytes > s.replies.maxMsgLength()
        || repBytes > reply.capacity()) {
      throw new ProtocolError(Protocol.E_BAD_CONFIG, "N_in=" + m.inputs() + ", N_out="
          + m.outputs() + " make STEP messages too long for the rings (request_ring_bytes, "
          + "reply_ring_bytes)");
    }
    OnlineLearner l = new OnlineLearner(c);
    int count = l.parameters().data().length;
    if (count > config.layout().maxParameters()) {
      throw new ProtocolError(Protocol.E_BAD_CONFIG, "the model has " + count
          + " parameters, more than max_parameters = " + config.layout().maxParameters());
    }
    Path snap = snapshots.paramsFile(c.name());
    boolean restored = Files.exists(snap);
    if (restored) {
      snapshots.restore(l);
    }
    Files.createDirectories(snap.getParent());
    AtomicFiles.write(snap.resolveSibling("learner.json"), json.getBytes(StandardCharsets.UTF_8));
    s.learner = l;
    s.x = new float[m.inputs()];
    s.target = classification ? null : new float[m.outputs()];
    s.y = new float[m.outputs()];
    s.learnValues = new float[m.outputs()];
    s.replyNeed = RecordDescriptor.HEADER_LENGTH * 2 + 8
        + Math.max(Protocol.MAX_FIXED_REPLY, repBytes);
    ipc.publish(s.index, l.parameters().data(), l.updates());
    s.header.putIntRelease(IpcLayout.S_STATE, IpcLayout.OPEN);
    UnsafeBuffer r = reply;
    r.putLong(0, id, ByteOrder.LITTLE_ENDIAN);
    int[] fields = {count, m.inputs(), m.outputs(), c.steps(), classification ? 1 : 0,
        restored ? 1 : 0};
    for (int i = 0; i < fields.length; i++) {
      r.putInt(8 + 4 * i, fields[i], ByteOrder.LITTLE_ENDIAN);
    }
    send(s, Protocol.OPEN, 8 + 4 * fields.length);
  }

  private void restore(Slot s, long id, String path) throws IOException {
    OnlineLearner l = learner(s, Protocol.RESTORE);
    Path file = path.isEmpty() ? snapshots.paramsFile(l.config().name()) : dir.resolve(path);
    if (!Files.isRegularFile(file)) {
      throw new ProtocolError(Protocol.E_IO, "no snapshot " + file);
    }
    if (path.isEmpty()) {
      snapshots.restore(l);
    } else {
      l.restore(LearnerSnapshots.readParams(file), null);
    }
    s.dirty = true;
    empty(s, Protocol.RESTORE, id);
  }

  private void stats(Slot s, long id) {
    OnlineLearner l = learner(s, Protocol.STATS);
    UnsafeBuffer r = reply;
    r.putLong(0, id, ByteOrder.LITTLE_ENDIAN);
    r.putLong(8, l.steps(), ByteOrder.LITTLE_ENDIAN);
    r.putLong(16, l.updates(), ByteOrder.LITTLE_ENDIAN);
    r.putLong(24, l.sequences(), ByteOrder.LITTLE_ENDIAN);
    r.putDouble(32, l.lastLoss(), ByteOrder.LITTLE_ENDIAN);
    r.putDouble(40, l.meanLoss(), ByteOrder.LITTLE_ENDIAN);
    r.putDouble(48, l.firingRate(), ByteOrder.LITTLE_ENDIAN);
    send(s, Protocol.STATS, 56);
  }

  private void empty(Slot s, int type, long id) {
    reply.putLong(0, id, ByteOrder.LITTLE_ENDIAN);
    send(s, type, Protocol.CORRELATION_BYTES);
  }

  private void text(Slot s, int type, long id, String message) {
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(utf8.length, Protocol.MAX_TEXT_BYTES);
    reply.putLong(0, id, ByteOrder.LITTLE_ENDIAN);
    reply.putBytes(Protocol.CORRELATION_BYTES, utf8, 0, n);
    send(s, type, Protocol.CORRELATION_BYTES + n);
  }

  private void error(Slot s, int type, long id, int code, String message) {
    byte[] utf8 = (Protocol.name(type) + ": " + message).getBytes(StandardCharsets.UTF_8);
    int n = Math.min(utf8.length, Protocol.MAX_TEXT_BYTES);
    reply.putLong(0, id, ByteOrder.LITTLE_ENDIAN);
    reply.putInt(8, code, ByteOrder.LITTLE_ENDIAN);
    reply.putBytes(12, utf8, 0, n);
    send(s, Protocol.ERROR, 12 + n);
  }

  private void send(Slot s, int type, int length) {
    if (!s.replies.write(type, reply, 0, length)) {
      // cannot happen: a request is read only when its reply fits
      throw new IllegalStateException("reply ring of slot " + s.index + " is full");
    }
  }

  /** Snapshots every open learner and unmaps the file (after the runner stopped). */
  @Override
  public void close() throws IOException {
    for (Slot s : slots) {
      if (s.learner != null) {
        snapshots.write(s.learner);
        s.learner = null;
      }
    }
    ipc.header().putIntVolatile(IpcLayout.H_READY, 0);
    ipc.close();
  }
}
