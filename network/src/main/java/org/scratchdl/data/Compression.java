package org.scratchdl.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opens a file's content, decompressing it when it is gzip (it starts with {@code 1F 8B}, RFC 1952). */
final class Compression {
    static final int BUFFER = 1 << 13;

    private Compression() {
    }

    /**
     * The decompressed content of {@code file}.
     *
     * @throws ZipException or {@link EOFException} if the file starts like gzip but its header is damaged
     *     or truncated (the caller decides how to report it)
     * @throws IOException if the file cannot be read
     */
    static InputStream open(Path file) throws IOException {
        return open(Files.newInputStream(file));
    }

    /**
     * The decompressed content of {@code in}, which is closed with the returned stream (or on failure).
     *
     * @throws ZipException or {@link EOFException} if the content starts like gzip but its header is
     *     damaged or truncated
     * @throws IOException if the stream cannot be read
     */
    static InputStream open(InputStream in) throws IOException {
        InputStream raw = new BufferedInputStream(in, BUFFER);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            return b0 == 0x1F && b1 == 0x8B ? new GZIPInputStream(raw, BUFFER) : raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** True if {@code file} starts with the gzip magic bytes {@code 1F 8B}. */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1F && in.read() == 0x8B;
        }
    }
}
