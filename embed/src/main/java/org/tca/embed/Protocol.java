package org.tca.embed;

/**
 * Message types, error codes and field offsets of the learner protocol, version
 * {@link IpcLayout#VERSION} (docs/embed-protocol.md). A message is one record of an Agrona ring:
 * the record's type is the message type; its payload starts with the request's correlation id
 * (i64, echoed in the reply) followed by the body below; all little-endian.
 *
 * <pre>
 *   OPEN     req: UTF-8 JSON learner config                 rep: P i32, N_in i32, N_out i32, T i32,
 *                                                                classification i32, restored i32
 *   STEP     req: flags i32 (bit 0 learn, bit 1 defer),     rep: t i32, 0 i32, l_t f64, y_t f32[N_out]
 *                 label i32, x_t f32[N_in],                      (deferred: l_t NaN)
 *                 y*_t f32[N_out] (mse only; ignored when deferred)
 *   LEARN    req: flags i32 (bit 0 learn), kind i32,        rep: t i32, 0 i32, v f64 (error: the
 *                 error: e_t f32[N_out]                          surrogate l_t; reward: A_t)
 *                 reward: r_t f64, a_t f32[N_out]
 *   RESET    req: -                                         rep: -
 *   SNAPSHOT req: -                                         rep: UTF-8 path of the .npy, relative to DIR
 *   RESTORE  req: UTF-8 path of a float32 .npy (empty: the learner's own snapshot)   rep: -
 *   STATS    req: -                                         rep: steps i64, updates i64, sequences i64,
 *                                                                last l_t f64, mean l_t f64,
 *                                                                firing rate f64 (Hz; NaN: rate cells)
 *   CLOSE    req: -  (snapshots, then frees the slot)       rep: -
 *   PING     req: -                                         rep: -
 *   ERROR    (reply only): code i32, UTF-8 message
 * </pre>
 */
public final class Protocol {

  public static final int OPEN = 1;
  public static final int STEP = 2;
  public static final int RESET = 3;
  public static final int SNAPSHOT = 4;
  public static final int RESTORE = 5;
  public static final int STATS = 6;
  public static final int CLOSE = 7;
  public static final int PING = 8;
  public static final int LEARN = 9;
  public static final int ERROR = 99;

  /** STEP flag: apply the update. */
  public static final int FLAG_LEARN = 1;
  /** STEP flag: predict only; a LEARN with an error or a reward completes the step. */
  public static final int FLAG_DEFER = 2;

  /** LEARN kinds. */
  public static final int LEARN_ERROR = 1;
  public static final int LEARN_REWARD = 2;

  /** Error codes. */
  public static final int E_MALFORMED = 1;
  public static final int E_UNKNOWN_TYPE = 2;
  public static final int E_NOT_OPEN = 3;
  public static final int E_BAD_CONFIG = 4;
  public static final int E_IO = 5;
  public static final int E_NUMERIC = 6;
  public static final int E_ALREADY_OPEN = 7;
  public static final int E_ORDER = 8;

  /** Bytes of the correlation id that starts every payload. */
  public static final int CORRELATION_BYTES = 8;
  /** Longest error message or path in a reply, in UTF-8 bytes (longer ones are cut). */
  public static final int MAX_TEXT_BYTES = 1000;
  /** Largest reply payload other than STEP's. */
  public static final int MAX_FIXED_REPLY = CORRELATION_BYTES + 4 + MAX_TEXT_BYTES;

  private Protocol() {}

  /** Payload bytes of a STEP request. */
  public static int stepRequestBytes(int inputs, int outputs, boolean classification) {
    return CORRELATION_BYTES + 8 + 4 * inputs + (classification ? 0 : 4 * outputs);
  }

  /** Payload bytes of a LEARN request of {@code kind}. */
  public static int learnRequestBytes(int kind, int outputs) {
    return CORRELATION_BYTES + 8 + (kind == LEARN_REWARD ? 8 : 0) + 4 * outputs;
  }

  /** Payload bytes of a STEP reply. */
  public static int stepReplyBytes(int outputs) {
    return CORRELATION_BYTES + 16 + 4 * outputs;
  }

  /** The name of a message type, for error messages. */
  public static String name(int type) {
    return switch (type) {
      case OPEN -> "OPEN";
      case STEP -> "STEP";
      case RESET -> "RESET";
      case SNAPSHOT -> "SNAPSHOT";
      case RESTORE -> "RESTORE";
      case STATS -> "STATS";
      case CLOSE -> "CLOSE";
      case PING -> "PING";
      case LEARN -> "LEARN";
      case ERROR -> "ERROR";
      default -> "type " + type;
    };
  }
}
