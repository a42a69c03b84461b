package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * bin/tca builds the CLI on first use: its Maven call must print no colour codes. Maven 3.8's
 * jansi prints bare ESC[0m resets even with -B and -Dstyle.color=never unless jansi.noreset is
 * set (checked by hand: {@code MAVEN_OPTS=-Djansi.noreset=true mvn -B -v | cat -A}).
 */
class LauncherTest {

  @Test
  void theFirstRunBuildAsksMavenForPlainOutput() throws Exception {
    Path launcher = Path.of("..", "bin", "tca");
    assertTrue(Files.isRegularFile(launcher), launcher.toAbsolutePath() + " missing");
    String build = Files.readAllLines(launcher).stream()
        .filter(l -> l.contains("MAVEN_OPTS=") || l.contains("mvn "))
        .reduce("", (a, b) -> a + b + "\n");
    for (String flag : new String[] {"-Djansi.noreset=true", " -B ", "-ntp",
        "-Dstyle.color=never"}) {
      assertTrue(build.contains(flag), flag + " missing from bin/tca's build:\n" + build);
    }
  }
}
