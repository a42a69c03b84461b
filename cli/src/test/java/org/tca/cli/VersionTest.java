package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tca.rules.BuildInfo;

/** {@code tca --version} names the engine build: version, commit and source hash. */
class VersionTest {

  @Test
  void versionPrintsTheBuildIdentity() {
    CliRun r = CliRun.tca("--version");
    assertEquals(0, r.status(), r.toString());
    String sha = BuildInfo.sourceSha256();
    assertTrue(sha.matches("[0-9a-f]{64}"), "build-info missing from the cli's class path: " + sha);
    assertTrue(r.out().contains(sha.substring(0, 16)), r.out());
    assertTrue(r.out().contains("engine " + BuildInfo.describe()), r.out());
    assertTrue(r.out().startsWith("tca " + BuildInfo.version() + " (Java "), r.out());
  }
}
