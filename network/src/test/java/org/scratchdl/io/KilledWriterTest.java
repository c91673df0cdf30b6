package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.layers.Parameter;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;
import org.scratchdl.tensor.Tensor;

/**
 * A process killed ({@code SIGKILL}, no shutdown hooks) at random moments while it rewrites a model,
 * a report and a checkpoint never leaves a half-written file under a final name: each is absent
 * (nothing finished yet) or loads completely, holds one round's content throughout, and is no older
 * than the last round the process reported finished. Temporary files may remain, only under their
 * temporary names.
 */
class KilledWriterTest {
    private static final long SEED = 0x6B1_11ED;
    private static final int KILLS = 20;
    private static final Pattern TEMPORARY = Pattern.compile(
            "\\.(model\\.safetensors|report\\.json|checkpoint\\.safetensors)\\.\\d+-\\d+\\.tmp");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @TempDir
    Path logs;

    @Test
    void killedAtRandomMomentsLeavesNoPartialFileUnderAFinalName(TestReporter reporter) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("java.class.path");
        Random random = new Random(SEED);
        Sequential reference = SimpleConvNet.create(AtomicWriteLoop.SEED);
        long lastFinished = -1;
        int leftoverTemporaries = 0;
        int killsWithFinishedFiles = 0;
        int kills = 0;
        // At least KILLS kills; more (up to 3·KILLS) while none has yet caught a write in progress,
        // which on a busy machine can take longer.
        for (int kill = 0; kill < KILLS || (leftoverTemporaries == 0 && kill < 3 * KILLS); kill++) {
            kills++;
            long first = 10_000L * (kill + 1);
            Path out = logs.resolve("child-" + kill + ".out");
            Path err = logs.resolve("child-" + kill + ".err");
            Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx256m",
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, AtomicWriteLoop.class.getName(), work.toString(),
                    Long.toString(first))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (kill % 5 == 4) {
                // Now and then during start-up, before or just as the first writes begin.
                Thread.sleep(random.nextInt(300));
            } else {
                // The first round takes longest (classes load, code is cold); later ones take tens of ms.
                awaitStarted(child, out, err);
                Thread.sleep(random.nextInt(300));
            }
            boolean alive = child.isAlive();
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child " + kill + " did not die");
            if (!alive) {
                fail("child " + kill + " ended by itself with status " + child.exitValue() + "; stderr: "
                        + Files.readString(err));
            }
            List<Long> finished = new ArrayList<>();
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith("wrote ")) {
                    finished.add(Long.parseLong(line.substring(6)));
                }
            }
            if (!finished.isEmpty()) {
                lastFinished = finished.get(finished.size() - 1);
            }
            if (lastFinished >= 0) {
                killsWithFinishedFiles++;
            }
            // Rounds this child may have renamed into place: up to the one after its last report.
            long newestPossible = finished.isEmpty() ? first : lastFinished + 1;
            String context = "after kill " + kill + " (last finished round " + lastFinished + ")";
            checkModel(work.resolve(AtomicWriteLoop.MODEL), reference, lastFinished, newestPossible, context);
            checkReport(work.resolve(AtomicWriteLoop.REPORT), lastFinished, newestPossible, context);
            checkCheckpoint(work.resolve(AtomicWriteLoop.CHECKPOINT), lastFinished, newestPossible, context);
            leftoverTemporaries += checkNames(context);
        }
        reporter.publishEntry(Map.of("kills", Integer.toString(kills), "killsWithFinishedFiles",
                Integer.toString(killsWithFinishedFiles), "lastFinishedRound", Long.toString(lastFinished),
                "temporaryFilesLeft", Integer.toString(temporariesNow())));
        // Most kills must have hit a process replacing files that already existed under their final names.
        assertTrue(killsWithFinishedFiles >= kills / 2, "only " + killsWithFinishedFiles + " of " + kills
                + " kills came after a finished round");
        assertTrue(leftoverTemporaries > 0, "no kill interrupted a write in progress (no temporary file left)");
    }

    /** Waits until the child has printed its first line (polling its output file). */
    private static void awaitStarted(Process child, Path out, Path err) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(out).startsWith("started")) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly();
                fail("the child did not start; stdout: " + Files.readString(out) + "; stderr: " + Files.readString(err));
            }
            Thread.sleep(2);
        }
    }

    /** Absent only if no round ever finished; else a whole model of one round. */
    private static void checkModel(Path file, Sequential reference, long lastFinished, long newestPossible,
                                   String context) throws IOException {
        if (!present(file, lastFinished, context)) {
            return;
        }
        ModelFile.LoadedModel loaded = ModelFile.load(file, LayerRegistry.withBuiltins());
        long round = checkRound(loaded.metadata().get("round"), lastFinished, newestPossible, file, context);
        List<Parameter> expected = reference.parameters();
        List<Parameter> actual = loaded.model().parameters();
        assertEquals(expected.size(), actual.size(), context);
        for (int i = 0; i < expected.size(); i++) {
            float[] want = expected.get(i).value().data().clone();
            if (i == 0) {
                want[0] = round;
            }
            if (i == expected.size() - 1) {
                want[want.length - 1] = round;
            }
            assertArrayEquals(want, actual.get(i).value().data(), context + ": parameter " + i);
        }
    }

    private static void checkReport(Path file, long lastFinished, long newestPossible, String context)
            throws IOException {
        if (!present(file, lastFinished, context)) {
            return;
        }
        JsonNode report = JSON.readTree(Files.readAllBytes(file));
        long round = checkRound(report.path("round").asText(null), lastFinished, newestPossible, file, context);
        assertEquals("complete", report.path("status").asText(), context);
        JsonNode entries = report.path("entries");
        assertEquals(AtomicWriteLoop.REPORT_ENTRIES, entries.size(), context);
        for (JsonNode e : entries) {
            assertEquals(round, e.asLong(), context);
        }
    }

    private static void checkCheckpoint(Path file, long lastFinished, long newestPossible, String context)
            throws IOException {
        if (!present(file, lastFinished, context)) {
            return;
        }
        SafeTensorsFile checkpoint = SafeTensors.read(file);
        long round = checkRound(checkpoint.metadata().get("round"), lastFinished, newestPossible, file, context);
        Tensor state = checkpoint.tensor("state");
        assertEquals(AtomicWriteLoop.CHECKPOINT_SIZE, state.size(), context);
        for (float v : state.data()) {
            assertEquals((float) round, v, context);
        }
    }

    private static boolean present(Path file, long lastFinished, String context) {
        if (Files.exists(file)) {
            return true;
        }
        assertEquals(-1, lastFinished, context + ": " + file.getFileName() + " is missing after a finished round");
        return false;
    }

    private static long checkRound(String value, long lastFinished, long newestPossible, Path file, String context) {
        assertNotNull(value, context + ": " + file.getFileName() + " has no round");
        long round = Long.parseLong(value);
        assertTrue(round >= lastFinished && round <= newestPossible, context + ": " + file.getFileName()
                + " holds round " + round + ", expected " + lastFinished + ".." + newestPossible);
        return round;
    }

    private int temporariesNow() throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            return (int) files.filter(p -> TEMPORARY.matcher(p.getFileName().toString()).matches()).count();
        }
    }

    /** Every file is a final name or a temporary one; returns how many temporary files there are. */
    private int checkNames(String context) throws IOException {
        int temporaries = 0;
        try (Stream<Path> files = Files.list(work)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (TEMPORARY.matcher(name).matches()) {
                    temporaries++;
                } else {
                    assertTrue(Map.of(AtomicWriteLoop.MODEL, 1, AtomicWriteLoop.REPORT, 1, AtomicWriteLoop.CHECKPOINT, 1)
                            .containsKey(name), context + ": unexpected file " + name);
                }
            }
        }
        return temporaries;
    }
}
