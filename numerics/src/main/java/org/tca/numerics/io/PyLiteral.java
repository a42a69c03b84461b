package org.tca.numerics.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the subset of Python literals a .npy header uses (what {@code ast.literal_eval}
 * would accept there): dicts, tuples, lists, single- or double-quoted strings, integers (an
 * optional Python 2 {@code L} suffix allowed), {@code True}, {@code False} and {@code None}.
 *
 * <p>Results: {@code Map<String, Object>} (insertion order), {@link Tuple}, {@code List<Object>},
 * {@code String}, {@code BigInteger}, {@code Boolean}, {@link #NONE}. Errors are
 * {@link IllegalArgumentException}s saying what was found where.
 */
final class PyLiteral {

  /** Python's None. */
  static final Object NONE = new Object() {
    @Override
    public String toString() {
      return "None";
    }
  };

  /** A Python tuple. */
  record Tuple(List<Object> items) {}

  private final String s;
  private int pos;

  private PyLiteral(String s) {
    this.s = s;
  }

  /** Parses one literal that, apart from surrounding whitespace, is all of {@code text}. */
  static Object parse(String text) {
    PyLiteral p = new PyLiteral(text);
    Object v = p.value();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the literal");
    }
    return v;
  }

  private IllegalArgumentException error(String what) {
    String found = pos >= s.length() ? "end of header"
        : "'" + s.substring(pos, Math.min(s.length(), pos + 12)) + "'";
    return new IllegalArgumentException(what + " at character " + pos + " (found " + found + ")");
  }

  private void skipSpace() {
    while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private boolean peek(char c) {
    skipSpace();
    return pos < s.length() && s.charAt(pos) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private Object value() {
    skipSpace();
    if (pos >= s.length()) {
      throw error("expected a value");
    }
    char c = s.charAt(pos);
    return switch (c) {
      case '{' -> dict();
      case '(' -> tupleOrParenthesised();
      case '[' -> list();
      case '\'', '"' -> string();
      default -> {
        if (c == '-' || c == '+' || isDigit(c)) {
          yield integer();
        }
        if (s.startsWith("True", pos)) {
          pos += 4;
          yield Boolean.TRUE;
        }
        if (s.startsWith("False", pos)) {
          pos += 5;
          yield Boolean.FALSE;
        }
        if (s.startsWith("None", pos)) {
          pos += 4;
          yield NONE;
        }
        throw error("expected a value");
      }
    };
  }

  private Map<String, Object> dict() {
    expect('{');
    Map<String, Object> map = new LinkedHashMap<>();
    while (!peek('}')) {
      Object key = value();
      if (!(key instanceof String k)) {
        throw error("dict key " + key + " is not a string");
      }
      expect(':');
      map.put(k, value());
      if (!peek(',')) {
        break;
      }
      pos++;
    }
    expect('}');
    return map;
  }

  private List<Object> items(char close) {
    List<Object> items = new ArrayList<>();
    while (!peek(close)) {
      items.add(value());
      if (!peek(',')) {
        break;
      }
      pos++;
    }
    return items;
  }

  private Object tupleOrParenthesised() {
    expect('(');
    List<Object> items = new ArrayList<>();
    boolean comma = false;
    while (!peek(')')) {
      items.add(value());
      if (!peek(',')) {
        break;
      }
      pos++;
      comma = true;
    }
    expect(')');
    // "(3)" is the integer 3 in Python; "(3,)" and "()" are tuples.
    return items.size() == 1 && !comma ? items.get(0) : new Tuple(List.copyOf(items));
  }

  private List<Object> list() {
    expect('[');
    List<Object> items = items(']');
    expect(']');
    return items;
  }

  private String string() {
    char quote = s.charAt(pos++);
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (c == '\n') {
        throw error("line break in a string");
      }
      if (c == '\\') {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '\\', '\'', '"' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          default -> throw error("unsupported escape \\" + e);
        }
      } else {
        sb.append(c);
      }
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private BigInteger integer() {
    int start = pos;
    if (s.charAt(pos) == '-' || s.charAt(pos) == '+') {
      pos++;
    }
    int digits = pos;
    while (pos < s.length() && isDigit(s.charAt(pos))) {
      pos++;
    }
    if (pos == digits) {
      throw error("expected digits");
    }
    BigInteger v = new BigInteger(s.substring(start, pos));
    if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
      pos++; // Python 2 long suffix, seen in old .npy files.
    }
    if (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
      throw error("not an integer");
    }
    return v;
  }
}
