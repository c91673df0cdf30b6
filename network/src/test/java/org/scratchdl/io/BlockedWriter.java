package org.scratchdl.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The child process of {@link TerminatedWriterTest}: starts rewriting a file with
 * {@link AtomicFile#write(Path, IoConsumer)}, writes part of the new content, says so on standard
 * output and then waits forever inside the write, until the process is ended.
 *
 * <p>Argument: the file to rewrite.
 */
public final class BlockedWriter {
    /** The content written before the writer blocks. */
    static final String PARTIAL = "part of the new content";

    private BlockedWriter() {
    }

    /**
     * Blocks inside a write until the process ends.
     *
     * @param args the file to rewrite
     * @throws IOException if the write fails before it blocks
     */
    public static void main(String[] args) throws IOException {
        CountDownLatch never = new CountDownLatch(1);
        AtomicFile.write(Path.of(args[0]), out -> {
            out.write(PARTIAL.getBytes(StandardCharsets.UTF_8));
            out.flush();
            System.out.println("writing");
            System.out.flush();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
