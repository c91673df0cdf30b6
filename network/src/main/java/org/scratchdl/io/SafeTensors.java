package org.scratchdl.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.scratchdl.tensor.Tensor;

/**
 * Reads and writes the safetensors format, used for scratchdl model files and checkpoints and
 * readable by PyTorch ({@code safetensors.torch.load_file}) and other frameworks.
 *
 * <p>Layout (specification: the README of github.com/huggingface/safetensors):
 * <ol>
 *   <li>8 bytes: {@code H}, the header length, an unsigned 64-bit little-endian integer;
 *   <li>{@code H} bytes: a UTF-8 JSON object mapping each tensor name to
 *       {@code {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}}, plus an optional
 *       {@code "__metadata__"} object of strings; it may be padded with trailing spaces (writers pad
 *       to a multiple of 8 bytes);
 *   <li>the data section: each tensor's elements in row-major order, little-endian, at
 *       {@code [begin, end)} relative to the start of the data section.
 * </ol>
 *
 * <p>Writing always uses dtype F32. Reading accepts F32, F64, F16 and BF16 and converts them to
 * float32 (F64 is rounded to nearest; the others widen exactly). A scalar has shape {@code []};
 * a tensor with a zero dimension has no data bytes.
 *
 * <p>Reading validates the whole file before returning anything; every problem is a
 * {@link CorruptFileException} naming the file, the tensor where relevant and the byte offset in
 * the file (for data problems {@code 8 + H + } the offset in the data section).
 */
public final class SafeTensors {
    private SafeTensors() {
    }

    /**
     * Writes {@code tensors} and {@code metadata} to {@code file}, atomically (see
     * {@link AtomicFile}): readers see the old file or the complete new one, and after a failure the
     * old file is untouched and no temporary file remains.
     *
     * @param file the file to create or replace; its folder must exist
     * @param tensors the tensors by name; the data section follows the map's iteration order (use a
     *     {@link java.util.LinkedHashMap} or a sorted map for a reproducible file)
     * @param metadata free-form strings stored under {@code __metadata__}; may be empty
     * @throws IllegalArgumentException if a name is null or {@code __metadata__}, a value is null,
     *     a string is not encodable as UTF-8, or the header would exceed 100 MB; nothing is written
     * @throws IOException if the file cannot be written; the old file is then untouched
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(file, "file");
        SafeTensorsWriter.header(Objects.requireNonNull(tensors, "tensors"),
                Objects.requireNonNull(metadata, "metadata"));
        AtomicFile.write(file, out -> SafeTensorsWriter.write(out, tensors, metadata));
    }

    /**
     * Writes the safetensors bytes of {@code tensors} and {@code metadata} to {@code out}, which is
     * flushed but not closed. This is not atomic; use {@link #write(Path, Map, Map)} for files.
     *
     * @param out the stream to write to
     * @param tensors the tensors by name, written in iteration order
     * @param metadata free-form strings stored under {@code __metadata__}; may be empty
     * @throws IllegalArgumentException as {@link #write(Path, Map, Map)}
     * @throws IOException if the stream fails
     */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        SafeTensorsWriter.write(Objects.requireNonNull(out, "out"), Objects.requireNonNull(tensors, "tensors"),
                Objects.requireNonNull(metadata, "metadata"));
    }

    /**
     * The safetensors bytes of {@code tensors} and {@code metadata}, as {@link #write(Path, Map, Map)}
     * would write them.
     *
     * @param tensors the tensors by name, laid out in iteration order
     * @param metadata free-form strings stored under {@code __metadata__}; may be empty
     * @return the whole file's content
     * @throws IllegalArgumentException as {@link #write(Path, Map, Map)}, or if the result would
     *     not fit one array
     */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        long dataBytes = 0;
        for (Tensor t : tensors.values()) {
            dataBytes += t == null ? 0 : 4L * t.size();
        }
        if (dataBytes > Integer.MAX_VALUE - 16 - SafeTensorsHeader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException(dataBytes + " bytes of tensor data do not fit one array");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes, tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array stream does not fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a safetensors file, checking all of it before returning.
     *
     * @param file the file to read
     * @return the tensors as float32, in the order of their data in the file, and the metadata
     * @throws CorruptFileException if the file is not a valid safetensors file of a supported
     *     dtype (names the file, the tensor and the byte offset)
     * @throws IOException if the file cannot be read
     */
    public static SafeTensorsFile read(Path file) throws IOException {
        return SafeTensorsReader.read(Objects.requireNonNull(file, "file"));
    }

    /**
     * Reads safetensors content held in memory, as {@link #read(Path)}.
     *
     * @param content the whole file's bytes (not modified)
     * @param name the name of the content's origin, used in error messages
     * @return the tensors as float32, in the order of their data, and the metadata
     * @throws CorruptFileException if the content is not valid
     */
    public static SafeTensorsFile read(byte[] content, Path name) throws CorruptFileException {
        return SafeTensorsReader.read(name, Objects.requireNonNull(content, "content"));
    }
}
