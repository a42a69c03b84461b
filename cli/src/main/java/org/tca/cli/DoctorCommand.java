package org.tca.cli;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tca.numerics.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tca doctor}: what this JVM gives tca (JDK, kernel provider, SIMD width, cores, load
 * average) and two on-the-spot measurements (about 2 s on an idle machine, longer while the JIT
 * is still compiling): single-thread SGEMM GFLOP/s at n = 256 and the decayed rank-1 trace
 * update in GB/s, each the median of timed rounds with the slowest and fastest
 * ({@link KernelProbe}).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Check the JVM and measure the kernels (about 2 s): is the fast path active?")
final class DoctorCommand implements Callable<Integer> {

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--seconds", defaultValue = "2", paramLabel = "S",
      description = "Approximate total measuring time (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!(seconds > 0 && seconds <= 600)) {
      throw new UsageException("--seconds must be in (0, 600], got " + seconds);
    }
    KernelProbe.Result gemm = KernelProbe.sgemm(256, seconds * 0.5);
    KernelProbe.Result rank1 = KernelProbe.rank1(128, 128, seconds * 0.5);
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("java_version", Runtime.version().toString());
    f.put("java_vendor", System.getProperty("java.vendor"));
    f.put("java_home", System.getProperty("java.home"));
    f.put("provider", Kernels.provider());
    f.put("vector_bits", Kernels.f32().vectorBits());
    f.put("vector_module", Kernels.vectorAvailable());
    f.put("cores", Runtime.getRuntime().availableProcessors());
    f.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
    f.put("os_arch", System.getProperty("os.arch"));
    f.put("load_average", load);
    f.put("sgemm_n", 256);
    f.put("sgemm_gflops", gemm.median());
    f.put("sgemm_gflops_min", gemm.min());
    f.put("sgemm_gflops_max", gemm.max());
    f.put("sgemm_rounds", gemm.rounds());
    f.put("rank1_shape", "128x128");
    f.put("rank1_gbps", rank1.median());
    f.put("rank1_gbps_min", rank1.min());
    f.put("rank1_gbps_max", rank1.max());
    f.put("rank1_rounds", rank1.rounds());
    f.put("jit_steady", gemm.steady() && rank1.steady());
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonFiles.line(f));
    } else {
      out.printf(Locale.ROOT, "java        %s (%s) at %s%n", f.get("java_version"), f.get("java_vendor"),
          f.get("java_home"));
      out.printf(Locale.ROOT, "kernels     %s, %d-bit SIMD%s%n", Kernels.provider(), Kernels.f32().vectorBits(),
          Kernels.provider().equals("vector") ? "" : hint());
      out.printf(Locale.ROOT, "cores       %d (max heap %d MiB, %s)%s%n", f.get("cores"),
          f.get("max_heap_mib"), f.get("os_arch"), load < 0 ? ""
              : String.format(Locale.ROOT, ", load average %.1f", load));
      out.printf(Locale.ROOT, "sgemm       %.1f GFLOP/s  median of %d rounds, min %.1f, max %.1f"
          + " (n = 256, one thread)%n", gemm.median(), gemm.rounds(), gemm.min(), gemm.max());
      out.printf(Locale.ROOT, "rank-1      %.1f GB/s     median of %d rounds, min %.1f, max %.1f"
          + " (E = a*E + x*y', 128 x 128, one thread)%n", rank1.median(), rank1.rounds(),
          rank1.min(), rank1.max());
      if (!gemm.steady() || !rank1.steady()) {
        out.printf(Locale.ROOT, "note        the JIT was still compiling after %.0f s of warm-up:"
            + " the machine is busy; run tca doctor again when it is idle%n",
            KernelProbe.MAX_WARM_UP_SECONDS);
      } else if (load > (int) f.get("cores")) {
        out.printf(Locale.ROOT, "note        load average %.1f on %d cores: other work shares the"
            + " CPU, so the median is below an idle machine's%n", load, f.get("cores"));
      }
    }
    out.flush();
    return 0;
  }

  private static String hint() {
    return Kernels.vectorAvailable()
        ? " (forced by -D" + Kernels.PROPERTY + ")"
        : " (slow path: start the JVM with --add-modules jdk.incubator.vector; bin/tca does)";
  }
}
