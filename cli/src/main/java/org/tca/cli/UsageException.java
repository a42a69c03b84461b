package org.tca.cli;

/** A user error found while running a command (bad file, bad value): exit status 2, one line. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
