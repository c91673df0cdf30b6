package org.scratchdl.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchdl.io.SafeTensorsHeader.Entry;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * Reads a safetensors file: the 8-byte header length, the header, then the tensor data.
 *
 * <p>Every size is checked against the actual length of the file before anything is allocated,
 * and the whole layout is checked before any tensor is loaded: the tensors' byte ranges, sorted
 * by offset, must tile the data section exactly (no holes, no overlaps, nothing after the last
 * one), and each range must be as long as its shape and dtype call for. Data is then read with
 * positional reads through a buffer of at most 1 MiB.
 */
final class SafeTensorsReader {
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensorsReader() {
    }

    /** Random-access bytes: a file channel or an array. */
    interface Source {
        /** The total length in bytes. */
        long size() throws IOException;

        /** Fills {@code dst} from {@code position} on, or fails at the end of the content. */
        void readFully(long position, ByteBuffer dst) throws IOException;
    }

    /** Reads {@code file} through a {@link FileChannel}. */
    static SafeTensorsFile read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            return read(file, new Source() {
                @Override
                public long size() throws IOException {
                    return channel.size();
                }

                @Override
                public void readFully(long position, ByteBuffer dst) throws IOException {
                    long at = position;
                    while (dst.hasRemaining()) {
                        int n = channel.read(dst, at);
                        if (n < 0) {
                            throw new CorruptFileException(file, at, "the file ended early (did it change while"
                                    + " being read?)");
                        }
                        at += n;
                    }
                }
            });
        }
    }

    /** Reads a whole file held in {@code content}, naming {@code file} in messages. */
    static SafeTensorsFile read(Path file, byte[] content) throws CorruptFileException {
        try {
            return read(file, new Source() {
                @Override
                public long size() {
                    return content.length;
                }

                @Override
                public void readFully(long position, ByteBuffer dst) throws CorruptFileException {
                    if (position + dst.remaining() > content.length) {
                        throw new CorruptFileException(file, content.length, "unexpected end of the content");
                    }
                    dst.put(content, (int) position, dst.remaining());
                }
            });
        } catch (CorruptFileException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError("an array source does no I/O", e);
        }
    }

    /** Reads and checks a whole file from {@code source}. */
    static SafeTensorsFile read(Path file, Source source) throws IOException {
        long size = source.size();
        if (size < 8) {
            throw new CorruptFileException(file, 0, "the file has " + size
                    + " bytes, too few for the 8-byte header length of a safetensors file");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        source.readFully(0, lengthBytes);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 0 || headerLength > SafeTensorsHeader.MAX_HEADER_BYTES) {
            throw new CorruptFileException(file, 0, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + SafeTensorsHeader.MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > size - 8) {
            throw new CorruptFileException(file, 0, "header length " + headerLength
                    + " reaches past the end of the file (" + size + " bytes)");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        source.readFully(8, ByteBuffer.wrap(headerBytes));
        SafeTensorsHeader header = SafeTensorsHeader.parse(headerBytes, file);

        long dataStart = 8 + headerLength;
        List<Entry> layout = checkLayout(file, header.entries(), dataStart, size - dataStart);
        checkMemory(file, layout, dataStart);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer chunk = ByteBuffer.allocate(chunkBytes(layout)).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : layout) {
            tensors.put(e.name(), load(source, e, dataStart, chunk));
        }
        return new SafeTensorsFile(tensors, header.metadata());
    }

    /**
     * Sorts the entries by data offset and checks that their ranges tile {@code [0, dataLength)}
     * exactly, each with the length its shape and dtype require.
     *
     * @return the entries in offset order (ties, i.e. empty tensors, keep header order)
     */
    private static List<Entry> checkLayout(Path file, List<Entry> entries, long dataStart, long dataLength)
            throws CorruptFileException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry e : sorted) {
            String what = "tensor '" + e.name() + "'";
            String range = "data_offsets [" + e.begin() + ", " + e.end() + "]";
            if (e.end() > dataLength) {
                throw new CorruptFileException(file, dataStart + Math.min(e.begin(), dataLength), what + ": " + range
                        + " reach past the end of the data section (" + dataLength + " bytes)");
            }
            if (e.begin() > expected) {
                throw new CorruptFileException(file, dataStart + expected, "data bytes [" + expected + ", "
                        + e.begin() + ") belong to no tensor (a hole before " + what + ")");
            }
            if (e.begin() < expected) {
                throw new CorruptFileException(file, dataStart + e.begin(), what + ": " + range
                        + " overlap tensor '" + previous + "', which ends at " + expected);
            }
            long length = e.end() - e.begin();
            if (length != e.byteLength()) {
                throw new CorruptFileException(file, dataStart + e.begin(), what + ": " + range + " span "
                        + length + " bytes but shape " + Shapes.format(e.shape()) + " of "
                        + e.dtype() + " needs " + e.byteLength());
            }
            expected = e.end();
            previous = e.name();
        }
        if (expected != dataLength) {
            throw new CorruptFileException(file, dataStart + expected, (dataLength - expected)
                    + " trailing bytes after the last tensor's data");
        }
        return sorted;
    }

    /**
     * Refuses, before allocating, tensors that as float32 would need more memory than the heap can
     * still give (a file may be large, or sparse, and declare gigabytes).
     */
    private static void checkMemory(Path file, List<Entry> layout, long dataStart) throws CorruptFileException {
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long needed = 0;
        for (Entry e : layout) {
            needed += 4 * e.elements();
            if (e.elements() > Integer.MAX_VALUE - 8 || needed > available) {
                throw new CorruptFileException(file, dataStart + e.begin(), "tensor '" + e.name() + "' of shape "
                        + Shapes.format(e.shape()) + " brings the file's tensors to " + needed
                        + " bytes as float32, more than the " + available + " bytes of heap available");
            }
        }
    }

    private static int chunkBytes(List<Entry> layout) {
        long largest = 8;
        for (Entry e : layout) {
            largest = Math.max(largest, e.byteLength());
        }
        return (int) Math.min(CHUNK_BYTES, largest);
    }

    private static Tensor load(Source source, Entry e, long dataStart, ByteBuffer chunk) throws IOException {
        float[] values = new float[(int) e.elements()];
        int size = e.dtype().size();
        int perChunk = chunk.capacity() / size;
        long position = dataStart + e.begin();
        int done = 0;
        while (done < values.length) {
            int count = Math.min(perChunk, values.length - done);
            chunk.clear().limit(count * size);
            source.readFully(position, chunk);
            chunk.flip();
            e.dtype().decode(chunk, values, done, count);
            position += (long) count * size;
            done += count;
        }
        return Tensor.of(values, e.shape());
    }
}
