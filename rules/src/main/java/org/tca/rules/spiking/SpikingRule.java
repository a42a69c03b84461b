package org.tca.rules.spiking;

/**
 * A learning rule that trains a spiking network ({@link SpikingConfig}) rather than the rate RNN
 * of its {@code config()}: the trainer and the evaluator run {@link FloatSpikingNetwork} for it,
 * record firing rates, and the curvature code refuses it (the Hessian of a loss through the spike
 * function H is not defined).
 */
public interface SpikingRule {

  /** The spiking network the rule was made for. */
  SpikingConfig spikingConfig();

  /**
   * The values (floats or doubles, and the ints of event lists, counters and index lists) of
   * array storage that one workspace of this rule holds, made by {@code newWorkspace(b, T)}, once
   * it has run an offline gradient or, {@code online} (b = 1), a whole online sequence; for the
   * f32 rules exactly its {@code sizeInBytes()} / 4. Counted from the sizes alone, next to the
   * code that allocates the arrays, so that a run too large for the heap is refused before it
   * allocates anything ({@code MemoryEstimate}). A rule without an online mode ignores
   * {@code online}.
   */
  long workspaceValues(long batchSize, long steps, boolean online);
}
