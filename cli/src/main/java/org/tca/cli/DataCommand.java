package org.tca.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tca data}: fetches the data sets the studies read. {@code tca data mnist --to DIR}
 * downloads the four MNIST IDX files, verifies their SHA-256 and writes them atomically; see
 * {@link MnistDownloader}.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
    description = "Download data sets (e.g. 'tca data mnist --to data/mnist').",
    subcommands = {DataCommand.Mnist.class})
final class DataCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    throw new UsageException("tca data needs a data set name: tca data mnist --to DIR");
  }

  /** {@code tca data mnist --to DIR [--mirror URL]}. */
  @Command(name = "mnist", mixinStandardHelpOptions = true,
      description = {
          "Download the four MNIST IDX files (train/t10k images and labels, gzipped, about 11 MB)"
              + " into DIR and verify each file's SHA-256.",
          "Files already in DIR with the right checksum are kept; an interrupted download resumes"
              + " where it stopped when you run the command again.",
          "Default mirrors, tried in order:",
          "  https://ossci-datasets.s3.amazonaws.com/mnist/",
          "  https://storage.googleapis.com/cvdf-datasets/mnist/",
          "  https://yann.lecun.com/exdb/mnist/"})
  static final class Mnist implements Callable<Integer> {

    @Option(names = "--to", required = true, paramLabel = "DIR",
        description = "Directory to put the files in (created if missing; removed again if"
            + " the download fails and leaves it empty).")
    Path to;

    @Option(names = "--mirror", paramLabel = "URL",
        description = "Use only this http(s) folder URL instead of the default mirrors.")
    String mirror;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<URI> mirrors = mirror == null
          ? MnistDownloader.DEFAULT_MIRRORS
          : List.of(MnistDownloader.mirror(mirror));
      PrintWriter err = spec.commandLine().getErr();
      PrintWriter out = spec.commandLine().getOut();
      List<MnistDownloader.FileResult> results;
      try {
        results = MnistDownloader.official(mirrors, err).download(to);
      } catch (MnistDownloader.DownloadException e) {
        err.println("tca: " + e.getMessage()
            + " (run the command again to resume, or pass --mirror URL)");
        err.flush();
        return 1;
      }
      long fetched = results.stream().filter(MnistDownloader.FileResult::downloaded).count();
      out.printf(Locale.ROOT, "MNIST ready in %s: %d files verified (%d downloaded, %d already there)%n",
          to, results.size(), fetched, results.size() - fetched);
      out.flush();
      return 0;
    }
  }
}
