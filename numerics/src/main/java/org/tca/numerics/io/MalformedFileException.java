package org.tca.numerics.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file that exists and can be read but is not a valid (or not a supported) instance of its
 * format. The message always has the form {@code "<file>: <problem>"}, e.g.
 * {@code "data/x.npy: truncated: expected 48 bytes of data, found 40"}.
 */
public final class MalformedFileException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  /** A malformed-file error for {@code file}, with {@code problem} saying what is wrong. */
  public MalformedFileException(Path file, String problem) {
    this(file, problem, null);
  }

  /** As {@link #MalformedFileException(Path, String)}, with the low-level cause. */
  public MalformedFileException(Path file, String problem, Throwable cause) {
    super(Objects.requireNonNull(file, "file") + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }

  /** What is wrong, without the file name. */
  public String problem() {
    return problem;
  }
}
