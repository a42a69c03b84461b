package org.tca.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Downloads the four MNIST IDX files into a directory and verifies each against its SHA-256.
 *
 * <p>For each file, in order: a file already in the directory with the expected size and SHA-256
 * is kept; otherwise the mirrors are tried in order. The bytes stream into {@code .NAME.part} in
 * the same directory while being hashed; the part file is synced and renamed onto {@code NAME}
 * only when size and SHA-256 match, so {@code NAME} is always either absent or whole and valid.
 * A part file left by an interrupted download is resumed with an HTTP {@code Range} request (a
 * server that answers 200 instead of 206 restarts it); a checksum mismatch deletes the part file
 * and moves on to the next mirror (a resumed part is first retried once from scratch).
 */
final class MnistDownloader {

  /** One file: its name on the mirrors and in the directory, its size in bytes and SHA-256. */
  record Resource(String name, long size, String sha256) {
    Resource {
      sha256 = sha256.toLowerCase(Locale.ROOT);
    }
  }

  /** A file could not be fetched from any mirror; the message is one line naming it. */
  static final class DownloadException extends Exception {
    private static final long serialVersionUID = 1L;

    DownloadException(String message) {
      super(message);
    }
  }

  /** What happened to one file. */
  record FileResult(String name, boolean downloaded, URI source) {}

  /**
   * The official files (http://yann.lecun.com/exdb/mnist/, mirrored byte for byte). SHA-256s as
   * used by TensorFlow's and other loaders; they agree with the MD5s torchvision lists
   * (f68b3c2d..., d53e105e..., 9fb629c4..., ec29112d...) for the same files.
   */
  static final List<Resource> OFFICIAL = List.of(
      new Resource("train-images-idx3-ubyte.gz", 9_912_422L,
          "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
      new Resource("train-labels-idx1-ubyte.gz", 28_881L,
          "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
      new Resource("t10k-images-idx3-ubyte.gz", 1_648_877L,
          "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
      new Resource("t10k-labels-idx1-ubyte.gz", 4_542L,
          "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"));

  /**
   * Mirrors tried in order: PyTorch's (torchvision's first choice), the CVDF copy that TensorFlow
   * and Keras use, then the original site (often refuses automated downloads).
   */
  static final List<URI> DEFAULT_MIRRORS = List.of(
      URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
      URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
      URI.create("https://yann.lecun.com/exdb/mnist/"));

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  private static final String USER_AGENT = "tca-data/0.1 (java.net.http)";

  private final HttpClient http;
  private final List<URI> mirrors;
  private final List<Resource> resources;
  private final PrintWriter log;

  /** Downloads {@code resources} from {@code mirrors} (each ending in '/'), logging to {@code log}. */
  MnistDownloader(HttpClient http, List<URI> mirrors, List<Resource> resources, PrintWriter log) {
    if (mirrors.isEmpty() || resources.isEmpty()) {
      throw new IllegalArgumentException("need at least one mirror and one file");
    }
    this.http = http;
    this.mirrors = List.copyOf(mirrors);
    this.resources = List.copyOf(resources);
    this.log = log;
  }

  /** The official files from the default mirrors, with a client that follows redirects. */
  static MnistDownloader official(List<URI> mirrors, PrintWriter log) {
    return new MnistDownloader(defaultClient(), mirrors, OFFICIAL, log);
  }

  static HttpClient defaultClient() {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(CONNECT_TIMEOUT).build();
  }

  /**
   * Parses a {@code --mirror} value: an absolute http(s) URL of the folder holding the files.
   *
   * @throws UsageException when it is not one
   */
  static URI mirror(String url) {
    URI u;
    try {
      u = new URI(url.endsWith("/") ? url : url + "/");
    } catch (java.net.URISyntaxException e) {
      throw new UsageException("--mirror is not a valid URL: " + url);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
        || u.getQuery() != null || u.getFragment() != null) {
      throw new UsageException("--mirror must be an http(s) URL of a folder, got " + url);
    }
    return u;
  }

  /**
   * Makes sure every file is in {@code dir} and valid, downloading what is missing or corrupt.
   *
   * @throws UsageException when {@code dir} cannot be created or written
   * @throws DownloadException when a file could not be fetched and verified from any mirror
   */
  List<FileResult> download(Path dir) throws DownloadException {
    List<Path> created = prepare(dir);
    try {
      return downloadInto(dir);
    } catch (DownloadException | RuntimeException e) {
      removeEmpty(created); // a failed first download leaves no empty directory behind
      throw e;
    }
  }

  private List<FileResult> downloadInto(Path dir) throws DownloadException {
    List<FileResult> results = new ArrayList<>();
    for (Resource r : resources) {
      Path target = dir.resolve(r.name());
      if (Files.isRegularFile(target)) {
        String actual = sha256OfFile(target, r.size());
        if (r.sha256().equals(actual)) {
          log.printf(Locale.ROOT, "%s: present, SHA-256 ok%n", r.name());
          log.flush();
          results.add(new FileResult(r.name(), false, null));
          continue;
        }
        log.printf(Locale.ROOT, "%s: present but its size or SHA-256 is wrong; downloading again%n",
            r.name());
      }
      results.add(new FileResult(r.name(), true, fetchFromMirrors(dir, target, r)));
    }
    return results;
  }

  /** Creates {@code dir}; returns the directories this created, innermost first. */
  private static List<Path> prepare(Path dir) {
    List<Path> created = new ArrayList<>();
    for (Path d = dir.toAbsolutePath().normalize(); d != null && Files.notExists(d);
        d = d.getParent()) {
      created.add(d);
    }
    try {
      createWritable(dir);
    } catch (UsageException e) {
      removeEmpty(created);
      throw e;
    }
    return created;
  }

  private static void createWritable(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      throw new UsageException("cannot use " + dir + " as the data directory: a file is in the way");
    } catch (java.nio.file.FileSystemException e) {
      throw new UsageException("cannot create " + dir + ": "
          + (e.getReason() != null ? e.getReason() : reason(e)));
    } catch (IOException e) {
      throw new UsageException("cannot create " + dir + ": " + reason(e));
    }
    if (!Files.isWritable(dir)) {
      throw new UsageException("cannot write to " + dir + " (permission denied)");
    }
  }

  /** Deletes those of {@code dirs} (innermost first) that are empty; best effort. */
  private static void removeEmpty(List<Path> dirs) {
    for (Path d : dirs) {
      try {
        Files.deleteIfExists(d);
      } catch (IOException notEmptyOrGone) {
        return; // kept: it holds something (a resumable part file), and so do its parents
      }
    }
  }

  private URI fetchFromMirrors(Path dir, Path target, Resource r) throws DownloadException {
    Path part = dir.resolve("." + r.name() + ".part");
    List<String> failures = new ArrayList<>();
    for (URI mirror : mirrors) {
      URI uri = mirror.resolve(r.name());
      boolean allowResume = true;
      for (int attempt = 0; attempt < 2; attempt++) {
        try {
          boolean resumed = fetch(uri, part, r, allowResume);
          String actual = verifyPart(part, r, resumed);
          if (actual == null) {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
            log.printf(Locale.ROOT, "%s: SHA-256 ok%n", r.name());
            log.flush();
            return uri;
          }
          if (resumed) {
            allowResume = false; // the old part may be the culprit: once more from byte 0
            continue;
          }
          failures.add(actual);
        } catch (HttpStatusException e) {
          failures.add(e.getMessage());
        } catch (IOException e) {
          failures.add(uri + ": " + reason(e));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failures.add(uri + ": interrupted");
          throw new DownloadException("could not download " + r.name() + ": "
              + String.join("; ", failures));
        }
        break;
      }
    }
    throw new DownloadException("could not download " + r.name() + ": "
        + String.join("; ", failures));
  }

  /** Checks the finished part file; returns null when valid, else deletes it and says why. */
  private String verifyPart(Path part, Resource r, boolean resumed) throws IOException {
    long size = Files.size(part);
    String actual = sha256OfFile(part, -1);
    if (size == r.size() && r.sha256().equals(actual)) {
      return null;
    }
    Files.deleteIfExists(part);
    String msg = String.format(Locale.ROOT,
        "checksum mismatch for %s: expected %d bytes with SHA-256 %s, got %d bytes with SHA-256 %s%s",
        r.name(), r.size(), r.sha256(), size, actual, resumed ? " (resumed download)" : "");
    log.println(r.name() + ": " + msg);
    log.flush();
    return msg;
  }

  /** Streams {@code uri} into {@code part}; returns whether it appended to an earlier part. */
  private boolean fetch(URI uri, Path part, Resource r, boolean allowResume)
      throws IOException, InterruptedException {
    long have = Files.isRegularFile(part) ? Files.size(part) : 0;
    if (!allowResume || have >= r.size()) {
      Files.deleteIfExists(part);
      have = 0;
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET().timeout(RESPONSE_TIMEOUT)
        .header("User-Agent", USER_AGENT);
    if (have > 0) {
      req.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    int status = resp.statusCode();
    boolean append = status == 206 && have > 0 && rangeStartsAt(resp, have);
    if (!(status == 200 || append)) {
      resp.body().close();
      throw new HttpStatusException("HTTP " + status + " for " + uri);
    }
    if (!append) {
      have = 0;
    }
    log.printf(Locale.ROOT, "%s: %s %s (%.1f MB)%n", r.name(), append ? "resuming at byte " + have
        + " from" : "downloading", uri, r.size() / 1e6);
    log.flush();
    StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    try (InputStream in = resp.body();
        FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
      copy(in, out, have, r);
      out.flush();
      ch.force(true);
    }
    return append;
  }

  private void copy(InputStream in, OutputStream out, long start, Resource r) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = start;
    int shownPercent = (int) (100 * start / r.size()) / 10 * 10;
    log.print(r.name() + ":");
    for (int n; (n = in.read(buf)) > 0; ) {
      out.write(buf, 0, n);
      total += n;
      if (total > r.size()) {
        log.println();
        throw new IOException("more than the expected " + r.size() + " bytes");
      }
      int percent = (int) (100 * total / r.size());
      while (shownPercent + 10 <= percent) {
        shownPercent += 10;
        log.print(" " + shownPercent + "%");
        log.flush();
      }
    }
    log.println();
    log.flush();
  }

  private static boolean rangeStartsAt(HttpResponse<?> resp, long start) {
    // Content-Range: bytes START-END/TOTAL
    return resp.headers().firstValue("Content-Range")
        .map(v -> v.trim().toLowerCase(Locale.ROOT).startsWith("bytes " + start + "-"))
        .orElse(false);
  }

  /** Hex SHA-256 of a file; null when {@code expectedSize >= 0} and the size differs. */
  static String sha256OfFile(Path file, long expectedSize) {
    try {
      if (expectedSize >= 0 && Files.size(file) != expectedSize) {
        return null;
      }
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    String kind = e.getClass().getSimpleName();
    if (e instanceof java.net.ConnectException) {
      return "connection refused or unreachable";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "timed out";
    }
    return m == null || m.isBlank() ? kind : kind + ": " + m.replace('\n', ' ');
  }

  /** A non-success HTTP status; the message names status and URL. */
  private static final class HttpStatusException extends IOException {
    private static final long serialVersionUID = 1L;

    HttpStatusException(String message) {
      super(message);
    }
  }
}
