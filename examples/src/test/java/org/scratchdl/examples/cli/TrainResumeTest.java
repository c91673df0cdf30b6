package org.scratchdl.examples.cli;

import org.scratchdl.data.MnistDataset;
import org.scratchdl.data.DataLocator;
import java.util.Optional;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.io.CheckpointWriter;
import org.scratchdl.io.SafeTensors;
import org.scratchdl.tensor.Tensor;

/**
 * {@code scratchdl train} stopped after one epoch and resumed from its checkpoint saves the same
 * model, bit for bit, as a two-epoch run, and reports both epochs. Runs on the first 1000 training
 * and 500 test images of the real MNIST found through {@code SCRATCHDL_DATA} or the user cache.
 */
class TrainResumeTest {
    @TempDir
    static Path tmp;
    private static Path data;

    /** What one run of the program printed and returned. */
    private record Run(int status, String out, String err) {
    }

    @BeforeAll
    static void smallMnist() throws IOException {
        Optional<Path> found = DataLocator.fromEnvironment().find(MnistDataset.MNIST, null);
        if (found.isEmpty()) {
            return;
        }
        Path source = found.get();
        data = Files.createDirectories(tmp.resolve("mnist-small"));
        head(source, "train-images-idx3-ubyte", 16, 28 * 28, 1000);
        head(source, "train-labels-idx1-ubyte", 8, 1, 1000);
        head(source, "t10k-images-idx3-ubyte", 16, 28 * 28, 500);
        head(source, "t10k-labels-idx1-ubyte", 8, 1, 500);
    }

    /** Copies the first {@code n} items of an IDX file, uncompressed, with the count in its header set to n. */
    private static void head(Path source, String name, int headerBytes, int itemBytes, int n) throws IOException {
        Path gz = source.resolve(name + ".gz");
        try (InputStream raw = Files.newInputStream(Files.exists(gz) ? gz : source.resolve(name));
             DataInputStream in = new DataInputStream(Files.exists(gz) ? new GZIPInputStream(raw) : raw);
             OutputStream out = Files.newOutputStream(data.resolve(name))) {
            byte[] header = new byte[headerBytes];
            in.readFully(header);
            ByteBuffer.wrap(header).putInt(4, n);
            out.write(header);
            byte[] items = new byte[n * itemBytes];
            in.readFully(items);
            out.write(items);
        }
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int status = Main.run(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static Run train(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "train";
        all[1] = "--data";
        all[2] = data.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return run(all);
    }

    private static void assertSameModelFile(Path expected, Path actual) throws IOException {
        Map<String, Tensor> a = SafeTensors.read(expected).tensors();
        Map<String, Tensor> b = SafeTensors.read(actual).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            float[] x = a.get(name).data();
            float[] y = b.get(name).data();
            assertEquals(x.length, y.length, name);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), name + "[" + i + "]");
            }
        }
    }

    @Test
    void stoppedAndResumedEqualsUninterruptedBitForBit() throws IOException {
        assumeTrue(data != null, "no MNIST files in $SCRATCHDL_DATA or ~/.cache/scratchdl/mnist");
        Path dir = Files.createDirectories(tmp.resolve("resume"));
        Path straight = dir.resolve("straight.safetensors");
        Path straightReport = dir.resolve("straight.json");
        Run a = train("--train-limit", "600", "--epochs", "2", "--threads", "1", "--seed", "7", "--save",
                straight.toString(), "--report", straightReport.toString());
        assertEquals(0, a.status(), a.err());

        Path checkpoints = dir.resolve("checkpoints");
        Run first = train("--train-limit", "600", "--epochs", "1", "--threads", "1", "--seed", "7",
                "--checkpoint-dir", checkpoints.toString());
        assertEquals(0, first.status(), first.err());
        Path epoch1 = CheckpointWriter.file(checkpoints, 1);
        assertTrue(Files.isRegularFile(epoch1), first.out());

        Path resumed = dir.resolve("resumed.safetensors");
        Path resumedReport = dir.resolve("resumed.json");
        Run b = run("train", "--data", data.toString(), "--resume", epoch1.toString(), "--epochs", "2",
                "--checkpoint-dir", checkpoints.toString(), "--save", resumed.toString(), "--report",
                resumedReport.toString());
        assertEquals(0, b.status(), b.err());
        // the thread count and the seed both come from the checkpoint
        assertTrue(b.out().contains("2 epochs, 1 thread, seed 7" + System.lineSeparator()), b.out());
        assertTrue(b.out().contains("resuming from " + epoch1 + " after epoch 1 of 2"), b.out());
        assertTrue(b.out().contains("epoch 2/2") && !b.out().contains("epoch 1/2"), b.out());
        assertSameModelFile(straight, resumed);
        assertEquals(Set.of(1, 2), CheckpointWriter.existing(checkpoints).keySet());

        ObjectMapper json = new ObjectMapper();
        JsonNode expected = json.readTree(straightReport.toFile());
        JsonNode actual = json.readTree(resumedReport.toFile());
        assertEquals(2, actual.get("epochs").size());
        for (int i = 0; i < 2; i++) {
            JsonNode e = expected.get("epochs").get(i);
            JsonNode g = actual.get("epochs").get(i);
            assertEquals(i + 1, g.get("epoch").asInt());
            for (String field : new String[] {"trainLoss", "trainAccuracy", "testAccuracy"}) {
                assertEquals(e.get(field).doubleValue(), g.get(field).doubleValue(), 0.0, field + " of epoch " + (i + 1));
            }
        }
        assertEquals(expected.get("finalTestAccuracy").doubleValue(), actual.get("finalTestAccuracy").doubleValue(), 0.0);
        assertEquals("completed", actual.get("status").asText());
        assertEquals(epoch1.toString(), actual.get("configuration").get("resumedFrom").asText());
        assertEquals(600, actual.get("configuration").get("trainSamples").asInt());

        Path again = dir.resolve("again.safetensors");
        Run done = train("--resume", CheckpointWriter.file(checkpoints, 2).toString(), "--save", again.toString());
        assertEquals(0, done.status(), done.err());
        assertTrue(done.out().contains("nothing left to train"), done.out());
        assertSameModelFile(straight, again);

        String e2 = CheckpointWriter.file(checkpoints, 2).toString();
        assertUsageError(train("--resume", e2, "--optimizer", "sgd"),
                "--optimizer sgd contradicts the checkpoint " + e2 + ", which has adam");
        assertUsageError(train("--resume", e2, "--batch-size", "50"), "--batch-size 50 contradicts");
        assertUsageError(train("--resume", e2, "--train-limit", "500"), "which has 600");
        assertUsageError(train("--resume", e2, "--lr", "0.01"), "--lr 0.01 contradicts");
        assertUsageError(train("--resume", e2, "--epochs", "1"), "--epochs 1 is below the 2 epochs");
        Run reused = train("--train-limit", "600", "--epochs", "1", "--checkpoint-dir", checkpoints.toString());
        assertEquals(1, reused.status());
        assertTrue(reused.err().contains("already holds checkpoints"), reused.err());
        Run mixed = train("--resume", CheckpointWriter.file(checkpoints, 1).toString(), "--epochs", "2",
                "--checkpoint-dir", checkpoints.toString());
        assertEquals(1, mixed.status());
        assertTrue(mixed.err().contains("holds checkpoints after epoch 1"), mixed.err());
        assertEquals(Set.of(1, 2), CheckpointWriter.existing(checkpoints).keySet(), "nothing deleted");
        Run notACheckpoint = train("--resume", straight.toString());
        assertEquals(1, notACheckpoint.status());
        assertTrue(notACheckpoint.err().contains("not a training checkpoint"), notACheckpoint.err());
    }

    private static void assertUsageError(Run r, String expected) {
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
