package org.scratchdl.data;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;
import org.scratchdl.io.CorruptFileException;
import org.scratchdl.tensor.Tensor;

/**
 * Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST (Y. LeCun et al., "The MNIST
 * database of handwritten digits", section "File formats"): a big-endian 32-bit magic number, one
 * big-endian 32-bit size per dimension, then the bytes in row-major order. Images use magic
 * {@value #IMAGES_MAGIC} ({@code 0x00000803}: unsigned bytes, 3 dimensions count × rows × columns),
 * labels magic {@value #LABELS_MAGIC} ({@code 0x00000801}: unsigned bytes, 1 dimension).
 *
 * <p>A file that starts with the bytes {@code 1F 8B} is read as gzip, any other as raw IDX. The reader
 * checks everything it reads and reports any problem with the content as a {@link CorruptFileException}
 * naming the file, the byte offset in the <em>decompressed</em> content and what was expected there:
 * wrong magic number, sizes that are not positive, sizes whose data would not fit in one Java array or
 * in the memory limit (checked before anything that large is allocated), content that ends early,
 * bytes after the declared data, labels outside {@code [0, classes)}, and damaged or truncated gzip
 * data. Only failures of the file system itself (missing file, no permission) are other
 * {@link IOException}s. Concatenated gzip members form one content (RFC 1952, section 2.2); bytes after
 * the last member that do not start another are ignored, as {@code gzip -d} does, since the content
 * before them is complete and checked by its CRC-32.
 *
 * <p>An instance holds only its memory limit; it is immutable and may be shared between threads.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned bytes with three dimensions: images. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with one dimension: labels. */
    public static final int LABELS_MAGIC = 0x00000801;

    /** The largest element count of a Java array that JVMs reliably allocate. */
    static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;
    /** Bytes of memory per pixel while loading: the raw byte and its float. */
    private static final int BYTES_PER_PIXEL = 1 + Float.BYTES;
    /** Bytes of memory per label while loading: the raw byte and its int. */
    private static final int BYTES_PER_LABEL = 1 + Integer.BYTES;
    private static final int FIRST_CHUNK = 1 << 16;
    /** Trailing bytes counted, at most, for the message about them. */
    private static final long TRAILING_COUNT_LIMIT = 1 << 20;

    /** {@code SCALE[b] = b / 255f}: unsigned pixel byte to [0, 1]. */
    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < SCALE.length; i++) {
            SCALE[i] = i / 255f;
        }
    }

    private final long memoryLimit;

    /** A reader whose memory limit is the JVM's maximum heap size ({@link Runtime#maxMemory()}). */
    public IdxReader() {
        this(Runtime.getRuntime().maxMemory());
    }

    /**
     * A reader that refuses files whose data would need more than {@code memoryLimitBytes} bytes to load
     * (5 bytes per pixel or label: the raw byte and its float or int).
     *
     * @param memoryLimitBytes the largest number of bytes a file may need, checked before reading its data
     * @throws IllegalArgumentException if {@code memoryLimitBytes} is not positive
     */
    public IdxReader(long memoryLimitBytes) {
        if (memoryLimitBytes <= 0) {
            throw new IllegalArgumentException("memory limit must be positive, got " + memoryLimitBytes);
        }
        this.memoryLimit = memoryLimitBytes;
    }

    /**
     * Reads an IDX images file (magic {@code 0x00000803}) as a tensor of shape {@code (N, 1, rows, cols)}
     * (NCHW, one channel) with each unsigned pixel byte {@code b} scaled to {@code b / 255f} in [0, 1].
     *
     * @param file an IDX images file, raw or gzip
     * @return the images, shape {@code (N, 1, rows, cols)}, values in [0, 1]
     * @throws CorruptFileException if the content is not a complete, valid IDX images file (see the
     *     class description)
     * @throws IOException if the file cannot be read
     */
    public Tensor readImages(Path file) throws IOException {
        return readImages(file, Files.newInputStream(file));
    }

    /** As {@link #readImages(Path)}, reading {@code content} (closed here) and naming it {@code file}. */
    Tensor readImages(Path file, InputStream content) throws IOException {
        try (Source in = Source.open(file, content)) {
            in.expectMagic(IMAGES_MAGIC);
            int count = in.readPositive("image count");
            int rows = in.readPositive("row count");
            int cols = in.readPositive("column count");
            String declared = count + " images of " + rows + "×" + cols + " pixels";
            long perImage = (long) rows * cols;
            if (perImage > MAX_ARRAY_LENGTH || perImage * count > MAX_ARRAY_LENGTH) {
                BigInteger total = BigInteger.valueOf(perImage).multiply(BigInteger.valueOf(count));
                throw in.corrupt(4, "the header declares " + declared + " (" + total + " pixels); at most "
                        + MAX_ARRAY_LENGTH + " pixels fit in one array");
            }
            long pixels = perImage * count;
            checkMemory(in, pixels * BYTES_PER_PIXEL, declared);
            byte[] raw = in.readPayload((int) pixels, "pixel data (" + declared + ")");
            in.expectEnd(IMAGES_HEADER + pixels, declared);
            float[] data = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                data[i] = SCALE[raw[i] & 0xFF];
            }
            return Tensor.of(data, count, 1, rows, cols);
        }
    }

    /**
     * Reads an IDX labels file (magic {@code 0x00000801}).
     *
     * @param file an IDX labels file, raw or gzip
     * @param classes the number of classes K; every label must lie in {@code [0, K)}
     * @return the labels, length N
     * @throws IllegalArgumentException if {@code classes < 1}
     * @throws CorruptFileException if the content is not a complete, valid IDX labels file or a label is
     *     outside {@code [0, classes)}
     * @throws IOException if the file cannot be read
     */
    public int[] readLabels(Path file, int classes) throws IOException {
        checkClasses(classes);
        return readLabels(file, Files.newInputStream(file), classes);
    }

    /** As {@link #readLabels(Path, int)}, reading {@code content} (closed here) and naming it {@code file}. */
    int[] readLabels(Path file, InputStream content, int classes) throws IOException {
        try (Source in = Source.open(file, content)) {
            checkClasses(classes);
            in.expectMagic(LABELS_MAGIC);
            int count = in.readPositive("label count");
            String declared = count + " labels";
            if (count > MAX_ARRAY_LENGTH) {
                throw in.corrupt(4, "the header declares " + declared + "; at most " + MAX_ARRAY_LENGTH
                        + " fit in one array");
            }
            checkMemory(in, (long) count * BYTES_PER_LABEL, declared);
            byte[] raw = in.readPayload(count, "label data (" + declared + ")");
            in.expectEnd(LABELS_HEADER + (long) count, declared);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                int label = raw[i] & 0xFF;
                if (label >= classes) {
                    throw in.corrupt(LABELS_HEADER + (long) i, "expected a label in [0, " + classes
                            + ") but found " + label + " (label number " + i + ")");
                }
                labels[i] = label;
            }
            return labels;
        }
    }

    private static void checkClasses(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
    }

    private void checkMemory(Source in, long needed, String declared) throws CorruptFileException {
        if (needed > memoryLimit) {
            throw in.corrupt(4, "the header declares " + declared + ", which need " + needed
                    + " bytes of memory to load; the limit is " + memoryLimit + " bytes");
        }
    }

    /** Describes an IDX magic number for messages. */
    static String describeMagic(int magic) {
        String hex = String.format("0x%08X", magic);
        if ((magic >>> 16) == 0x1F8B) {
            return hex + " (the start of gzip data: compressed twice?)";
        }
        if ((magic >>> 16) != 0) {
            return hex + " (not an IDX magic number: its first two bytes must be 0)";
        }
        String type;
        switch ((magic >>> 8) & 0xFF) {
            case 0x08: type = "unsigned bytes"; break;
            case 0x09: type = "signed bytes"; break;
            case 0x0B: type = "shorts"; break;
            case 0x0C: type = "ints"; break;
            case 0x0D: type = "floats"; break;
            case 0x0E: type = "doubles"; break;
            default: return hex + " (unknown IDX data type)";
        }
        int dims = magic & 0xFF;
        String what = magic == IMAGES_MAGIC ? "IDX images: " : magic == LABELS_MAGIC ? "IDX labels: " : "IDX ";
        return hex + " (" + what + type + ", " + dims + (dims == 1 ? " dimension)" : " dimensions)");
    }

    /**
     * The decompressed content of a file with its read position, turning every problem of the content into
     * a {@link CorruptFileException} at that position.
     */
    private static final class Source implements Closeable {
        private final Path file;
        private final InputStream in;
        private final byte[] scratch = new byte[8];
        private long position;

        private Source(Path file, InputStream in) {
            this.file = file;
            this.in = in;
        }

        static Source open(Path file, InputStream content) throws IOException {
            try {
                return new Source(file, Compression.open(content));
            } catch (ZipException | EOFException e) {
                throw new CorruptFileException(file, 0, "expected a valid gzip header but found damaged or "
                        + "truncated gzip data (" + e.getMessage() + ")", e);
            }
        }

        CorruptFileException corrupt(long offset, String problem) {
            return new CorruptFileException(file, offset, problem);
        }

        /** Reads up to {@code len} bytes; gzip damage becomes a CorruptFileException at the position. */
        private int read(byte[] b, int off, int len, String what) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw new CorruptFileException(file, position, "expected " + what
                        + " but the gzip data is damaged or truncated here (" + e.getMessage() + ")", e);
            }
        }

        /** Fills {@code b[0, len)}; returns how many bytes were read before the content ended. */
        private int readUpTo(byte[] b, int len, String what) throws IOException {
            int filled = 0;
            while (filled < len) {
                int n = read(b, filled, len - filled, what);
                if (n < 0) {
                    break;
                }
                filled += n;
                position += n;
            }
            return filled;
        }

        void expectMagic(int expected) throws IOException {
            String what = "the magic number " + describeMagic(expected);
            int n = readUpTo(scratch, 4, what);
            if (n == 0) {
                throw corrupt(0, "expected " + what + " but the content is empty");
            }
            if (n < 4) {
                throw corrupt(position, "expected " + what + " (4 bytes) but the content ends after " + n
                        + " bytes");
            }
            int magic = bigEndianInt();
            if (magic != expected) {
                throw corrupt(0, "expected " + what + " but found " + describeMagic(magic));
            }
        }

        int readPositive(String what) throws IOException {
            long offset = position;
            int n = readUpTo(scratch, 4, "the " + what);
            if (n < 4) {
                throw corrupt(position, "expected the " + what + " (a 4-byte big-endian integer) but the "
                        + "content ends after " + position + " bytes");
            }
            int value = bigEndianInt();
            if (value <= 0) {
                throw corrupt(offset, "expected a positive " + what + " but found " + value);
            }
            return value;
        }

        private int bigEndianInt() {
            return (scratch[0] & 0xFF) << 24 | (scratch[1] & 0xFF) << 16 | (scratch[2] & 0xFF) << 8
                    | (scratch[3] & 0xFF);
        }

        /**
         * Reads exactly {@code length} bytes. The buffer grows with the data actually present, so a header
         * that declares more data than the file holds costs no large allocation.
         */
        byte[] readPayload(int length, String what) throws IOException {
            long start = position;
            byte[] buffer = new byte[Math.min(length, FIRST_CHUNK)];
            int filled = 0;
            while (filled < length) {
                if (filled == buffer.length) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(length, 2L * buffer.length));
                }
                int n = read(buffer, filled, buffer.length - filled, what);
                if (n < 0) {
                    throw corrupt(position, "expected " + length + " bytes of " + what + " from byte " + start
                            + " (content length " + (start + length) + ") but the content ends after "
                            + filled + " of them");
                }
                filled += n;
                position += n;
            }
            return buffer;
        }

        /** Checks that the content ends here; reading to the end also checks the gzip CRC and length. */
        void expectEnd(long expectedLength, String declared) throws IOException {
            int b = read(scratch, 0, 1, "the end of the data");
            if (b < 0) {
                return;
            }
            long extra = 1;
            boolean exact = false;
            try {
                byte[] skip = new byte[8192];
                while (extra <= TRAILING_COUNT_LIMIT) {
                    int n = in.read(skip);
                    if (n < 0) {
                        exact = true;
                        break;
                    }
                    extra += n;
                }
            } catch (IOException e) {
                // Damage further on does not change the verdict; the count below is then a lower bound.
            }
            String count = exact ? String.valueOf(extra)
                    : extra > TRAILING_COUNT_LIMIT ? "more than " + TRAILING_COUNT_LIMIT : "at least " + extra;
            throw corrupt(expectedLength, "expected the end of the data after the " + declared + " (content "
                    + "length " + expectedLength + ") but found " + count + " more bytes");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
