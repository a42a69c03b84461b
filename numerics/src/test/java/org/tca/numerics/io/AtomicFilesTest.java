package org.tca.numerics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic replacement, and failures that name the file whatever the system said. */
class AtomicFilesTest {

  @TempDir Path dir;

  @Test
  void replacesTheFileAndLeavesNoTemporary() throws IOException {
    Path f = dir.resolve("a.bin");
    Files.write(f, new byte[] {9});
    AtomicFiles.write(f, new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count());
    }
  }

  /** A full disk says only "No space left on device": the failure names the target. */
  @Test
  void aFullDiskNamesTheFileAndKeepsTheOldOne() throws IOException {
    Path f = dir.resolve("summary.json");
    Files.writeString(f, "old");
    IOException full = new IOException("No space left on device");
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> AtomicFiles.write(f, ch -> {
          throw full;
        }));
    assertEquals(f.toAbsolutePath().toString(), e.getFile());
    assertEquals("No space left on device", e.getReason());
    assertSame(full, e.getCause());
    assertEquals("old", Files.readString(f));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "the temporary file is gone");
    }
  }

  /** A directory that does not exist: the target, not the temporary, is named. */
  @Test
  void aMissingDirectoryNamesTheTarget() {
    Path f = dir.resolve("nowhere").resolve("x.npy");
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> AtomicFiles.write(f, new byte[] {1}));
    assertEquals(f.toAbsolutePath().toString(), e.getFile());
    assertEquals("no such file or directory", e.getReason());
  }
}
