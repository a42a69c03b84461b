package org.tca.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build writes the identity {@link BuildInfo} reads, and it names the right sources. */
class BuildInfoTest {

  /** The repository root: the parent of this module's directory (surefire's basedir). */
  private static Path root() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize().getParent();
  }

  @Test
  void theResourceIsInTheBuild() {
    assertNotNull(BuildInfo.class.getResource(BuildInfo.RESOURCE), "build-info.properties");
    assertTrue(BuildInfo.present());
  }

  @Test
  void versionIsThePomVersion() {
    String pom = System.getProperty("tca.project.version");
    assertNotNull(pom, "surefire must pass -Dtca.project.version (rules/pom.xml)");
    assertEquals(pom, BuildInfo.version());
  }

  @Test
  void sourceSha256EqualsARecomputationFromTheSources() throws Exception {
    String sha = BuildInfo.sourceSha256();
    assertTrue(sha.matches("[0-9a-f]{64}"), sha);
    TreeMap<String, Path> files = engineSources(root());
    assertTrue(files.keySet().stream().anyMatch(p -> p.startsWith("numerics/src/main/java/")),
        "no numerics sources under " + root());
    assertTrue(files.containsKey("rules/src/main/java/org/tca/rules/BuildInfo.java"),
        files.keySet().toString());
    assertEquals(totalSha256(files), sha);
  }

  @Test
  void theHashSeesContentAndNames() throws Exception {
    TreeMap<String, Path> files = engineSources(root());
    String all = totalSha256(files);
    TreeMap<String, Path> fewer = new TreeMap<>(files);
    fewer.pollLastEntry();
    assertNotEquals(all, totalSha256(fewer));
    TreeMap<String, Path> renamed = new TreeMap<>(files);
    Map.Entry<String, Path> last = renamed.pollLastEntry();
    renamed.put(last.getKey().replace(".java", "2.java"), last.getValue());
    assertNotEquals(all, totalSha256(renamed));
  }

  @Test
  void commitIsAGitHashOrUnknown() {
    String c = BuildInfo.commit();
    assertTrue(c.matches("[0-9a-f]{40}") || c.equals(BuildInfo.UNKNOWN), c);
    String d = BuildInfo.dirty();
    assertTrue(c.equals(BuildInfo.UNKNOWN) ? d.equals(BuildInfo.UNKNOWN)
        : d.equals("true") || d.equals("false"), c + " " + d);
    assertEquals(List.of("version", "commit", "dirty", "source_sha256"),
        new ArrayList<>(BuildInfo.asMap().keySet()));
    String line = BuildInfo.describe();
    assertTrue(line.startsWith(BuildInfo.version() + " (commit ")
        && line.contains(BuildInfo.sourceSha256().substring(0, 16)), line);
  }

  @Test
  void withoutTheResourceEverythingIsUnknown(@TempDir Path tmp) throws Exception {
    Path cls = tmp.resolve("org/tca/rules/BuildInfo.class");
    Files.createDirectories(cls.getParent());
    try (InputStream in = BuildInfo.class.getResourceAsStream("BuildInfo.class")) {
      Files.write(cls, in.readAllBytes());
    }
    try (URLClassLoader l = new URLClassLoader(new URL[] {tmp.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> c = l.loadClass(BuildInfo.class.getName());
      assertNotEquals(BuildInfo.class, c);
      assertEquals(false, c.getMethod("present").invoke(null));
      for (String m : List.of("version", "commit", "dirty", "sourceSha256")) {
        assertEquals(BuildInfo.UNKNOWN, c.getMethod(m).invoke(null), m);
      }
      assertEquals("unknown (commit unknown, engine sources sha256 unknown)",
          c.getMethod("describe").invoke(null));
    }
  }

  /** Every *.java under numerics/src/main/java and rules/src/main/java, by relative path. */
  static TreeMap<String, Path> engineSources(Path root) throws IOException {
    TreeMap<String, Path> files = new TreeMap<>();
    for (String dir : List.of("numerics/src/main/java", "rules/src/main/java")) {
      try (Stream<Path> s = Files.walk(root.resolve(dir))) {
        s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".java"))
            .forEach(p -> {
              StringBuilder rel = new StringBuilder();
              for (Path part : root.relativize(p)) {
                rel.append(rel.isEmpty() ? "" : "/").append(part);
              }
              files.put(rel.toString(), p);
            });
      }
    }
    return files;
  }

  /** SHA-256 over (raw SHA-256 of the file, UTF-8 path) for the files in path order. */
  static String totalSha256(TreeMap<String, Path> files)
      throws IOException, NoSuchAlgorithmException {
    MessageDigest total = MessageDigest.getInstance("SHA-256");
    for (Map.Entry<String, Path> e : files.entrySet()) {
      total.update(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(e.getValue())));
      total.update(e.getKey().getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(total.digest());
  }
}
