package org.scratchdl.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Downloads the missing files of an MNIST-format data set into a folder, with the JDK's
 * {@link HttpClient}.
 *
 * <p>Each file missing from the folder (under either name, with or without {@code .gz}) is requested as
 * {@code <mirror><name>.gz} from each mirror in turn until one succeeds. Any failure moves on to the next
 * mirror: no connection, an HTTP status other than 200, a timeout, a body larger than the file can be,
 * or content that does not verify. Verification decompresses the download (when it is gzip) and compares
 * the length and the MD5 of the content with the published values, so it does not depend on how a
 * mirror compressed the file. The body is written to a temporary file in the target folder
 * ({@code .<name>.<random>.part}) and renamed atomically to its final name once verified; a rejected or
 * interrupted download is deleted. Files already present are not fetched again, and a mirror that could
 * not be connected to is not asked again for the following files. When a download fails, in whatever
 * way, the folders it created are removed again while empty (a symbolic link is never removed).
 *
 * <p>Progress is reported as lines of text to an optional callback. An instance holds an
 * {@link HttpClient} and may be used for several downloads, one at a time per folder.
 */
public final class Downloader {
    /** Default limit for connecting and for receiving the response headers. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Default limit for receiving one whole file. */
    public static final Duration DEFAULT_TRANSFER_TIMEOUT = Duration.ofMinutes(10);
    /** Allowance beyond a file's decompressed length for a download (gzip overhead on incompressible data). */
    private static final long SIZE_SLACK = 1 << 20;

    private final Map<MnistDataset, List<URI>> mirrors;
    private final Duration timeout;
    private final Duration transferTimeout;
    private final Consumer<String> progress;
    private final HttpClient client;
    /** How the program takes a folder of the user's own, for error messages; null if not said. */
    private final String folderArgument;

    /**
     * A downloader using the standard mirrors ({@link MnistDataset#mirrors()}) and the default timeouts.
     *
     * @param progress receives progress lines, or null for none
     */
    public Downloader(Consumer<String> progress) {
        this(standardMirrors(), DEFAULT_TIMEOUT, DEFAULT_TRANSFER_TIMEOUT, progress);
    }

    /**
     * A downloader with the given mirrors and timeouts.
     *
     * @param mirrors for each data set, the base URIs ({@code http} or {@code https}) of the folders holding
     *     its files, tried in order; a data set absent from the map has no mirror
     * @param timeout limit for connecting and for receiving the response headers of one request
     * @param transferTimeout limit for receiving one whole file from one mirror
     * @param progress receives progress lines, or null for none
     * @throws IllegalArgumentException if a mirror is not an absolute http or https URI or a timeout is not
     *     positive
     * @throws NullPointerException if {@code mirrors}, a list or URI in it, or a timeout is null
     */
    public Downloader(Map<MnistDataset, List<URI>> mirrors, Duration timeout, Duration transferTimeout,
            Consumer<String> progress) {
        Map<MnistDataset, List<URI>> copy = new EnumMap<>(MnistDataset.class);
        mirrors.forEach((dataset, uris) -> copy.put(dataset, uris.stream().map(Downloader::folderUri)
                .collect(Collectors.toUnmodifiableList())));
        this.mirrors = copy;
        this.timeout = positive(timeout, "timeout");
        this.transferTimeout = positive(transferTimeout, "transferTimeout");
        this.progress = progress != null ? progress : line -> { };
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.folderArgument = null;
    }

    private Downloader(Downloader from, String folderArgument) {
        this.mirrors = from.mirrors;
        this.timeout = from.timeout;
        this.transferTimeout = from.transferTimeout;
        this.progress = from.progress;
        this.client = from.client;
        this.folderArgument = folderArgument;
    }

    /**
     * A copy of this downloader (sharing its HTTP client) whose failure messages also tell the user
     * how to give the program a folder of files they already have: "To use files you already have, pass
     * <i>folderArgument</i> (or set the environment variable SCRATCHDL_DATA=DIR, which is searched only
     * when no folder is given), where DIR holds the four files, or a subfolder mnist holding them …"
     * (for MNIST; see {@link DataLocator} for where the files are searched). Without it the messages name
     * only the environment variable ("searched only when no folder is given"). This downloader is not
     * changed.
     *
     * @param folderArgument how the program takes such a folder DIR, for example {@code "--data DIR"}
     *     or {@code "DIR as DATA_DIR"}
     * @return a downloader with the same mirrors, timeouts and progress lines
     * @throws NullPointerException if {@code folderArgument} is null
     */
    public Downloader withFolderArgument(String folderArgument) {
        return new Downloader(this, Objects.requireNonNull(folderArgument, "folderArgument"));
    }

    /**
     * The standard mirrors.
     *
     * @return for every data set its {@link MnistDataset#mirrors()}, a new modifiable map
     */
    public static Map<MnistDataset, List<URI>> standardMirrors() {
        Map<MnistDataset, List<URI>> result = new EnumMap<>(MnistDataset.class);
        for (MnistDataset d : MnistDataset.values()) {
            result.put(d, d.mirrors());
        }
        return result;
    }

    /**
     * Downloads and verifies each of the four files of {@code dataset} missing from {@code dir}, creating
     * the folder (and missing parent folders) if needed. Stops at the first file no mirror could deliver;
     * files already verified stay, and the folders it created are removed again while empty.
     *
     * @param dataset the data set, which gives the file checksums
     * @param dir the target folder
     * @throws DataUnavailableException if a file could not be obtained from any mirror, or the folder
     *     cannot be created; the message names the missing files, the folder, each mirror tried with its
     *     failure, and how to provide the files by hand
     * @throws InterruptedIOException if the thread is interrupted (its interrupt flag is set again)
     * @throws IOException if the folder cannot be written
     */
    public void download(MnistDataset dataset, Path dir) throws IOException {
        List<URI> uris = mirrors.getOrDefault(dataset, List.of());
        Path firstCreated = firstMissing(dir);
        try {
            fetchMissing(dataset, dir, uris);
        } catch (IOException | RuntimeException e) {
            if (firstCreated != null) {
                deleteCreated(dir, firstCreated);
            }
            throw e;
        }
    }

    /** Creates {@code dir} if needed and fetches each file missing from it; see {@link #download}. */
    private void fetchMissing(MnistDataset dataset, Path dir, List<URI> uris) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataUnavailableException("Cannot create the folder " + dir + " for the " + dataset.id()
                    + " files (" + e + ").\n" + dataset.manualHint(folderArgument), e);
        }
        // Mirrors that could not be reached are not asked for the following files.
        Set<URI> unreachable = new HashSet<>();
        for (MnistFile file : MnistFile.values()) {
            if (file.find(dir).isPresent()) {
                continue;
            }
            List<String> failures = new ArrayList<>();
            boolean done = false;
            for (URI base : uris) {
                URI uri = base.resolve(file.gzName());
                if (unreachable.contains(base)) {
                    failures.add(uri + ": skipped, the host was unreachable for an earlier file");
                    continue;
                }
                Failure failure = fetch(dataset, file, uri, dir);
                if (failure == null) {
                    done = true;
                    break;
                }
                if (failure.unreachable()) {
                    unreachable.add(base);
                }
                progress.accept("  failed: " + failure.reason());
                failures.add(uri + ": " + failure.reason());
            }
            if (!done) {
                throw new DataUnavailableException(failureMessage(dataset, dir, file, uris, failures));
            }
        }
    }

    /** The outermost of {@code dir} and its parent folders that does not exist yet, or null if dir exists. */
    private static Path firstMissing(Path dir) {
        Path missing = null;
        // NOFOLLOW_LINKS: a dangling link exists, and is not this download's to remove
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS);
                p = p.getParent()) {
            missing = p;
        }
        return missing;
    }

    /** Removes {@code dir} and then its parents up to {@code top}, the folders this download created, while empty. */
    private static void deleteCreated(Path dir, Path top) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return; // never created as a folder (creating it failed), or a link: leave it and its parents
            }
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return; // not empty (a file was verified and kept): leave it and its parents
            }
            if (p.equals(top)) {
                return;
            }
        }
    }

    private String failureMessage(MnistDataset dataset, Path dir, MnistFile failed, List<URI> uris,
            List<String> failures) {
        List<String> missing = new ArrayList<>();
        for (MnistFile f : MnistFile.values()) {
            if (f.find(dir).isEmpty()) {
                missing.add(f.displayName());
            }
        }
        StringBuilder sb = new StringBuilder("Could not download the ").append(dataset.id()).append(" data set into ")
                .append(dir).append(". Missing there: ").append(String.join(", ", missing)).append(".\n");
        if (uris.isEmpty()) {
            sb.append("No download mirror is configured for ").append(dataset.id()).append(".\n");
        } else {
            sb.append("Mirrors tried for ").append(failed.gzName()).append(":\n");
            // one line each, ending in ';' (the last in '.'), so that joined into one line they stay apart
            sb.append("  ").append(String.join(";\n  ", failures)).append(".\n");
        }
        return sb.append(dataset.manualHint(folderArgument)).toString();
    }

    /** Why a request failed; {@code unreachable} if no connection to the host could be made. */
    private record Failure(String reason, boolean unreachable) {
        static Failure of(String reason) {
            return new Failure(reason, false);
        }
    }

    /** Fetches one file from one URI into {@code dir}; returns null on success, else what went wrong. */
    private Failure fetch(MnistDataset dataset, MnistFile file, URI uri, Path dir) throws IOException {
        progress.accept("Downloading " + uri);
        long maxBody = file.standardLength() + SIZE_SLACK;
        Path temp = Files.createTempFile(dir, "." + file.gzName() + ".", ".part");
        AtomicReference<FileSubscriber> subscriber = new AtomicReference<>();
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
            CompletableFuture<HttpResponse<Long>> future = client.sendAsync(request, info -> {
                if (info.statusCode() != 200) {
                    return BodySubscribers.replacing(-1L);
                }
                FileSubscriber s = new FileSubscriber(temp, maxBody);
                subscriber.set(s);
                return s;
            });
            HttpResponse<Long> response;
            try {
                response = future.get(transferTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                return Failure.of("the whole file did not arrive within " + seconds(transferTimeout));
            } catch (ExecutionException e) {
                return describe(e.getCause(), uri);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("download of " + uri + " interrupted");
            }
            if (response.statusCode() != 200) {
                return Failure.of("HTTP status " + response.statusCode());
            }
            long received = response.body();
            String problem = ContentDigest.verify(temp, file.standardLength(), dataset.md5(file));
            if (problem != null) {
                return Failure.of("rejected the download (" + received + " bytes): " + problem);
            }
            Path target = dir.resolve(Compression.isGzip(temp) ? file.gzName() : file.baseName());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            progress.accept("  saved " + target + " (" + received + " bytes, MD5 of the content verified)");
            return null;
        } finally {
            FileSubscriber s = subscriber.get();
            if (s != null) {
                s.close();
            }
            Files.deleteIfExists(temp);
        }
    }

    /** Why a request failed, in one line, e.g. {@code cannot connect to 127.0.0.1:8080 (…)}. */
    private Failure describe(Throwable t, URI uri) {
        Throwable top = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        String message = null;
        List<String> chain = new ArrayList<>();
        for (Throwable c = top; c != null && chain.size() < 5; c = c.getCause()) {
            chain.add(c.getClass().getSimpleName());
            if (message == null && c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
        }
        String detail = " (" + String.join(" / ", chain) + (message != null ? ": " + message : "") + ")";
        String authority = uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        if (top instanceof HttpConnectTimeoutException) {
            return new Failure("no connection to " + authority + " within " + seconds(timeout), true);
        }
        if (top instanceof HttpTimeoutException) {
            return Failure.of("no response from " + authority + " within " + seconds(timeout));
        }
        if (chain.contains("UnresolvedAddressException") || chain.contains("UnknownHostException")) {
            return new Failure("unknown host " + uri.getHost() + " (no network or no name resolution?)", true);
        }
        if (top instanceof ConnectException) {
            return new Failure("cannot connect to " + authority + detail, true);
        }
        return Failure.of("failed" + detail);
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    private static URI folderUri(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("a mirror must be an absolute http or https URI, got " + uri);
        }
        String s = uri.toString();
        return s.endsWith("/") ? uri : URI.create(s + "/");
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    /** Writes a response body to a file, failing once it exceeds a size limit. */
    private static final class FileSubscriber implements BodySubscriber<Long> {
        private final Path file;
        private final long limit;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private FileChannel channel;
        private long written;

        FileSubscriber(Path file, long limit) {
            this.file = file;
            this.limit = limit;
        }

        @Override
        public CompletionStage<Long> getBody() {
            return result;
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            try {
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                fail(e);
                return;
            }
            s.request(1);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            if (channel == null) {
                fail(new IOException("the download was abandoned"));
                return;
            }
            try {
                for (ByteBuffer b : buffers) {
                    written += b.remaining();
                    if (written > limit) {
                        fail(new IOException("the response is longer than " + limit + " bytes, more than the "
                                + "file can be"));
                        return;
                    }
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            subscription.request(1);
        }

        @Override
        public synchronized void onError(Throwable t) {
            close();
            result.completeExceptionally(t);
        }

        @Override
        public synchronized void onComplete() {
            try {
                if (channel != null) {
                    channel.force(false);
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            close();
            result.complete(written);
        }

        private void fail(Throwable t) {
            subscription.cancel();
            close();
            result.completeExceptionally(t);
        }

        synchronized void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Closing after a failure; the download is rejected either way.
                }
                channel = null;
            }
        }
    }
}
