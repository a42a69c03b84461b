package org.tca.numerics.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The row kernels evaluate {@link VectorDoubleMath#exp} in one loop method with a single exp call
 * site ({@code VectorDoubleRows.rows}). C2 must compile that method on its own rather than inline
 * it into a caller: inlined, its Vector API calls count against the caller's node budget
 * (NodeCountInliningCutoff), exp or the lane sum is left a real call, and the vectors they take
 * and return are boxed (about 1 KB allocated per vector and 10-30x slower; seen in JMH when the
 * benchmark loop inlined a kernel). C2 never inlines a method whose bytecode is longer than
 * FreqInlineSize, so the method must stay longer than this JVM's FreqInlineSize (325 by
 * default). A failure here means it became short enough to be inlined: make it longer or call
 * it the way VectorDoubleActivations calls its kernels (through a method handle C2 cannot
 * inline), and check {@code ActivationBenchmark -prof gc} for allocation.
 */
class VectorDoubleKernelShapeTest {

  @Test
  void rowKernelIsTooLongForC2ToInline() throws IOException {
    int limit = freqInlineSize();
    int length = codeLength("VectorDoubleRows", "rows");
    assertTrue(length > limit,
        "VectorDoubleRows.rows: " + length + " bytes of bytecode <= FreqInlineSize " + limit);
  }

  private static int freqInlineSize() {
    try {
      return Integer.parseInt(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("FreqInlineSize").getValue());
    } catch (IllegalArgumentException | NullPointerException e) {
      return 325; // not HotSpot: its default
    }
  }

  /** Bytecode length of the (longest) method of that name in that class of this package. */
  private static int codeLength(String className, String method) throws IOException {
    try (InputStream in = VectorDoubleKernelShapeTest.class.getResourceAsStream(
        className + ".class")) {
      ClassModel model = ClassFile.of().parse(in.readAllBytes());
      return model.methods().stream()
          .filter(m -> m.methodName().equalsString(method))
          .mapToInt(m -> m.findAttribute(Attributes.code()).orElseThrow().codeLength())
          .max().orElseThrow();
    }
  }
}
