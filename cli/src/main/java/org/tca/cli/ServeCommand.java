package org.tca.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.agrona.concurrent.AgentRunner;
import org.tca.embed.LearnerService;
import org.tca.embed.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tca serve --dir DIR [--config learner.json] [--idle KIND]}: runs the shared-memory
 * learner service ({@link LearnerService}) on {@code DIR/tca.ipc} until interrupted (Ctrl-C or
 * SIGTERM), then snapshots every open learner into DIR/learners/NAME/params.npy. Clients: the
 * Python package under python/ and {@code org.tca.embed.LearnerClient}; protocol:
 * docs/embed-protocol.md.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve online learners to other processes (Python, JVM) over shared memory.")
final class ServeCommand implements Callable<Integer> {

  @Option(names = "--dir", required = true, paramLabel = "DIR",
      description = "Directory of the shared file tca.ipc and of the learners' snapshots.")
  Path dir;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Service settings (JSON): slots, request_ring_bytes, reply_ring_bytes, "
          + "max_parameters, client_timeout_ms, idle.")
  Path config;

  @Option(names = "--idle", paramLabel = "KIND",
      description = "busy-spin (lowest latency, burns a core), yield, backoff or sleep; "
          + "overrides the config (default: backoff).")
  String idle;

  @Override
  public Integer call() throws Exception {
    ServiceConfig c;
    if (config == null) {
      c = ServiceConfig.defaults();
    } else {
      if (!Files.isRegularFile(config)) {
        throw new UsageException("--config " + config + ": no such file");
      }
      try {
        c = ServiceConfig.read(config);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--config " + e.getMessage());
      }
    }
    if (idle != null) {
      try {
        c = c.withIdle(idle);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--idle: " + e.getMessage());
      }
    }
    LearnerService service;
    try {
      service = new LearnerService(dir, c);
    } catch (IOException e) {
      throw new UsageException("--dir " + dir + ": " + e.getMessage());
    }
    AgentRunner runner = service.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runner.close();
      try {
        service.close();
      } catch (IOException e) {
        System.err.println("tca serve: " + e.getMessage());
      }
      stopped.countDown();
    }));
    System.err.println("tca serve: serving " + dir.resolve("tca.ipc") + " (" + c.layout().slots()
        + " slots, idle " + c.idle() + ")");
    stopped.await();
    return 0;
  }
}
