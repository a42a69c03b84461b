package org.tca.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Which code this engine was built from, so that results (and a study resumed across code
 * changes) can name it. Read once from the resource {@code org/tca/rules/build-info.properties},
 * which the rules module's build writes (see rules/pom.xml):
 *
 * <ul>
 *   <li>{@code version}: the Maven project version;
 *   <li>{@code commit}: {@code git rev-parse HEAD} at build time;
 *   <li>{@code dirty}: whether {@code git status --porcelain -- numerics/src rules/src} was
 *       non-empty (uncommitted or untracked engine sources);
 *   <li>{@code source_sha256}: the identity of the engine's main sources, every {@code *.java}
 *       under {@code numerics/src/main/java} and {@code rules/src/main/java}. With the files
 *       f_1 .. f_n sorted by their path p_i relative to the repository root ('/' separators,
 *       {@link String#compareTo} order), it is the lower-case hex of
 *       SHA-256( SHA-256(bytes(f_1)) || UTF-8(p_1) || ... || SHA-256(bytes(f_n)) || UTF-8(p_n) ),
 *       each inner digest as its 32 raw bytes (Ant's {@code checksum} total). It depends on the
 *       file contents and names only, never on timestamps or directory order.
 * </ul>
 *
 * Every value is {@value #UNKNOWN} when it could not be determined (no git, no .git, or the
 * resource missing, e.g. classes compiled by an IDE without Maven); nothing here throws.
 */
public final class BuildInfo {

  /** The value of a field that could not be determined. */
  public static final String UNKNOWN = "unknown";

  /** Classpath resource, relative to this class. */
  static final String RESOURCE = "build-info.properties";

  private static final Properties PROPS = load();

  private BuildInfo() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      }
    } catch (IOException | IllegalArgumentException e) {
      p.clear();
    }
    return p;
  }

  private static String get(String key) {
    String v = PROPS.getProperty(key);
    return v == null || v.isBlank() ? UNKNOWN : v.strip();
  }

  /** Whether the build-info resource was found. */
  public static boolean present() {
    return !PROPS.isEmpty();
  }

  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return get("version");
  }

  /** The git commit (40 hex digits) the build was made from, or {@value #UNKNOWN}. */
  public static String commit() {
    return get("commit");
  }

  /**
   * {@code "true"} when the engine sources differed from the commit at build time, {@code
   * "false"} when they did not, {@value #UNKNOWN} without git.
   */
  public static String dirty() {
    String d = get("dirty");
    return d.equals("true") || d.equals("false") ? d : UNKNOWN;
  }

  /** SHA-256 (64 hex digits) of the engine's main sources, or {@value #UNKNOWN}. */
  public static String sourceSha256() {
    return get("source_sha256");
  }

  /**
   * One line, e.g. {@code 0.1.0-SNAPSHOT (commit abc1234, dirty, engine sources sha256
   * 1a2b3c4d5e6f7a8b...)}.
   */
  public static String describe() {
    String c = commit();
    StringBuilder b = new StringBuilder(version()).append(" (commit ")
        .append(c.length() == 40 ? c.substring(0, 7) : c);
    if (!dirty().equals(UNKNOWN)) {
      b.append(dirty().equals("true") ? ", dirty" : ", clean");
    }
    String s = sourceSha256();
    b.append(", engine sources sha256 ")
        .append(s.length() == 64 ? s.substring(0, 16) + "..." : s).append(')');
    return b.toString();
  }

  /**
   * The fields for a JSON file: version, commit, dirty (a Boolean when known, else
   * {@value #UNKNOWN}) and source_sha256, in that order.
   */
  public static Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", version());
    m.put("commit", commit());
    String d = dirty();
    m.put("dirty", d.equals(UNKNOWN) ? UNKNOWN : Boolean.valueOf(d));
    m.put("source_sha256", sourceSha256());
    return m;
  }
}
