package org.scratchdl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads from a local HTTP server on 127.0.0.1 whose mirrors fail in different ways. The good mirror
 * serves the real MNIST files from {@code $SCRATCHDL_DATA} or the user cache; tests that need them are skipped without them.
 */
class DownloaderTest {
    /** The published MD5 sums of the decompressed MNIST files, written out here independently of the code. */
    private static final Map<String, String> MNIST_MD5 = Map.of(
            "train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb",
            "train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624",
            "t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea",
            "t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637");

    @TempDir
    Path temp;

    private HttpServer server;
    private ExecutorService executor;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    private Path source;

    @BeforeEach
    void startServer() throws IOException {
        source = DataLocator.fromEnvironment().find(MnistDataset.MNIST, null).orElse(null);
        executor = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/fail/", ex -> {
            requested(ex);
            respond(ex, 500, "internal error".getBytes(StandardCharsets.US_ASCII));
        });
        server.createContext("/good/", ex -> {
            MnistFile f = requested(ex);
            respond(ex, f == null ? 404 : 200, f == null ? new byte[0] : Files.readAllBytes(f.find(source).orElseThrow()));
        });
        server.createContext("/corrupt/", ex -> {
            MnistFile f = requested(ex);
            respond(ex, f == null ? 404 : 200, f == null ? new byte[0] : corrupted(f));
        });
        server.createContext("/raw-labels/", ex -> {
            MnistFile f = requested(ex);
            boolean serve = f == MnistFile.TRAIN_LABELS || f == MnistFile.TEST_LABELS;
            respond(ex, serve ? 200 : 404, serve ? IdxBytes.content(f.find(source).orElseThrow()) : new byte[0]);
        });
        server.createContext("/huge/", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                byte[] zeros = new byte[1 << 16];
                for (int i = 0; i < 1000; i++) {
                    out.write(zeros);
                }
            } catch (IOException e) {
                // The client hung up, as it should once the body is too long.
            }
        });
        server.createContext("/stall/", ex -> {
            ex.sendResponseHeaders(200, 1000);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(new byte[] {0x1F, (byte) 0x8B, 8, 0});
                out.flush();
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The client gave up, as it should.
            }
        });
        server.createContext("/silent/", ex -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    private MnistFile requested(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return Arrays.stream(MnistFile.values()).filter(f -> f.gzName().equals(name)).findFirst().orElse(null);
    }

    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * A damaged copy of a file: valid gzip with one content byte changed (caught only by the MD5), except
     * the large training images, served cut in half (caught as truncated gzip).
     */
    private byte[] corrupted(MnistFile f) throws IOException {
        Path file = f.find(source).orElseThrow();
        if (f == MnistFile.TRAIN_IMAGES) {
            byte[] bytes = Files.readAllBytes(file);
            return Arrays.copyOf(bytes, bytes.length / 2);
        }
        byte[] content = IdxBytes.content(file);
        content[content.length - 1] ^= 1;
        return IdxBytes.gzip(content);
    }

    private URI mirror(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/");
    }

    private static URI refused() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort() + "/mnist/");
        }
    }

    private Downloader downloader(MnistDataset dataset, URI... mirrors) {
        return new Downloader(Map.of(dataset, List.of(mirrors)), Duration.ofSeconds(2), Duration.ofSeconds(60),
                progress::add);
    }

    private static Set<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private void assumeSource() {
        assumeTrue(source != null, "no MNIST files in $" + DataLocator.DATA_ENV + " or ~/.cache/scratchdl/mnist");
    }

    @Test
    void failingAndCorruptMirrorsAreSkippedAndNothingIsLeftBehind() throws IOException {
        assumeSource();
        Path dir = temp.resolve("cache/mnist");
        downloader(MnistDataset.MNIST, refused(), mirror("fail"), mirror("corrupt"), mirror("good"))
                .download(MnistDataset.MNIST, dir);

        assertEquals(new TreeSet<>(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")), list(dir));
        for (MnistFile f : MnistFile.values()) {
            Path saved = dir.resolve(f.gzName());
            assertEquals(-1, Files.mismatch(saved, f.find(source).orElseThrow()), f.gzName());
            assertEquals(MNIST_MD5.get(f.baseName()), ContentDigest.of(saved, Long.MAX_VALUE - 1).md5());
            assertEquals(1, requests.get("/fail/" + f.gzName()).get());
            assertEquals(1, requests.get("/corrupt/" + f.gzName()).get());
            assertEquals(1, requests.get("/good/" + f.gzName()).get());
        }
        String log = String.join("\n", progress);
        // The unreachable mirror is asked for the first file only.
        assertEquals(1, log.split("cannot connect to 127.0.0.1:", -1).length - 1, log);
        assertTrue(log.contains("HTTP status 500"), log);
        assertTrue(log.contains("MD5 of the content is"), log);
        assertTrue(log.contains("damaged or truncated gzip data"), log);
        assertTrue(log.contains("MD5 of the content verified"), log);
    }

    @Test
    void allMirrorsFailingNamesFilesFolderAndMirrors() throws IOException {
        Path dir = temp.resolve("target");
        URI refused = refused();
        Downloader d = new Downloader(Map.of(MnistDataset.MNIST, List.of(refused, mirror("fail"), mirror("huge"),
                mirror("silent"))), Duration.ofMillis(500), Duration.ofSeconds(20), progress::add);
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> d.download(MnistDataset.MNIST, dir));
        String m = e.getMessage();
        for (String part : List.of(dir.toString(), "train-images-idx3-ubyte[.gz]", "train-labels-idx1-ubyte[.gz]",
                "t10k-images-idx3-ubyte[.gz]", "t10k-labels-idx1-ubyte[.gz]",
                refused + "train-images-idx3-ubyte.gz: cannot connect to 127.0.0.1:" + refused.getPort(),
                mirror("fail") + "train-images-idx3-ubyte.gz: HTTP status 500",
                mirror("huge") + "train-images-idx3-ubyte.gz: failed (IOException: the response is longer than",
                mirror("silent") + "train-images-idx3-ubyte.gz: no response from 127.0.0.1:"
                        + server.getAddress().getPort() + " within 0.5 s",
                "To use files you already have, set the environment variable SCRATCHDL_DATA=DIR (searched only when"
                        + " no folder is given), where DIR holds the four files")) {
            assertTrue(m.contains(part), "expected '" + part + "' in:\n" + m);
        }
        // one mirror per line, each but the last ending in ';' and the last in '.', so that the
        // entries stay apart when the command-line program joins the message into one line
        assertTrue(m.contains("HTTP status 500;\n  " + mirror("huge")), m);
        assertTrue(m.contains(" within 0.5 s.\nTo use files you already have"), m);
        assertFalse(Files.exists(dir), "the folder created for the download is removed again");
    }

    @Test
    void aFolderArgumentIsNamedInTheFailureAndLeavesTheOriginalAsItWas() throws IOException {
        Downloader plain = downloader(MnistDataset.MNIST, mirror("fail"));
        Downloader named = plain.withFolderArgument("--data DIR");
        Path dir = temp.resolve("target");
        String withArgument = assertThrows(DataUnavailableException.class,
                () -> named.download(MnistDataset.MNIST, dir)).getMessage();
        assertTrue(withArgument.contains("To use files you already have, pass --data DIR (or set"
                + " the environment variable SCRATCHDL_DATA=DIR, which is searched only when no folder is given),"
                + " where DIR holds the four files, or a subfolder mnist holding them"), withArgument);
        assertTrue(withArgument.contains(mirror("fail") + "train-images-idx3-ubyte.gz: HTTP status 500"),
                "same mirrors: " + withArgument);
        String without = assertThrows(DataUnavailableException.class,
                () -> plain.download(MnistDataset.MNIST, dir)).getMessage();
        assertTrue(without.contains("To use files you already have, set the environment variable"), without);
        assertFalse(without.contains("--data"), without);
        // the folder cannot be created: the same hint
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        String noFolder = assertThrows(DataUnavailableException.class,
                () -> named.download(MnistDataset.MNIST, file.resolve("sub"))).getMessage();
        assertTrue(noFolder.startsWith("Cannot create the folder " + file.resolve("sub")), noFolder);
        assertTrue(noFolder.contains("pass --data DIR (or set the environment variable SCRATCHDL_DATA=DIR, which is"
                + " searched only when no folder is given)"), noFolder);
        assertThrows(NullPointerException.class, () -> plain.withFolderArgument(null));
    }

    @Test
    void aFailedDownloadRemovesTheFoldersItCreatedAndNoOther() throws IOException {
        Downloader d = new Downloader(Map.of(MnistDataset.MNIST, List.of(mirror("fail"))), Duration.ofMillis(500),
                Duration.ofSeconds(5), progress::add);
        // three levels created for it: all removed
        Path nested = temp.resolve("a/b/mnist");
        assertThrows(DataUnavailableException.class, () -> d.download(MnistDataset.MNIST, nested));
        assertFalse(Files.exists(temp.resolve("a")), "every folder the download created is removed");
        // a parent that existed before stays
        Path existing = Files.createDirectories(temp.resolve("existing"));
        assertThrows(DataUnavailableException.class, () -> d.download(MnistDataset.MNIST, existing.resolve("x/mnist")));
        assertTrue(Files.isDirectory(existing));
        assertFalse(Files.exists(existing.resolve("x")));
        // a target folder that existed before stays, with what it held
        Path target = Files.createDirectories(temp.resolve("target"));
        Path kept = Files.writeString(target.resolve("notes.txt"), "mine");
        assertThrows(DataUnavailableException.class, () -> d.download(MnistDataset.MNIST, target));
        assertTrue(Files.exists(kept));
    }

    @Test
    void anyFailureRemovesTheFoldersCreatedButNeverALink() throws IOException {
        // a failure other than "no mirror delivered": the progress callback throws
        Downloader failing = new Downloader(Map.of(MnistDataset.MNIST, List.of(mirror("fail"))),
                Duration.ofMillis(500), Duration.ofSeconds(5), line -> {
                    throw new IllegalStateException("progress failed");
                });
        Path nested = temp.resolve("a/b/mnist");
        assertThrows(IllegalStateException.class, () -> failing.download(MnistDataset.MNIST, nested));
        assertFalse(Files.exists(temp.resolve("a")), "every folder the download created is removed");
        // a dangling link as the target: creating the folder fails, and the link stays
        Path link = Files.createSymbolicLink(temp.resolve("link"), temp.resolve("nowhere/at/all"));
        Downloader d = new Downloader(Map.of(MnistDataset.MNIST, List.of(mirror("fail"))), Duration.ofMillis(500),
                Duration.ofSeconds(5), progress::add);
        assertThrows(DataUnavailableException.class, () -> d.download(MnistDataset.MNIST, link));
        assertTrue(Files.isSymbolicLink(link), "the link is not the download's to remove");
    }

    @Test
    void stalledTransferIsAbandonedAndItsTemporaryFileRemoved() {
        Path dir = temp.resolve("target");
        Downloader d = new Downloader(Map.of(MnistDataset.MNIST, List.of(mirror("stall"))), Duration.ofSeconds(5),
                Duration.ofMillis(800), progress::add);
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> d.download(MnistDataset.MNIST, dir));
        assertTrue(e.getMessage().contains("the whole file did not arrive within 0.8 s"), e.getMessage());
        assertFalse(Files.exists(dir), "no temporary file may remain in the folder");
    }

    @Test
    void fashionMnistFailureSuggestsTheDebianPackage() throws IOException {
        Path dir = temp.resolve("target");
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> downloader(MnistDataset.FASHION_MNIST, mirror("fail")).download(MnistDataset.FASHION_MNIST, dir));
        // the package's folder is searched only without a folder argument, and the hint says so
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist (installs them into "
                + "/usr/share/datasets/fashion-mnist, which is searched when no folder is given)."), e.getMessage());
        assertFalse(Files.exists(dir), "the folder created for the download is removed again");
    }

    @Test
    void onlyMissingFilesAreFetchedAndUncompressedDownloadsKeepTheirName() throws IOException {
        assumeSource();
        DataLocator locator = new DataLocator(Map.of(), temp.resolve("home"), temp.resolve("system"));
        Path cache = locator.downloadDir(MnistDataset.MNIST, null);
        Files.createDirectories(cache);
        for (MnistFile f : List.of(MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS)) {
            Files.copy(f.find(source).orElseThrow(), cache.resolve(f.gzName()));
        }
        Path found = locator.locate(MnistDataset.MNIST, null,
                downloader(MnistDataset.MNIST, mirror("raw-labels"), mirror("good")));
        assertEquals(cache, found);
        assertEquals(new TreeSet<>(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte")), list(cache));
        assertEquals(Set.of("/raw-labels/t10k-images-idx3-ubyte.gz", "/good/t10k-images-idx3-ubyte.gz",
                "/raw-labels/t10k-labels-idx1-ubyte.gz"), requests.keySet());
        TrainTestSplit split = MnistData.load(found);
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
                split.test().classCounts());
        // Everything present now: no further requests.
        requests.clear();
        assertEquals(cache, locator.locate(MnistDataset.MNIST, null, downloader(MnistDataset.MNIST, mirror("good"))));
        assertEquals(Map.of(), requests);
    }

    @Test
    void mirrorsMustBeHttp() {
        assertThrows(IllegalArgumentException.class, () -> new Downloader(
                Map.of(MnistDataset.MNIST, List.of(URI.create("ftp://example.org/mnist/"))),
                Duration.ofSeconds(1), Duration.ofSeconds(1), null));
        assertThrows(IllegalArgumentException.class, () -> new Downloader(
                Map.of(MnistDataset.MNIST, List.of(URI.create("mnist/"))), Duration.ofSeconds(1), Duration.ofSeconds(1),
                null));
        assertThrows(IllegalArgumentException.class, () -> new Downloader(Map.of(), Duration.ZERO,
                Duration.ofSeconds(1), null));
    }
}
