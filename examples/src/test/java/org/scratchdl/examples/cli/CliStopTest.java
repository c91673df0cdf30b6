package org.scratchdl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scratchdl train} stopped by a signal (SIGTERM, as Ctrl-C's SIGINT, runs the shutdown
 * hooks) leaves its report saying "interrupted", with the epochs it finished, instead of "running".
 * Runs the program in a child JVM on the tiny made-up data set.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "Process.destroy() sends no signal there, so no shutdown hook runs")
class CliStopTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void aStoppedRunReportsInterruptedWithTheEpochsItFinished() throws Exception {
        CliFixture files = new CliFixture(root);
        Path report = root.resolve("report.json");
        Path out = root.resolve("child.out");
        Path err = root.resolve("child.err");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--data", files.data.toString(), "--epochs", "100000", "--threads", "1",
                "--report", report.toString())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            awaitFirstEpoch(child, report, err);
            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not stop");
        } finally {
            child.destroyForcibly();
            files.cleanUp();
        }
        assertEquals(128 + 15, child.exitValue(), "exit status after SIGTERM");
        String stderr = Files.readString(err);

        JsonNode json = JSON.readTree(report.toFile());
        assertEquals("interrupted", json.get("status").asText(), json.toString());
        int epochs = json.get("epochs").size();
        assertTrue(epochs >= 1, json.toString());
        assertEquals(epochs, json.get("epochs").get(epochs - 1).get("epoch").asInt());
        assertTrue(json.get("finalTestAccuracy").isNull());
        String stopped = "stopped before the end of the run, after " + epochs + (epochs == 1 ? " epoch" : " epochs");
        assertEquals(stopped, json.get("error").asText());
        String said = stopped + "; " + report + " says \"interrupted\"";
        assertEquals(1, stderr.split(Pattern.quote(said), -1).length - 1,
                "the line once on standard error: " + stderr);
    }

    /** Waits until the report lists a finished epoch. */
    private static void awaitFirstEpoch(Process child, Path report, Path err) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("the child ended by itself with status " + child.exitValue() + "; stderr: " + Files.readString(err));
            }
            if (Files.exists(report)) {
                JsonNode json = JSON.readTree(report.toFile());
                if (json.get("epochs").size() >= 1) {
                    assertEquals("running", json.get("status").asText());
                    return;
                }
            }
            Thread.sleep(20);
        }
        fail("no epoch finished within 120 s; stderr: " + Files.readString(err));
    }
}
