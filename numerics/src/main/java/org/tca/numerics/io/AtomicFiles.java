package org.tca.numerics.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic file replacement: write a hidden temporary file in the target's directory, force it to
 * disk, then rename it over the target (an atomic rename where the file system has one), so
 * that readers see either the old file or the complete new one. The temporary file is deleted
 * if anything fails, and the failure is a {@link FileSystemException} naming the target file
 * ({@link #failure}), whatever the operating system said (a full disk says only "No space left
 * on device").
 */
public final class AtomicFiles {

  /** Writes the content of a file to an open channel. */
  @FunctionalInterface
  public interface Content {
    /** Writes the whole content to {@code channel}. */
    void writeTo(FileChannel channel) throws IOException;
  }

  private AtomicFiles() {}

  /** Replaces {@code file} by {@code bytes} atomically. */
  public static void write(Path file, byte[] bytes) throws IOException {
    write(file, ch -> {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    });
  }

  /** Replaces {@code file} by what {@code content} writes, atomically. */
  public static void write(Path file, Content content) throws IOException {
    try {
      replace(file, content);
    } catch (IOException e) {
      throw failure(file, e);
    }
  }

  /**
   * {@code e} as a {@link FileSystemException} whose file is {@code file} and whose reason is
   * what went wrong (the operating system's words, else the exception's kind), {@code e} as its
   * cause; {@code e} itself when it already names {@code file}.
   */
  public static FileSystemException failure(Path file, IOException e) {
    String name = file.toAbsolutePath().toString();
    if (e instanceof FileSystemException f && name.equals(f.getFile()) && f.getOtherFile() == null) {
      return f;
    }
    FileSystemException named = new FileSystemException(name, null, reason(e));
    named.initCause(e);
    return named;
  }

  /** What went wrong, in words: the operating system's, else said for the exception's kind. */
  public static String reason(IOException e) {
    String r = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    if (r != null && !r.isBlank()) {
      return r;
    }
    return switch (e) {
      case FileAlreadyExistsException x -> "is in the way (it already exists)";
      case NoSuchFileException x -> "no such file or directory";
      case AccessDeniedException x -> "permission denied";
      case NotDirectoryException x -> "not a directory";
      default -> e.getClass().getSimpleName();
    };
  }

  private static void replace(Path file, Content content) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = null;
    FileChannel ch = null;
    for (int attempt = 0; ch == null; attempt++) {
      tmp = dir.resolve("." + target.getFileName() + "."
          + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        // CREATE_NEW with default permissions (the umask applies, unlike createTempFile's 0600).
        ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 10) {
          throw e;
        }
      }
    }
    boolean done = false;
    try {
      try (FileChannel c = ch) {
        content.writeTo(c);
        c.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
