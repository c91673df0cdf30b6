package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that shuts down in an orderly way ({@code SIGTERM} here; Ctrl-C and {@code System.exit} run
 * the same shutdown) while it is in the middle of {@link AtomicFile#write(Path, IoConsumer)} leaves
 * the old file as it was and no temporary file. (A killed process may leave one; see
 * {@link KilledWriterTest}.)
 */
class TerminatedWriterTest {
    private static final String OLD = "the old content";

    @TempDir
    Path dir;

    @Test
    @DisabledOnOs(value = OS.WINDOWS,
            disabledReason = "Process.destroy() there ends the process without its shutdown hooks")
    void sigtermDuringAWriteKeepsTheOldFileAndRemovesTheTemporaryOne() throws Exception {
        Path target = dir.resolve("report.json");
        Files.writeString(target, OLD);
        Path out = Files.createTempFile("blocked-writer", ".out");
        Path err = Files.createTempFile("blocked-writer", ".err");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), BlockedWriter.class.getName(), target.toString())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).startsWith("writing")) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    fail("the child did not start writing; stderr: " + Files.readString(err));
                }
                Thread.sleep(5);
            }
            List<Path> during = listFolder();
            assertEquals(2, during.size(), "the target and one temporary file while the write is under way: " + during);
            Path temporary = during.get(0).equals(target) ? during.get(1) : during.get(0);
            assertEquals(BlockedWriter.PARTIAL, Files.readString(temporary));

            child.destroy(); // SIGTERM: the JVM runs its shutdown hooks
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not end on SIGTERM");
            assertNotEquals(0, child.exitValue(), "the child was stopped, not finished");
            assertEquals(List.of(target), listFolder());
            assertEquals(OLD, Files.readString(target, StandardCharsets.UTF_8));
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private List<Path> listFolder() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
