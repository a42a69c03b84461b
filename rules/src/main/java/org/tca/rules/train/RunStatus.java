package org.tca.rules.train;

/** How a run ended. */
public enum RunStatus {
  /** All iterations done. */
  OK("ok"),
  /** Stopped because the loss, the gradient or the weights became NaN or infinite. */
  DIVERGED("diverged"),
  /** Stopped before the last iteration on request (e.g. to checkpoint and resume later). */
  INCOMPLETE("incomplete");

  private final String id;

  RunStatus(String id) {
    this.id = id;
  }

  /** The name written to results files: "ok", "diverged" or "incomplete". */
  public String id() {
    return id;
  }
}
