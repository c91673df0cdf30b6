package org.scratchdl.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Builds IDX content for tests. */
final class IdxBytes {
    private IdxBytes() {
    }

    /** An IDX images file: magic 0x803, count, rows, cols, then {@code pixels}. */
    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows)
                .putInt(cols).put(pixels).array();
    }

    /** An IDX images file whose header matches {@code pixels.length == count*rows*cols}. */
    static byte[] images(int rows, int cols, byte[] pixels) {
        return images(pixels.length / (rows * cols), rows, cols, pixels);
    }

    /** An IDX labels file: magic 0x801, count, then the labels. */
    static byte[] labels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length).putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    /** A header-only IDX file: the magic and the given dimension sizes. */
    static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new FastGzip(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** The decompressed content of a file (raw or gzip). */
    static byte[] content(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return bytes.length > 1 && bytes[0] == 0x1F && (bytes[1] & 0xFF) == 0x8B ? gunzip(bytes) : bytes;
    }

    /** gzip at the fastest level, to keep tests quick on the large MNIST files. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 1 << 13);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
