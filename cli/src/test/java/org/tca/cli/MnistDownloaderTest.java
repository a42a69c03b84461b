package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MnistDownloader} and {@code tca data mnist} against HTTP servers on 127.0.0.1. */
class MnistDownloaderTest {

  @TempDir Path dir;

  private final List<FakeMirror> servers = new ArrayList<>();
  private final StringWriter log = new StringWriter();

  /** Small stand-ins for the four files, each with different bytes. */
  private final Map<String, byte[]> files = new LinkedHashMap<>();

  @BeforeEach
  void fakeFiles() {
    for (MnistDownloader.Resource r : MnistDownloader.OFFICIAL) {
      byte[] b = new byte[1000 + 37 * files.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (i * 31 + r.name().hashCode());
      }
      files.put(r.name(), b);
    }
  }

  @AfterEach
  void stopServers() {
    servers.forEach(s -> s.server.stop(0));
  }

  /** An HTTP mirror serving {@code content} under {@code /mnist/}, honouring Range if asked. */
  private static final class FakeMirror {
    final HttpServer server;
    final Map<String, byte[]> content;
    final boolean honourRange;
    final List<String> requests = new ArrayList<>();

    FakeMirror(Map<String, byte[]> content, boolean honourRange) throws IOException {
      this.content = content;
      this.honourRange = honourRange;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", ex -> {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        synchronized (requests) {
          requests.add(path + (range == null ? "" : " " + range));
        }
        byte[] body = path.startsWith("/mnist/") ? content.get(path.substring(7)) : null;
        if (body == null) {
          ex.sendResponseHeaders(404, -1);
          ex.close();
          return;
        }
        int from = 0;
        if (honourRange && range != null && range.startsWith("bytes=") && range.endsWith("-")) {
          from = Integer.parseInt(range.substring(6, range.length() - 1));
          ex.getResponseHeaders().add("Content-Range",
              "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        }
        ex.sendResponseHeaders(from > 0 ? 206 : 200, body.length - from);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body, from, body.length - from);
        }
      });
      server.start();
    }

    URI base() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/");
    }
  }

  private FakeMirror serve(Map<String, byte[]> content, boolean honourRange) throws IOException {
    FakeMirror m = new FakeMirror(content, honourRange);
    servers.add(m);
    return m;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Expected checksums of the fake files (what a test injects instead of the official ones). */
  private List<MnistDownloader.Resource> expected() throws Exception {
    List<MnistDownloader.Resource> rs = new ArrayList<>();
    for (var e : files.entrySet()) {
      rs.add(new MnistDownloader.Resource(e.getKey(), e.getValue().length, sha256(e.getValue())));
    }
    return rs;
  }

  private MnistDownloader downloader(List<URI> mirrors) throws Exception {
    return new MnistDownloader(MnistDownloader.defaultClient(), mirrors, expected(),
        new PrintWriter(log, true));
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void downloadsVerifiesAndLeavesOnlyTheFiles() throws Exception {
    FakeMirror m = serve(files, true);
    Path target = dir.resolve("sub/mnist");
    var results = downloader(List.of(m.base())).download(target);
    assertEquals(4, results.size());
    for (var r : results) {
      assertTrue(r.downloaded(), r.toString());
      assertEquals(m.base().resolve(r.name()), r.source());
      assertArrayEquals(files.get(r.name()), Files.readAllBytes(target.resolve(r.name())));
    }
    try (Stream<Path> s = Files.list(target)) {
      assertEquals(files.keySet().stream().sorted().toList(),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertTrue(log.toString().contains("100%"), log.toString());
  }

  @Test
  void validFilesAreSkippedAndCorruptOnesReplaced() throws Exception {
    FakeMirror m = serve(files, true);
    String keep = "train-labels-idx1-ubyte.gz";
    String corrupt = "t10k-images-idx3-ubyte.gz";
    Files.write(dir.resolve(keep), files.get(keep));
    byte[] bad = files.get(corrupt).clone();
    bad[5] ^= 1;
    Files.write(dir.resolve(corrupt), bad);
    var results = downloader(List.of(m.base())).download(dir);
    assertEquals(List.of(true, false, true, true),
        results.stream().map(MnistDownloader.FileResult::downloaded).toList());
    assertFalse(m.requests.stream().anyMatch(r -> r.contains(keep)), m.requests.toString());
    assertArrayEquals(files.get(corrupt), Files.readAllBytes(dir.resolve(corrupt)));
    // A second run touches the network not at all.
    int before = m.requests.size();
    var again = downloader(List.of(m.base())).download(dir);
    assertTrue(again.stream().noneMatch(MnistDownloader.FileResult::downloaded));
    assertEquals(before, m.requests.size());
  }

  @Test
  void checksumMismatchNamesTheFileAndLeavesNothing() throws Exception {
    Map<String, byte[]> tampered = new LinkedHashMap<>(files);
    String name = "train-images-idx3-ubyte.gz";
    byte[] bad = files.get(name).clone();
    bad[bad.length - 1] ^= 0x40;
    tampered.put(name, bad);
    FakeMirror m = serve(tampered, true);
    var ex = assertThrows(MnistDownloader.DownloadException.class,
        () -> downloader(List.of(m.base())).download(dir));
    assertTrue(ex.getMessage().startsWith("could not download " + name + ": checksum mismatch for "
        + name + ": expected 1000 bytes with SHA-256 " + sha256(files.get(name))), ex.getMessage());
    assertTrue(ex.getMessage().contains(sha256(bad)), ex.getMessage());
    assertFalse(ex.getMessage().contains("\n"));
    assertEquals(List.of(), listing());
  }

  @Test
  void notFoundReportsStatusAndUrl() throws Exception {
    Map<String, byte[]> partial = new LinkedHashMap<>(files);
    partial.remove("train-labels-idx1-ubyte.gz");
    FakeMirror m = serve(partial, true);
    var ex = assertThrows(MnistDownloader.DownloadException.class,
        () -> downloader(List.of(m.base())).download(dir));
    assertEquals("could not download train-labels-idx1-ubyte.gz: HTTP 404 for "
        + m.base() + "train-labels-idx1-ubyte.gz", ex.getMessage());
    // The file before it is in place and valid; nothing partial is left.
    assertEquals(List.of("train-images-idx3-ubyte.gz"), listing());
  }

  @Test
  void fallsBackToTheNextMirrorAndListsEveryFailure() throws Exception {
    FakeMirror empty = serve(Map.of(), true);
    FakeMirror good = serve(files, true);
    var results = downloader(List.of(empty.base(), good.base())).download(dir);
    assertTrue(results.stream().allMatch(r -> r.source().toString().startsWith(good.base().toString())));
    assertEquals(4, empty.requests.size());

    FakeMirror alsoEmpty = serve(Map.of(), true);
    int freePort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = gone.getLocalPort(); // closed again: connecting there is refused
    }
    URI closed = URI.create("http://127.0.0.1:" + freePort + "/mnist/");
    Path other = dir.resolve("other");
    var ex = assertThrows(MnistDownloader.DownloadException.class,
        () -> downloader(List.of(alsoEmpty.base(), closed)).download(other));
    assertTrue(ex.getMessage().startsWith("could not download train-images-idx3-ubyte.gz: HTTP 404 for "
        + alsoEmpty.base() + "train-images-idx3-ubyte.gz; " + closed + "train-images-idx3-ubyte.gz: "),
        ex.getMessage());
  }

  @Test
  void resumesAPartialDownloadWithARangeRequest() throws Exception {
    FakeMirror m = serve(files, true);
    String name = "t10k-labels-idx1-ubyte.gz";
    byte[] whole = files.get(name);
    Files.write(dir.resolve("." + name + ".part"), Arrays.copyOf(whole, 400));
    downloader(List.of(m.base())).download(dir);
    assertTrue(m.requests.contains("/mnist/" + name + " bytes=400-"), m.requests.toString());
    assertArrayEquals(whole, Files.readAllBytes(dir.resolve(name)));
    assertEquals(files.keySet().stream().sorted().toList(), listing());
  }

  @Test
  void restartsWhenTheServerIgnoresRangeOrThePartIsBad() throws Exception {
    FakeMirror ignoring = serve(files, false);
    String name = "t10k-labels-idx1-ubyte.gz";
    Files.write(dir.resolve("." + name + ".part"), new byte[] {1, 2, 3});
    downloader(List.of(ignoring.base())).download(dir);
    assertArrayEquals(files.get(name), Files.readAllBytes(dir.resolve(name)));

    // A part file whose bytes are wrong: the resumed result fails, the retry from 0 succeeds.
    FakeMirror ranged = serve(files, true);
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.write(other.resolve("." + name + ".part"), new byte[300]);
    downloader(List.of(ranged.base())).download(other);
    assertArrayEquals(files.get(name), Files.readAllBytes(other.resolve(name)));
    assertTrue(ranged.requests.contains("/mnist/" + name + " bytes=300-"), ranged.requests.toString());
    assertTrue(ranged.requests.contains("/mnist/" + name), ranged.requests.toString());
    assertTrue(log.toString().contains("(resumed download)"), log.toString());
  }

  private record Run(int status, String out, String err) {}

  private static Run tca(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void cliMirrorOverrideIsTheOnlyPlaceAsked() throws Exception {
    // Fake bytes cannot match the official checksums: the command must fail on the first file,
    // name it, exit 1 and leave nothing behind, having asked only the --mirror server.
    FakeMirror m = serve(files, true);
    String url = m.base().toString().replaceAll("/$", ""); // without the trailing slash
    Run r = tca("data", "mnist", "--to", dir.toString(), "--mirror", url);
    assertEquals(1, r.status(), r.err());
    String last = r.err().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(last.startsWith("tca: could not download train-images-idx3-ubyte.gz: checksum mismatch"
        + " for train-images-idx3-ubyte.gz: expected 9912422 bytes with SHA-256 440fcabf"), last);
    assertEquals(List.of("/mnist/train-images-idx3-ubyte.gz"), m.requests);
    assertEquals(List.of(), listing());
  }

  /** Without a network, a failed download removes the (empty) directories it created. */
  @Test
  void aFailedDownloadLeavesNoEmptyDirectoryItCreated() throws Exception {
    int freePort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = gone.getLocalPort(); // closed again: connecting there is refused
    }
    Path to = dir.resolve("data").resolve("mnist");
    Run r = tca("data", "mnist", "--to", to.toString(), "--mirror",
        "http://127.0.0.1:" + freePort + "/mnist/");
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains("tca: could not download train-images-idx3-ubyte.gz"), r.err());
    assertEquals(List.of(), listing(), "neither data/ nor data/mnist is left");
    Files.createDirectories(to);
    assertEquals(1, tca("data", "mnist", "--to", to.toString(), "--mirror",
        "http://127.0.0.1:" + freePort + "/mnist/").status());
    assertTrue(Files.isDirectory(to), "a directory the command did not create is kept");
  }

  @Test
  void cliUsageErrorsAreOneLineAndExitTwo() throws Exception {
    Run bad = tca("data", "mnist", "--to", dir.toString(), "--mirror", "ftp://example.org/mnist");
    assertEquals(2, bad.status());
    assertEquals("tca: --mirror must be an http(s) URL of a folder, got ftp://example.org/mnist",
        bad.err().strip());
    Run missing = tca("data", "mnist");
    assertEquals(2, missing.status());
    assertTrue(missing.err().startsWith("tca: Missing required option: '--to=DIR'"), missing.err());
    Path file = dir.resolve("plain-file");
    Files.writeString(file, "x", StandardCharsets.UTF_8);
    Run blocked = tca("data", "mnist", "--to", file.resolve("mnist").toString());
    assertEquals(2, blocked.status());
    assertEquals(1, blocked.err().strip().lines().count(), blocked.err());
    assertTrue(blocked.err().startsWith("tca: cannot "), blocked.err());
    Run noSet = tca("data");
    assertEquals(2, noSet.status());
    assertEquals("tca: tca data needs a data set name: tca data mnist --to DIR", noSet.err().strip());
    assertEquals(List.of("plain-file"), listing());
  }

  @Test
  void mirrorParsingAddsTheSlashAndRejectsNonFolders() {
    assertEquals(URI.create("https://h.example/a/b/"), MnistDownloader.mirror("https://h.example/a/b"));
    assertEquals(URI.create("http://h.example/"), MnistDownloader.mirror("http://h.example/"));
    assertThrows(UsageException.class, () -> MnistDownloader.mirror("not a url"));
    assertThrows(UsageException.class, () -> MnistDownloader.mirror("/local/path"));
    assertThrows(UsageException.class, () -> MnistDownloader.mirror("https://h.example/x?y=1"));
    assertNull(MnistDownloader.sha256OfFile(Path.of("/nonexistent/file"), -1));
  }
}
