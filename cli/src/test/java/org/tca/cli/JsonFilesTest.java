package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonFilesTest {

  @Test
  void lineWritesNumbersStringsAndEscapes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", 95.123456789);
    m.put("b", 100000.0);
    m.put("c", 1e-7);
    m.put("d", 3);
    m.put("e", "x\"y\\z\n");
    m.put("f", Double.NaN);
    m.put("g", true);
    assertEquals("{\"a\": 95.1235, \"b\": 1E+5, \"c\": 1E-7, \"d\": 3, \"e\": \"x\\\"y\\\\z\\n\", "
        + "\"f\": null, \"g\": true}", JsonFiles.line(m));
  }
}
