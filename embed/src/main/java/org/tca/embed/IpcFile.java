package org.tca.embed;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * {@code DIR/tca.ipc} mapped into memory ({@link IpcLayout}): the header, and per slot its
 * header, its two rings and its parameter array, a {@link MemorySegment} published under a
 * sequence lock (seqlock): the writer makes the sequence odd, copies, makes it even; a reader
 * copies between two reads of the same even sequence.
 */
public final class IpcFile implements AutoCloseable {

  private static final ValueLayout.OfFloat F32 =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final Path file;
  private final Arena arena;
  private final FileChannel channel;
  private final MemorySegment segment;
  private final IpcLayout layout;
  private final UnsafeBuffer header;
  private final UnsafeBuffer[] slotHeaders;
  private final MemorySegment[] parameters;

  private IpcFile(Path file, FileChannel channel, Arena arena, MemorySegment segment,
      IpcLayout layout) {
    this.file = file;
    this.channel = channel;
    this.arena = arena;
    this.segment = segment;
    this.layout = layout;
    this.header = new UnsafeBuffer(segment.address(), IpcLayout.HEADER_BYTES);
    this.slotHeaders = new UnsafeBuffer[layout.slots()];
    this.parameters = new MemorySegment[layout.slots()];
    for (int s = 0; s < layout.slots(); s++) {
      slotHeaders[s] = new UnsafeBuffer(segment.address() + layout.slotOffset(s),
          IpcLayout.HEADER_BYTES);
      parameters[s] = segment.asSlice(layout.slotOffset(s) + layout.parametersOffset(),
          4L * layout.maxParameters());
    }
  }

  /**
   * Creates a fresh {@code dir/tca.ipc} (written as a temporary file, then renamed over any old
   * one) with the header filled in and {@code ready} still 0.
   */
  public static IpcFile create(Path dir, IpcLayout layout, int clientTimeoutMs)
      throws IOException {
    requireLittleEndian();
    Files.createDirectories(dir);
    Path target = dir.resolve(IpcLayout.FILE_NAME);
    Path tmp = dir.resolve(IpcLayout.FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    Arena arena = Arena.ofShared();
    try {
      ch.truncate(0);
      ch.write(java.nio.ByteBuffer.wrap(new byte[1]), layout.fileBytes() - 1); // sparse, zeros
      MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, layout.fileBytes(), arena);
      IpcFile f = new IpcFile(target, ch, arena, seg, layout);
      UnsafeBuffer h = f.header;
      h.putInt(IpcLayout.H_VERSION, IpcLayout.VERSION);
      h.putInt(IpcLayout.H_SLOTS, layout.slots());
      h.putInt(IpcLayout.H_REQUEST_CAPACITY, layout.requestCapacity());
      h.putInt(IpcLayout.H_REPLY_CAPACITY, layout.replyCapacity());
      h.putInt(IpcLayout.H_MAX_PARAMETERS, layout.maxParameters());
      h.putInt(IpcLayout.H_CLIENT_TIMEOUT_MS, clientTimeoutMs);
      h.putLong(IpcLayout.H_SLOT_BYTES, layout.slotBytes());
      h.putLong(IpcLayout.H_SERVICE_PID, ProcessHandle.current().pid());
      h.putLong(IpcLayout.H_SERVICE_HEARTBEAT, System.currentTimeMillis());
      h.putLongVolatile(IpcLayout.H_MAGIC, IpcLayout.MAGIC);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return f;
    } catch (IOException | RuntimeException e) {
      arena.close();
      ch.close();
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** Maps an existing {@code dir/tca.ipc} made by a service; errors say what is wrong. */
  public static IpcFile open(Path dir) throws IOException {
    requireLittleEndian();
    Path target = dir.resolve(IpcLayout.FILE_NAME);
    if (!Files.isRegularFile(target)) {
      throw new IOException("no learner service at " + dir + " (" + target
          + " does not exist; start one with: tca serve --dir " + dir + ")");
    }
    FileChannel ch = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Arena arena = Arena.ofShared();
    try {
      long size = ch.size();
      if (size < IpcLayout.HEADER_BYTES) {
        throw new IOException(target + " is too short to be a tca.ipc file");
      }
      MemorySegment head = ch.map(FileChannel.MapMode.READ_ONLY, 0, IpcLayout.HEADER_BYTES, arena);
      if (head.get(ValueLayout.JAVA_LONG_UNALIGNED, IpcLayout.H_MAGIC) != IpcLayout.MAGIC) {
        throw new IOException(target + " is not a tca.ipc file (bad magic)");
      }
      int version = head.get(ValueLayout.JAVA_INT_UNALIGNED, IpcLayout.H_VERSION);
      if (version != IpcLayout.VERSION) {
        throw new IOException(target + " speaks protocol version " + version + ", this client "
            + IpcLayout.VERSION);
      }
      IpcLayout layout = new IpcLayout(head.get(ValueLayout.JAVA_INT_UNALIGNED, IpcLayout.H_SLOTS),
          head.get(ValueLayout.JAVA_INT_UNALIGNED, IpcLayout.H_REQUEST_CAPACITY),
          head.get(ValueLayout.JAVA_INT_UNALIGNED, IpcLayout.H_REPLY_CAPACITY),
          head.get(ValueLayout.JAVA_INT_UNALIGNED, IpcLayout.H_MAX_PARAMETERS));
      if (size < layout.fileBytes()) {
        throw new IOException(target + " is shorter than its header says");
      }
      MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, layout.fileBytes(), arena);
      return new IpcFile(target, ch, arena, seg, layout);
    } catch (IOException | RuntimeException e) {
      arena.close();
      ch.close();
      throw e;
    }
  }

  private static void requireLittleEndian() {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("the tca.ipc protocol needs a little-endian CPU");
    }
  }

  /** The file. */
  public Path path() {
    return file;
  }

  /** The channel (for slot locks). */
  public FileChannel channel() {
    return channel;
  }

  /** The layout. */
  public IpcLayout layout() {
    return layout;
  }

  /** The file header. */
  public UnsafeBuffer header() {
    return header;
  }

  /** Slot {@code s}'s header. */
  public UnsafeBuffer slotHeader(int s) {
    return slotHeaders[s];
  }

  /** A view of slot {@code s}'s request ring (the raw bytes, trailer included). */
  public UnsafeBuffer requestBuffer(int s) {
    return new UnsafeBuffer(segment.address() + layout.slotOffset(s) + layout.requestRingOffset(),
        layout.requestCapacity() + RingBufferDescriptor.TRAILER_LENGTH);
  }

  /** A view of slot {@code s}'s reply ring (the raw bytes, trailer included). */
  public UnsafeBuffer replyBuffer(int s) {
    return new UnsafeBuffer(segment.address() + layout.slotOffset(s) + layout.replyRingOffset(),
        layout.replyCapacity() + RingBufferDescriptor.TRAILER_LENGTH);
  }

  /** Slot {@code s}'s request ring. */
  public OneToOneRingBuffer requestRing(int s) {
    return new OneToOneRingBuffer(requestBuffer(s));
  }

  /** Slot {@code s}'s reply ring. */
  public OneToOneRingBuffer replyRing(int s) {
    return new OneToOneRingBuffer(replyBuffer(s));
  }

  /**
   * Publishes {@code values} as slot {@code s}'s parameters under its seqlock, with the number of
   * updates they include (single writer: the service).
   */
  public void publish(int s, float[] values, long updates) {
    UnsafeBuffer h = slotHeaders[s];
    long seq = h.getLong(IpcLayout.S_PARAM_SEQUENCE);
    h.putLongVolatile(IpcLayout.S_PARAM_SEQUENCE, seq + 1);
    VarHandle.fullFence();
    MemorySegment.copy(values, 0, parameters[s], F32, 0, values.length);
    h.putInt(IpcLayout.S_PARAM_COUNT, values.length);
    h.putLong(IpcLayout.S_PARAM_UPDATES, updates);
    h.putLongRelease(IpcLayout.S_PARAM_SEQUENCE, seq + 2);
  }

  /**
   * Copies slot {@code s}'s published parameters into {@code out} consistently (retrying while
   * a publication is under way); returns how many updates they include.
   */
  public long readParameters(int s, float[] out) {
    UnsafeBuffer h = slotHeaders[s];
    while (true) {
      long seq = h.getLongVolatile(IpcLayout.S_PARAM_SEQUENCE);
      if ((seq & 1) == 0) {
        int n = h.getInt(IpcLayout.S_PARAM_COUNT);
        long updates = h.getLong(IpcLayout.S_PARAM_UPDATES);
        if (n != out.length) {
          throw new IllegalArgumentException("the learner has " + n + " parameters, out has "
              + out.length);
        }
        MemorySegment.copy(parameters[s], F32, 0, out, 0, n);
        VarHandle.acquireFence();
        if (h.getLongVolatile(IpcLayout.S_PARAM_SEQUENCE) == seq) {
          return updates;
        }
      }
      Thread.onSpinWait();
    }
  }

  /** Unmaps and closes. */
  @Override
  public void close() throws IOException {
    arena.close();
    channel.close();
  }
}
