package org.tca.embed;

/** An ERROR reply of the learner service (or a client-side failure to reach it), with its code. */
public final class ServiceError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The {@link Protocol} error code (0: raised by the client itself). */
  private final int code;

  /** An error with a code. */
  public ServiceError(int code, String message) {
    super(message);
    this.code = code;
  }

  /** The {@link Protocol} error code (0: raised by the client itself). */
  public int code() {
    return code;
  }
}
