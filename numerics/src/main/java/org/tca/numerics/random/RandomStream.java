package org.tca.numerics.random;

import java.util.Objects;

/**
 * A seeded, splittable, counter-based stream of pseudo-random numbers. Every number it returns
 * is a fixed function of (seed, path of {@link #child} indices, position), so results are
 * reproducible for any thread count and scheduling: give each run, thread or sample its own
 * child, e.g. {@code root.child(run).child(sample)}.
 *
 * <h2>Algorithm (stable: part of the results file format; change it only with a new name)</h2>
 *
 * <p>Let {@code G = 0x9E3779B97F4A7C15} (the SplitMix64 golden gamma) and {@code mix} the
 * SplitMix64 finaliser (Stafford's "Mix13"), a bijection of 64-bit words:
 *
 * <pre>
 *   mix(z): z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >>> 27)) * 0x94D049BB133111EB;
 *           return z ^ (z >>> 31)                                     (all arithmetic mod 2^64)
 * </pre>
 *
 * A stream is identified by two 64-bit words (a, b) and holds a counter c (the position, the
 * number of 64-bit words drawn so far). Its i-th word (i = 1, 2, ...) is
 *
 * <pre>
 *   x_i = mix(mix(a + i * G) ^ b)
 * </pre>
 *
 * i.e. a SplitMix64 sequence started at {@code a} whose output is keyed by {@code b} and mixed
 * once more, so that streams with different b words are not shifted copies of one another (as
 * plain SplitMix64 streams from different seeds are: they all walk the same Weyl sequence,
 * which makes overlaps a birthday problem in 2^64). The root of
 * {@code new RandomStream(seed)} has {@code a = mix(seed + G)}, {@code b = mix(seed + 2G)} (the
 * first two SplitMix64 outputs of the seed). Child {@code k} of (a, b) has
 *
 * <pre>
 *   a' = mix(mix((a ^ CA) + k * G) ^ b),   b' = mix(mix((a ^ CB) + k * G) ^ b),
 *   CA = 0x6A09E667F3BCC909,  CB = 0xBB67AE8584CAA73B
 * </pre>
 *
 * which depends only on the parent's identity, not on its position: deriving children never
 * advances the parent, child(3) is the same whether or not child(2) was made, and for a fixed
 * parent k -> a' is a bijection, so distinct indices always give distinct streams.
 *
 * <p>Derived values (each consumes whole words, in order):
 *
 * <ul>
 *   <li>{@link #nextDouble()} = (x >>> 11) * 2^-53 in [0, 1); {@link #nextFloat()} = (x >>> 40) *
 *       2^-24 in [0, 1).
 *   <li>{@link #nextInt(int)}: Lemire's multiply-shift with rejection on the high 32 bits of x
 *       (exactly uniform).
 *   <li>{@link #nextGaussian()}: Marsaglia's polar method (exact normal law up to rounding):
 *       u, v = 2 nextDouble() - 1 until 0 < s = u^2 + v^2 < 1; returns u f and caches v f, f =
 *       sqrt(-2 ln(s) / s), computed with {@link StrictMath} so the values are bit-identical on
 *       every JVM and platform.
 *   <li>{@link #nextRademacher()}: -1 if the top bit of x is set, else +1. The Rademacher fills
 *       use all 64 bits of each word instead (element j of a block of 64 takes bit j, bit 0 the
 *       least significant; set bit means -1).
 * </ul>
 *
 * <p>The other fills are exactly the loops of the scalar calls they name. Golden values in
 * RandomStreamTest, checked against an independent transcription of the formulas above, pin
 * the algorithm.
 *
 * <p>Instances are mutable
 * and not thread-safe (one per thread); nothing allocates except {@link #child}, {@link #copy}
 * and {@link #permutation}; {@link #setToChild} re-targets an existing instance allocation-free.
 */
public final class RandomStream {

  static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long CHILD_A = 0x6A09E667F3BCC909L;
  private static final long CHILD_B = 0xBB67AE8584CAA73BL;
  private static final double DOUBLE_UNIT = 0x1.0p-53;
  private static final float FLOAT_UNIT = 0x1.0p-24f;

  private long a;
  private long b;
  /** a + position * G: the Weyl state of the counter, advanced by G per word. */
  private long weyl;
  private long position;
  private boolean haveGaussian;
  private double cachedGaussian;

  /** The root stream of {@code seed}. */
  public RandomStream(long seed) {
    this(mix(seed + GOLDEN_GAMMA), mix(seed + 2 * GOLDEN_GAMMA));
  }

  private RandomStream(long a, long b) {
    setIdentity(a, b);
  }

  /** SplitMix64's finaliser (Stafford Mix13), a bijection of 64-bit words. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private void setIdentity(long a, long b) {
    this.a = a;
    this.b = b;
    this.weyl = a;
    this.position = 0;
    this.haveGaussian = false;
    this.cachedGaussian = 0;
  }

  /**
   * The independent stream number {@code index} under this one (see the class comment), at
   * position 0. Depends only on this stream's identity, never on its position; does not advance
   * it.
   */
  public RandomStream child(long index) {
    return new RandomStream(childA(index), childB(index));
  }

  /** Same as {@link #child(long)}: the stream with the given key under this one. */
  public RandomStream split(long key) {
    return child(key);
  }

  /**
   * Makes this instance equal to {@code parent.child(index)} at position 0 without allocating
   * (for per-thread workspaces that draw a fresh child per sample). {@code parent} may be this.
   */
  public void setToChild(RandomStream parent, long index) {
    long na = parent.childA(index);
    long nb = parent.childB(index);
    setIdentity(na, nb);
  }

  private long childA(long index) {
    return mix(mix((a ^ CHILD_A) + index * GOLDEN_GAMMA) ^ b);
  }

  private long childB(long index) {
    return mix(mix((a ^ CHILD_B) + index * GOLDEN_GAMMA) ^ b);
  }

  /** An independent copy at the same position (with the same cached normal value, if any). */
  public RandomStream copy() {
    RandomStream c = new RandomStream(a, b);
    c.weyl = weyl;
    c.position = position;
    c.haveGaussian = haveGaussian;
    c.cachedGaussian = cachedGaussian;
    return c;
  }

  /** The number of 64-bit words drawn so far. */
  public long position() {
    return position;
  }

  /**
   * Moves to {@code position} (random access: the stream is counter-based) and drops any cached
   * normal value. (identity, position) therefore checkpoints a stream exactly whenever no normal
   * value is cached (e.g. after an even number of {@link #nextGaussian()} calls).
   */
  public void seek(long position) {
    this.position = position;
    this.weyl = a + position * GOLDEN_GAMMA;
    this.haveGaussian = false;
  }

  /** The next 64 uniformly distributed bits: x_i = mix(mix(a + i G) ^ b). */
  public long nextLong() {
    position++;
    weyl += GOLDEN_GAMMA;
    return mix(mix(weyl) ^ b);
  }

  /** Uniform in [0, 1), a multiple of 2^-53: (x >>> 11) * 2^-53. */
  public double nextDouble() {
    return (nextLong() >>> 11) * DOUBLE_UNIT;
  }

  /** Uniform in [0, 1), a multiple of 2^-24: (x >>> 40) * 2^-24. */
  public float nextFloat() {
    return (nextLong() >>> 40) * FLOAT_UNIT;
  }

  /**
   * Uniform on {0, ..., bound - 1}, exactly (Lemire 2019, "Fast random integer generation in an
   * interval"): m = hi32(x) * bound; reject while lo32(m) < 2^32 mod bound; return m >>> 32.
   *
   * @throws IllegalArgumentException if bound <= 0
   */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    long m = (nextLong() >>> 32) * bound;
    long low = m & 0xFFFFFFFFL;
    if (low < bound) {
      long threshold = (1L << 32) % bound;
      while (low < threshold) {
        m = (nextLong() >>> 32) * bound;
        low = m & 0xFFFFFFFFL;
      }
    }
    return (int) (m >>> 32);
  }

  /** +1 or -1 with probability 1/2 each: -1 if the top bit of the next word is set. */
  public int nextRademacher() {
    return nextLong() < 0 ? -1 : 1;
  }

  /**
   * A standard normal variate by Marsaglia's polar method; every second call returns the cached
   * partner of the previous pair without drawing.
   */
  public double nextGaussian() {
    if (haveGaussian) {
      haveGaussian = false;
      return cachedGaussian;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    cachedGaussian = v * f;
    haveGaussian = true;
    return u * f;
  }

  /** a[off + i] = lo + (hi - lo) * nextDouble(), rounded values equal to hi moved just below. */
  public void fillUniform(double[] dst, int off, int len, double lo, double hi) {
    Objects.checkFromIndexSize(off, len, dst.length);
    checkInterval(lo, hi);
    double width = hi - lo;
    double top = Math.nextDown(hi);
    for (int i = off; i < off + len; i++) {
      dst[i] = Math.min(lo + width * nextDouble(), top);
    }
  }

  /** a[off + i] = lo + (hi - lo) * nextFloat() in f32, rounded values equal to hi moved below. */
  public void fillUniform(float[] dst, int off, int len, float lo, float hi) {
    Objects.checkFromIndexSize(off, len, dst.length);
    checkInterval(lo, hi);
    float width = hi - lo;
    checkInterval(0, width);
    float top = Math.nextDown(hi);
    for (int i = off; i < off + len; i++) {
      dst[i] = Math.min(lo + width * nextFloat(), top);
    }
  }

  /** a[off + i] = mean + sd * nextGaussian(). */
  public void fillNormal(double[] dst, int off, int len, double mean, double sd) {
    Objects.checkFromIndexSize(off, len, dst.length);
    checkScale(sd);
    for (int i = off; i < off + len; i++) {
      dst[i] = mean + sd * nextGaussian();
    }
  }

  /** a[off + i] = (f32) (mean + sd * nextGaussian()), computed in f64 and rounded once. */
  public void fillNormal(float[] dst, int off, int len, float mean, float sd) {
    Objects.checkFromIndexSize(off, len, dst.length);
    checkScale(sd);
    for (int i = off; i < off + len; i++) {
      dst[i] = (float) (mean + (double) sd * nextGaussian());
    }
  }

  /** Independent +-1 entries, 64 per word (element j of each block of 64 takes bit j). */
  public void fillRademacher(double[] dst, int off, int len) {
    Objects.checkFromIndexSize(off, len, dst.length);
    for (int block = 0; block < len; block += 64) {
      long bits = nextLong();
      int end = Math.min(len, block + 64);
      for (int i = block; i < end; i++) {
        dst[off + i] = ((bits >>> (i - block)) & 1L) != 0 ? -1.0 : 1.0;
      }
    }
  }

  /** Independent +-1 entries, 64 per word (element j of each block of 64 takes bit j). */
  public void fillRademacher(float[] dst, int off, int len) {
    Objects.checkFromIndexSize(off, len, dst.length);
    for (int block = 0; block < len; block += 64) {
      long bits = nextLong();
      int end = Math.min(len, block + 64);
      for (int i = block; i < end; i++) {
        dst[off + i] = ((bits >>> (i - block)) & 1L) != 0 ? -1.0f : 1.0f;
      }
    }
  }

  /**
   * Fisher-Yates (Durstenfeld) shuffle of a[off .. off + len): for i = len - 1 down to 1, swap
   * element i with element nextInt(i + 1). Every permutation is equally likely.
   */
  public void shuffle(int[] dst, int off, int len) {
    Objects.checkFromIndexSize(off, len, dst.length);
    for (int i = len - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = dst[off + i];
      dst[off + i] = dst[off + j];
      dst[off + j] = t;
    }
  }

  /** Shuffles the whole array (see {@link #shuffle(int[], int, int)}). */
  public void shuffle(int[] dst) {
    shuffle(dst, 0, dst.length);
  }

  /** A uniformly random permutation of 0 .. n-1: the identity, shuffled. */
  public int[] permutation(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0: " + n);
    }
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    shuffle(p, 0, n);
    return p;
  }

  private static void checkInterval(double lo, double hi) {
    if (!(lo < hi) || !Double.isFinite(hi - lo)) {
      throw new IllegalArgumentException("need finite lo < hi, got [" + lo + ", " + hi + ")");
    }
  }

  private static void checkScale(double sd) {
    if (!(sd >= 0) || Double.isInfinite(sd)) {
      throw new IllegalArgumentException("sd must be finite and >= 0: " + sd);
    }
  }

  /** Identity words and position, in hex (for logs and results provenance). */
  @Override
  public String toString() {
    return String.format("RandomStream[a=%016x, b=%016x, position=%d]", a, b, position);
  }
}
