package org.tca.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.task.Tasks;

/**
 * Keeps docs/science.md in step with the code: every rule {@link FloatRules#create} accepts and
 * every task of the catalogue has a section (a heading naming it as {@code `id`}), every citation
 * {@code docs/science.md, section "X"} in the sources and the README names a heading that exists,
 * no source cites the science document by any other path (a clone has nothing outside the
 * repository), and the README links it. The build passes the repository root as the system
 * property {@value #ROOT}; without it the test fails, never skips.
 */
class ScienceDocTest {

  static final String ROOT = "tca.repository.root";

  private static final Pattern CITATION =
      Pattern.compile("docs/science\\.md, section \"([^\"]+)\"");

  private static Path root() {
    String p = System.getProperty(ROOT);
    assertTrue(p != null, "system property " + ROOT + " not set (run the tests with Maven)");
    return Path.of(p).toAbsolutePath().normalize();
  }

  private static List<String> headings() throws IOException {
    Path doc = root().resolve("docs/science.md");
    assertTrue(Files.isRegularFile(doc), "missing " + doc);
    return Files.readAllLines(doc).stream().filter(l -> l.startsWith("#"))
        .map(l -> l.replaceFirst("^#+\\s*", "")).toList();
  }

  /** The README and every Java source of every module (main and test). */
  private static List<Path> sources() throws IOException {
    Path root = root();
    List<Path> out = new ArrayList<>(List.of(root.resolve("README.md")));
    for (String module : List.of("numerics", "rules", "cli", "jmh")) {
      Path src = root.resolve(module).resolve("src");
      if (Files.isDirectory(src)) {
        try (Stream<Path> s = Files.walk(src)) {
          s.filter(f -> f.toString().endsWith(".java")).sorted().forEach(out::add);
        }
      }
    }
    return out;
  }

  /** A file's text with Javadoc line breaks (newline, indent, '*') folded into one space. */
  private static String text(Path f) throws IOException {
    return Files.readString(f).replaceAll("\\s*\\R\\s*(\\*(?!/)\\s*)?", " ");
  }

  @Test
  void everyRuleHasASection() throws IOException {
    List<String> h = headings();
    for (String id : FloatRules.ids()) {
      assertTrue(h.stream().anyMatch(x -> x.contains("`" + id + "`")),
          "docs/science.md has no heading naming rule `" + id + "`");
    }
  }

  @Test
  void everyTaskHasASection() throws IOException {
    List<String> h = headings();
    for (String task : Tasks.names()) {
      assertTrue(h.stream().anyMatch(x -> x.contains("`" + task + "`")),
          "docs/science.md has no heading naming task `" + task + "`");
    }
  }

  @Test
  void everyCitedSectionExists() throws IOException {
    List<String> h = headings();
    int citations = 0;
    for (Path f : sources()) {
      Matcher m = CITATION.matcher(text(f));
      while (m.find()) {
        citations++;
        String section = m.group(1);
        assertTrue(h.stream().anyMatch(x -> x.contains(section)),
            f + " cites docs/science.md, section \"" + section + "\", which does not exist");
      }
    }
    assertTrue(citations >= 2, "expected the sources to cite docs/science.md, found "
        + citations + " citations");
  }

  @Test
  void sourcesCiteOnlyFilesInTheRepository() throws IOException {
    String self = ScienceDocTest.class.getSimpleName() + ".java";
    for (Path f : sources()) {
      if (f.getFileName().toString().equals(self)) {
        continue;
      }
      String t = Files.readString(f);
      // the planning folder beside a developer's checkout (a user's clone has none); the names
      // are built here so that this guard does not itself mention the path it forbids
      String planning = String.join("/", "..", "shared");
      for (String outside : Arrays.asList(planning, planning.substring(3) + "/spec",
          "spec/science.md")) {
        assertTrue(!t.contains(outside), f + " refers to '" + outside
            + "', outside the repository: cite docs/science.md instead");
      }
      Matcher m = Pattern.compile("(\\S*)science\\.md").matcher(t);
      while (m.find()) {
        assertTrue(m.group(1).endsWith("docs/"),
            f + " cites '" + m.group() + "': the science document is docs/science.md");
      }
    }
  }

  @Test
  void readmeLinksTheScienceDocument() throws IOException {
    assertTrue(Files.readString(root().resolve("README.md")).contains("(docs/science.md)"),
        "README.md does not link docs/science.md");
  }
}
