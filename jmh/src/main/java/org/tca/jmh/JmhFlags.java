package org.tca.jmh;

/**
 * JVM flags every benchmark fork needs, as compile-time constants for
 * {@code @Fork(jvmArgsAppend = {JmhFlags.ADD_MODULES, JmhFlags.VECTOR_MODULE, JmhFlags.UNSAFE})}.
 * (A {@code -jvmArgsAppend} on the JMH command line replaces this list; use -jvmArgs instead.)
 */
public final class JmhFlags {
  public static final String ADD_MODULES = "--add-modules";
  public static final String VECTOR_MODULE = "jdk.incubator.vector";
  public static final String UNSAFE = "--sun-misc-unsafe-memory-access=allow";
  /** Agrona 2.x on JDK 25 (the embed module's rings). */
  public static final String ADD_EXPORTS = "--add-exports";
  public static final String AGRONA_EXPORT = "java.base/jdk.internal.misc=ALL-UNNAMED";

  private JmhFlags() {}
}
