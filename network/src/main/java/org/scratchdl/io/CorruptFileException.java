package org.scratchdl.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that scratchdl reads (IDX data, a safetensors model or checkpoint) is not what it should
 * be. The message names the file, the byte offset where the problem was found (-1 when it concerns
 * the file as a whole) and what was expected there.
 */
public class CorruptFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** Byte offset of the problem, or -1 when it concerns the whole file. */
    private final long offset;

    /**
     * @param file the file being read
     * @param offset byte offset of the problem in the (decompressed) content, or -1
     * @param problem what was expected and what was found
     */
    public CorruptFileException(Path file, long offset, String problem) {
        this(file, offset, problem, null);
    }

    /**
     * As above, with the underlying cause.
     *
     * @param file the file being read
     * @param offset byte offset of the problem in the (decompressed) content, or -1
     * @param problem what was expected and what was found
     * @param cause the underlying failure, or null
     */
    public CorruptFileException(Path file, long offset, String problem, Throwable cause) {
        super(file + (offset >= 0 ? " at byte " + offset : "") + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
    }

    /**
     * The file that was being read.
     *
     * @return the file (null in a deserialized copy: the field is transient)
     */
    public Path file() {
        return file;
    }

    /**
     * Byte offset of the problem, or -1 when it concerns the whole file.
     *
     * @return the offset in the (decompressed) content, or -1
     */
    public long offset() {
        return offset;
    }
}
