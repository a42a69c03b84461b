package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's MNIST subset ({@code data/mnist-subset}: 7,996 + 2,004 real digits, see its
 * README), the one place the rules tests find it: the build passes its location as the system
 * property {@value #PROPERTY}. Missing data fails the test, never skips it.
 */
public final class MnistSubset {

  /** The system property the build sets (the parent pom's surefire configuration). */
  public static final String PROPERTY = "tca.mnist.subset";

  private MnistSubset() {}

  /** The directory of the four IDX files. */
  public static Path dir() {
    String p = System.getProperty(PROPERTY);
    assertTrue(p != null, "system property " + PROPERTY + " not set (run the tests with Maven)");
    Path d = Path.of(p).toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(d.resolve("train-images-idx3-ubyte.gz")),
        "MNIST subset missing at " + d);
    return d;
  }
}
