package org.tca.embed;

import java.io.IOException;
import java.nio.file.Path;
import org.agrona.concurrent.AgentRunner;

/**
 * The embed tests' fixture: a {@link LearnerService} on DIR driven by its own runner thread
 * (close stops both), and clients of it that allow the service's heartbeat {@link #LIVENESS_MS}
 * of silence. The tests that use these clients are not about liveness; on a loaded CI machine
 * (load 16-20 on 2 cores) the service thread was starved, or fsyncing a snapshot, for just over
 * the clients' default 5 s ({@link LearnerClient#SERVICE_SILENCE_MS}), and a correct test failed
 * with "silent for 5002 ms". The liveness check itself is tested with a service that really
 * stopped ({@link #stopRunner}) against the default limit.
 */
final class RunningService implements AutoCloseable {

  /**
   * How long the fixture's clients let the service's heartbeat be silent: the service snapshots
   * a reclaimed learner (three fsyncs) on its own thread, silent meanwhile; on a disk shared
   * with many builds that took over 5 s.
   */
  static final long LIVENESS_MS = 60_000;

  /** How long {@link #connect()} waits for a free slot. */
  static final long CONNECT_WAIT_MS = 5_000;

  private final Path dir;
  private final LearnerService service;
  private final AgentRunner runner;

  private RunningService(Path dir, LearnerService service) {
    this.dir = dir;
    this.service = service;
    this.runner = service.start();
  }

  /** A service on {@code dir} with the given config. */
  static RunningService start(Path dir, ServiceConfig config) throws IOException {
    return new RunningService(dir, new LearnerService(dir, config));
  }

  /** A service on {@code dir} with the default config, idling by yielding (a shared machine). */
  static RunningService start(Path dir) throws IOException {
    return start(dir, ServiceConfig.defaults().withIdle("yield"));
  }

  /** The service (its file, for tests that tamper with it). */
  LearnerService service() {
    return service;
  }

  /** A client that waits up to {@link #CONNECT_WAIT_MS} for a slot. */
  LearnerClient connect() throws IOException {
    return connect(CONNECT_WAIT_MS);
  }

  /** A client that waits up to {@code waitMs} for a slot. */
  LearnerClient connect(long waitMs) throws IOException {
    return LearnerClient.connect(dir, waitMs, LIVENESS_MS);
  }

  /** Stops the service's thread (no more replies, no heartbeat); its file stays ready. */
  void stopRunner() {
    runner.close();
  }

  @Override
  public void close() throws IOException {
    runner.close();
    service.close();
  }

  /** Waits until the published weights include {@code updates} updates. */
  static float[] settledWeights(LearnerClient c, long updates) {
    float[] w = new float[c.parameterCount()];
    while (c.weights(w) != updates) { // bounded by the calling test class's @Timeout
      Thread.onSpinWait();
    }
    return w;
  }
}
