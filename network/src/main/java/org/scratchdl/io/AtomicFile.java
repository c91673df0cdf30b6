package org.scratchdl.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file all at once or not at all: the content goes to a temporary file in the same
 * folder, which is flushed to the disk ({@code fsync}) and then renamed over the target.
 *
 * <p>Readers therefore see either the old file or the complete new one, never a half-written file.
 * If writing fails for any reason (an exception from the writer, a full disk, a failed rename) the
 * temporary file is deleted and a file already present under the target name is left untouched.
 *
 * <p>The temporary file is named {@code .<name>.<pid>-<n>.tmp} next to the target and created
 * exclusively, so concurrent writers never share one. It is registered with
 * {@link java.io.File#deleteOnExit()}, so a JVM that shuts down in an orderly way (Ctrl-C, SIGTERM,
 * {@code System.exit}) in the middle of a write removes it after the application's shutdown hooks
 * have run. A killed process ({@code SIGKILL}, a crash) can leave one behind, and so can a shutdown
 * that comes in the few microseconds between its creation and that registration. The JDK keeps each
 * registered name until the JVM exits (one per distinct temporary name: about one per target, e.g.
 * one per checkpoint file, more when writes to one target overlap) and then deletes whatever file
 * has that name: a file another process with the same process id (in another container, say) is
 * writing under it in a shared folder at that moment would go too.
 *
 * <p>The rename uses {@link StandardCopyOption#ATOMIC_MOVE}; only on a file system that cannot move
 * atomically does it fall back to {@link StandardCopyOption#REPLACE_EXISTING}. After the rename the
 * folder itself is flushed where the platform allows it (POSIX), so that the new name survives a
 * power cut.
 */
public final class AtomicFile {
    private static final int MAX_ATTEMPTS = 1000;
    private static final int BUFFER_BYTES = 1 << 16;

    private AtomicFile() {
    }

    /**
     * Writes {@code target} atomically with the content that {@code writer} puts into the stream
     * it is given.
     *
     * <p>The stream is buffered; the writer need not close it (closing it only flushes). Whatever
     * the writer throws is rethrown unchanged after the temporary file has been deleted.
     *
     * @param target the file to create or replace; its folder must exist
     * @param writer writes the whole content to the stream
     * @throws IOException if the writer or the file system fails, or the JVM's shutdown is already
     *     deleting its temporary files; the target is then unchanged
     */
    public static void write(Path target, IoConsumer<? super OutputStream> writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Path fileName = absolute.getFileName();
        if (folder == null || fileName == null) {
            throw new IOException(target + ": not a file path");
        }
        Path temp = createTemp(folder, fileName.toString());
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                BufferedOutputStream buffered =
                        new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
                writer.accept(new UnclosableStream(buffered));
                buffered.flush();
                channel.force(true);
            }
            move(temp, absolute);
            done = true;
        } finally {
            if (!done) {
                deleteQuietly(temp);
            }
        }
        syncFolder(folder);
    }

    /**
     * Writes {@code content} to {@code target} atomically.
     *
     * @param target the file to create or replace; its folder must exist
     * @param content the bytes to write (not modified)
     * @throws IOException if the file system fails; the target is then unchanged
     */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    private static Path createTemp(Path folder, String name) throws IOException {
        long pid = ProcessHandle.current().pid();
        for (int n = 0; n < MAX_ATTEMPTS; n++) {
            Path temp = folder.resolve("." + name + "." + pid + "-" + n + ".tmp");
            try {
                Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                // taken by another writer (or left over by a crash): try the next number
                continue;
            }
            try {
                // a JVM that shuts down (Ctrl-C, SIGTERM, System.exit) while this write is under way
                // deletes the temporary file once its own shutdown hooks are done; after the rename
                // nothing is left under this name, and the deletion does nothing
                temp.toFile().deleteOnExit();
            } catch (IllegalStateException | LinkageError e) {
                // the shutdown is already deleting (a LinkageError: the JVM's first registration came
                // too late for the JDK to set up its deletion, or a later one after that): this write
                // would be left behind
                deleteQuietly(temp);
                throw new IOException(folder.resolve(name) + ": not written, the JVM is shutting down", e);
            }
            return temp;
        }
        throw new IOException(folder.resolve(name) + ": could not create a temporary file after "
                + MAX_ATTEMPTS + " attempts");
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // the original failure is what the caller needs to see
        }
    }

    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some platforms cannot open or flush a folder; the file itself is already on disk
        }
    }

    /** Passes writes through; {@code close()} only flushes, so the caller keeps control. */
    private static final class UnclosableStream extends FilterOutputStream {
        UnclosableStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
