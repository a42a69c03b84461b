package org.tca.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The JSON Schema (draft 2020-12) of study config files, {@code study-config.schema.json} next
 * to this class: structure, key names, types and ranges. Names that tca knows (rules, tasks,
 * presets, ...) are checked by {@link StudyConfig} with messages that list the known ones.
 */
final class StudyConfigSchema {

  /** The schema resource, relative to this class. */
  static final String RESOURCE = "study-config.schema.json";

  private static final Schema SCHEMA = load();

  private StudyConfigSchema() {}

  private static Schema load() {
    try (InputStream in = StudyConfigSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema text. */
  static String text() throws IOException {
    try (InputStream in = StudyConfigSchema.class.getResourceAsStream(RESOURCE)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * Validates {@code config}.
   *
   * @throws IllegalArgumentException with the first violation, e.g. {@code "'hidden': string
   *     found, integer expected"}
   */
  static void validate(JsonNode config) {
    List<Error> errors = SCHEMA.validate(config,
        ctx -> ctx.executionConfig(c -> c.locale(Locale.ENGLISH)));
    if (!errors.isEmpty()) {
      Error e = errors.get(0);
      String path = dotted(e.getInstanceLocation().toString());
      String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more problem"
          + (errors.size() > 2 ? "s" : "") + ")" : "";
      if ("additionalProperties".equals(e.getKeyword()) && e.getProperty() != null) {
        throw new IllegalArgumentException("unknown key '" + (path.isEmpty() ? "" : path + ".")
            + e.getProperty() + "'" + more);
      }
      String where = path.isEmpty() ? "the top level" : "'" + path + "'";
      throw new IllegalArgumentException(where + ": " + e.getMessage() + more);
    }
  }

  /** A JSON pointer ("/settings/0/lr") as the config's keys are written ("settings[0].lr"). */
  static String dotted(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String seg : pointer.split("/")) {
      if (seg.isEmpty()) {
        continue;
      }
      String k = seg.replace("~1", "/").replace("~0", "~");
      if (k.matches("[0-9]+")) {
        out.append('[').append(k).append(']');
      } else {
        out.append(out.isEmpty() ? "" : ".").append(k);
      }
    }
    return out.toString();
  }
}
