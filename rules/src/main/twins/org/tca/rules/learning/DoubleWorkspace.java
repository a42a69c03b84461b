package org.tca.rules.learning;

/**
 * The per-thread scratch of one learning rule, sized once for at most B samples of T steps by
 * {@link DoubleLearningRule#newWorkspace}; every buffer a rule needs lives here, so the steady state
 * allocates nothing. A workspace belongs to the rule that made it and to one thread at a time.
 */
public interface DoubleWorkspace {

  /** Maximum batch size B. */
  int batchCapacity();

  /** Maximum sequence length T (for online rules, the T of the batches they step through). */
  int stepCapacity();

  /** Bytes of array storage held. */
  long sizeInBytes();
}
