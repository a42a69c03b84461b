package org.tca.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tca.numerics.io.AtomicFiles;
import org.tca.numerics.io.MalformedFileException;

/**
 * The one JSON writer (and reader) of tca, on Jackson: pretty-printed objects written atomically
 * (temporary file in the same directory, forced to disk, renamed over the target), one-line
 * objects for {@code --json} output ({@link #line}), non-finite numbers written as null, and
 * reading into a tree with the file named in any error (a key given twice in one object is an
 * error, not a silent "last one wins").
 */
final class JsonFiles {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** One line, {@code {"a": 1, "b": "x"}}: no indentation, a space after ':' and ','. */
  private static final ObjectWriter LINE = new ObjectMapper().writer(
      new DefaultPrettyPrinter(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
          .withObjectEntrySpacing(Separators.Spacing.AFTER)
          .withArrayValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultPrettyPrinter.NopIndenter())
          .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter()));

  private static final MathContext SIX_DIGITS = new MathContext(6);

  private JsonFiles() {}

  /** Writes {@code value} (maps, lists, strings, numbers, booleans) to {@code file} atomically. */
  static void write(Path file, Object value) throws IOException {
    AtomicFiles.write(file, (MAPPER.writeValueAsString(finite(value)) + "\n")
        .getBytes(StandardCharsets.UTF_8));
  }

  /** {@code value} as a JSON string (pretty-printed). */
  static String string(Object value) {
    try {
      return MAPPER.writeValueAsString(finite(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code fields} as one line of JSON (keys in the map's order) for measurements printed with
   * {@code --json}: doubles rounded to 6 significant digits ({@code 95.1235}, {@code 1E+5}),
   * NaN and infinities as null.
   */
  static String line(Map<String, ?> fields) {
    Map<String, Object> rounded = new LinkedHashMap<>();
    fields.forEach((k, v) -> rounded.put(k, v instanceof Double d && Double.isFinite(d)
        ? new BigDecimal(d).round(SIX_DIGITS).stripTrailingZeros() : v));
    try {
      return LINE.writeValueAsString(finite(rounded));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Replaces NaN and infinite doubles by null, recursively through maps and lists. */
  static Object finite(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d) ? d : null;
    }
    if (v instanceof Float f) {
      return Float.isFinite(f) ? f : null;
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(e.getKey(), finite(e.getValue()));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(finite(o));
      }
      return out;
    }
    return v;
  }

  /** Reads a JSON file into a tree. */
  static JsonNode readTree(Path file) throws IOException {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new MalformedFileException(file, "not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** An object node as a map of plain values (strings, numbers, booleans, nested maps/lists). */
  static Map<String, Object> toMap(JsonNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (node == null || !node.isObject()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.put(e.getKey(), plain(e.getValue()));
    }
    return out;
  }

  private static Object plain(JsonNode n) {
    if (n.isObject()) {
      return toMap(n);
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(plain(x)));
      return l;
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() ? (Object) n.asLong() : n.bigIntegerValue();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    return n.isNull() ? null : n.asText();
  }
}
