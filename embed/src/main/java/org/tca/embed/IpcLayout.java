package org.tca.embed;

import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Byte layout of {@code DIR/tca.ipc} (docs/embed-protocol.md has the whole protocol). All fields
 * little-endian; offsets in bytes.
 *
 * <pre>
 *   file   = header (4096) | slot 0 | slot 1 | ... | slot S-1
 *   header: 0 magic "TCAIPC\0\0" | 8 version i32 | 12 slots i32 | 16 request ring capacity i32
 *           | 20 reply ring capacity i32 | 24 max parameters i32 | 28 client timeout ms i32
 *           | 32 slot bytes i64 | 40 service pid i64 | 48 service heartbeat (epoch ms) i64
 *           | 56 ready i32 (1 once the service serves)
 *   slot  = slot header (4096) | request ring | reply ring | parameters (max parameters x f32)
 *   slot header: 0 state i32 (0 free, 1 claimed, 2 open) | 4 generation i32 | 8 client pid i64
 *           | 16 client heartbeat (epoch ms) i64 | 64 parameter sequence i64 (odd while written)
 *           | 72 parameter count i32 | 80 updates at publication i64
 * </pre>
 *
 * A ring is an Agrona one-to-one ring buffer: capacity (a power of two) data bytes followed by
 * the {@link RingBufferDescriptor#TRAILER_LENGTH} trailer; the client writes requests into its
 * slot's request ring, the service writes replies into the reply ring.
 */
public final class IpcLayout {

  /** File name inside the service directory. */
  public static final String FILE_NAME = "tca.ipc";
  /** "TCAIPC\0\0" read as a little-endian long. */
  public static final long MAGIC = 0x0000_4350_4941_4354L;
  /** Protocol version; a client refuses any other. */
  public static final int VERSION = 3;
  /** Page-sized header of the file and of each slot. */
  public static final int HEADER_BYTES = 4096;

  /** File header field offsets. */
  public static final int H_MAGIC = 0;
  public static final int H_VERSION = 8;
  public static final int H_SLOTS = 12;
  public static final int H_REQUEST_CAPACITY = 16;
  public static final int H_REPLY_CAPACITY = 20;
  public static final int H_MAX_PARAMETERS = 24;
  public static final int H_CLIENT_TIMEOUT_MS = 28;
  public static final int H_SLOT_BYTES = 32;
  public static final int H_SERVICE_PID = 40;
  public static final int H_SERVICE_HEARTBEAT = 48;
  public static final int H_READY = 56;

  /** Slot header field offsets. */
  public static final int S_STATE = 0;
  public static final int S_GENERATION = 4;
  public static final int S_CLIENT_PID = 8;
  public static final int S_CLIENT_HEARTBEAT = 16;
  public static final int S_PARAM_SEQUENCE = 64;
  public static final int S_PARAM_COUNT = 72;
  public static final int S_PARAM_UPDATES = 80;

  /** Slot states. */
  public static final int FREE = 0;
  public static final int CLAIMED = 1;
  public static final int OPEN = 2;

  private final int slots;
  private final int requestCapacity;
  private final int replyCapacity;
  private final int maxParameters;

  /** A layout; ring capacities are powers of two, at least 4 KiB (request) and 8 KiB (reply). */
  public IpcLayout(int slots, int requestCapacity, int replyCapacity, int maxParameters) {
    if (slots < 1 || slots > 4096) {
      throw new IllegalArgumentException("slots must be in 1..4096, got " + slots);
    }
    checkRing("request", requestCapacity, 4 * 1024); // an OPEN (up to 1/8 of it) must fit
    checkRing("reply", replyCapacity, 8 * 1024); // an ERROR reply (up to ~1 KB) must fit
    if (maxParameters < 1) {
      throw new IllegalArgumentException("max parameters must be >= 1, got " + maxParameters);
    }
    this.slots = slots;
    this.requestCapacity = requestCapacity;
    this.replyCapacity = replyCapacity;
    this.maxParameters = maxParameters;
  }

  private static void checkRing(String which, int capacity, int min) {
    if (capacity < min || capacity > (1 << 28) || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException(which + " ring capacity must be a power of two in "
          + min + "..2^28 bytes, got " + capacity);
    }
  }

  public int slots() {
    return slots;
  }

  public int requestCapacity() {
    return requestCapacity;
  }

  public int replyCapacity() {
    return replyCapacity;
  }

  public int maxParameters() {
    return maxParameters;
  }

  /** Offset of the request ring inside a slot. */
  public long requestRingOffset() {
    return HEADER_BYTES;
  }

  /** Offset of the reply ring inside a slot. */
  public long replyRingOffset() {
    return requestRingOffset() + requestCapacity + RingBufferDescriptor.TRAILER_LENGTH;
  }

  /** Offset of the parameter array inside a slot (page aligned). */
  public long parametersOffset() {
    return pageAlign(replyRingOffset() + replyCapacity + RingBufferDescriptor.TRAILER_LENGTH);
  }

  /** Bytes of one slot (page aligned). */
  public long slotBytes() {
    return pageAlign(parametersOffset() + 4L * maxParameters);
  }

  /** Offset of slot {@code s} in the file. */
  public long slotOffset(int s) {
    return HEADER_BYTES + s * slotBytes();
  }

  /** Bytes of the file. */
  public long fileBytes() {
    return slotOffset(slots);
  }

  private static long pageAlign(long v) {
    return (v + HEADER_BYTES - 1) / HEADER_BYTES * HEADER_BYTES;
  }
}
