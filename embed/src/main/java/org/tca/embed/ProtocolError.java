package org.tca.embed;

/** A request the service refuses, with its error code ({@link Protocol}); no stack trace. */
final class ProtocolError extends RuntimeException {
  final int code;

  ProtocolError(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }
}
