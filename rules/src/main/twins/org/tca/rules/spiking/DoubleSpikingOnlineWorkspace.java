package org.tca.rules.spiking;

import org.tca.rules.learning.DoubleWorkspace;

/**
 * What the workspaces of the online spiking rules ({@link DoubleSpikingOnlineRule}) share: the
 * batch and step capacities they were made for, and the count of their learning state, the
 * values carried from step to step that {@code stateBytesPerSample} reports.
 */
public abstract class DoubleSpikingOnlineWorkspace implements DoubleWorkspace {

  private final int batchCapacity;
  private final int stepCapacity;

  DoubleSpikingOnlineWorkspace(int batchCapacity, int stepCapacity) {
    this.batchCapacity = batchCapacity;
    this.stepCapacity = stepCapacity;
  }

  /** Values of learning state carried from step to step. */
  abstract long stateLength();

  @Override
  public final int batchCapacity() {
    return batchCapacity;
  }

  @Override
  public final int stepCapacity() {
    return stepCapacity;
  }
}
