package org.scratchdl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchdl.io.CheckpointWriter;

/**
 * Every command given bad input: a missing, unreadable or wrong kind of file, a corrupt file, an
 * unknown option, a malformed number or an invalid value. Each prints exactly one line on standard
 * error, naming the problem, and exits with 2 (usage) or 1 (failure); never a stack trace, unless
 * {@code --debug} asks for it. Runs in this JVM through {@link Main#run(java.io.PrintWriter,
 * java.io.PrintWriter, String...)}, on small files made by {@link CliFixture} (no download).
 */
class CliBadInputTest {
    private static final int USAGE = 2;
    private static final int FAILURE = 1;

    @TempDir
    static Path root;

    private static CliFixture files;

    /** One bad command line: its arguments, the exit status and words the error line must hold. */
    record Case(Function<CliFixture, List<String>> args, int status, List<String> words,
                Predicate<CliFixture> applies, String skipReason) {
        @Override
        public String toString() {
            return "exit " + status + " " + words;
        }
    }

    @BeforeAll
    static void makeFiles() throws IOException {
        files = new CliFixture(root);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        files.cleanUp();
    }

    private static Arguments bad(String name, int status, Function<CliFixture, List<String>> args, String... words) {
        return Arguments.of(name, new Case(args, status, List.of(words), f -> true, null));
    }

    private static Arguments badIf(String name, Predicate<CliFixture> applies, String skipReason, int status,
                                   Function<CliFixture, List<String>> args, String... words) {
        return Arguments.of(name, new Case(args, status, List.of(words), applies, skipReason));
    }

    private static List<String> train(CliFixture f, String... more) {
        return command("train", more, "--data", f.data.toString(), "--epochs", "1", "--batch-size", "40",
                "--threads", "1");
    }

    private static List<String> evaluate(CliFixture f, String... more) {
        return command("evaluate", more, "--data", f.data.toString(), "--threads", "1");
    }

    private static List<String> bench(CliFixture f, String... more) {
        return command("bench", more, "--data", f.data.toString(), "--threads", "1", "--warmup", "0",
                "--iterations", "1");
    }

    /**
     * {@code name}, then the default options (pairs of option and value) with those that {@code more}
     * gives replaced, then the rest of {@code more}.
     */
    private static List<String> command(String name, String[] more, String... defaults) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < defaults.length; i += 2) {
            options.put(defaults[i], defaults[i + 1]);
        }
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < more.length; i++) {
            if (options.containsKey(more[i]) && i + 1 < more.length) {
                options.put(more[i], more[++i]);
            } else {
                rest.add(more[i]);
            }
        }
        List<String> args = new ArrayList<>(List.of(name));
        options.forEach((option, value) -> {
            args.add(option);
            args.add(value);
        });
        args.addAll(rest);
        return args;
    }

    private static final Predicate<CliFixture> UNREADABLE = f -> f.unreadable != null;
    private static final String NO_UNREADABLE = "no way to make a file unreadable here (root, and no /proc/sys)";
    private static final Predicate<CliFixture> UNWRITABLE = f -> f.unwritableFolder != null;
    private static final String NO_UNWRITABLE = "no way to make a folder unwritable here (root, and no /proc/sys)";
    private static final Predicate<CliFixture> SOCKETS = f -> f.socket != null;
    private static final String NO_SOCKETS = "Unix domain sockets are not available here";

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();

        // ---------------- train ----------------
        c.add(bad("train: --data folder missing (and its parent)", FAILURE,
                f -> train(f, "--data", f.missingDeep.toString()), "no such folder: ", "no-such-folder/missing",
                "(--data; its parent folder ", " does not exist either)"));
        c.add(bad("train: --data is a file", FAILURE, f -> train(f, "--data", f.model.toString()),
                "--data", "is a file; it must be the folder"));
        c.add(bad("train: --data inside a file", FAILURE, f -> train(f, "--data", f.model.resolve("sub").toString()),
                "no such folder: ", "(--data; what would be its parent folder, ", "model", ", is a file)"));
        c.add(badIf("train: --data unreadable (the folder, or a file in it)", UNREADABLE, NO_UNREADABLE, FAILURE,
                f -> train(f, "--data", f.unreadableData.toString()), "permission denied", "unreadable"));
        c.add(bad("train: training images cut off inside the gzip stream", FAILURE,
                f -> train(f, "--data", f.truncatedGzip.toString()), "train-images-idx3-ubyte.gz at byte",
                "gzip data is damaged or truncated"));
        c.add(bad("train: zero-length labels file", FAILURE, f -> train(f, "--data", f.emptyLabels.toString()),
                "t10k-labels-idx1-ubyte at byte 0", "the content is empty"));
        c.add(bad("train: label 10 in a 10-class data set", FAILURE,
                f -> train(f, "--data", f.labelOutOfRange.toString()), "train-labels-idx1-ubyte.gz at byte 15",
                "expected a label in [0, 10) but found 10"));
        c.add(bad("train: 31 labels for 30 images", FAILURE, f -> train(f, "--data", f.countMismatch.toString()),
                "t10k-labels-idx1-ubyte.gz at byte 4", "expected 30 labels", "found 31"));
        c.add(bad("train: --save into a missing folder", FAILURE,
                f -> train(f, "--save", f.missingDeep.toString()), "--save", "does not exist"));
        c.add(bad("train: --save is a folder", FAILURE, f -> train(f, "--save", f.folder.toString()),
                "--save", "is a directory"));
        c.add(bad("train: --report is a folder", FAILURE, f -> train(f, "--report", f.folder.toString()),
                "--report", "is a directory"));
        c.add(badIf("train: --save is a socket", SOCKETS, NO_SOCKETS, FAILURE, f -> train(f, "--save", f.socket.toString()),
                "--save", "is not a regular file"));
        c.add(badIf("train: --save into a folder without write permission", UNWRITABLE, NO_UNWRITABLE, FAILURE,
                f -> train(f, "--save", f.unwritableFolder.resolve("m.safetensors").toString()),
                "permission denied", "not writable"));
        c.add(bad("train: unknown option", USAGE, f -> train(f, "--epoch", "3"), "Unknown option", "'--epoch'",
                "did you mean '--epochs'"));
        c.add(bad("train: unknown command", USAGE, f -> List.of("trian", "--epochs", "1"), "Unmatched argument",
                "'trian'", "did you mean 'train'?"));
        c.add(bad("train: malformed epochs", USAGE, f -> train(f, "--epochs", "three"),
                "Invalid value for option '--epochs': 'three' is not an int"));
        c.add(bad("train: epochs beyond int", USAGE, f -> train(f, "--epochs", "99999999999"),
                "Invalid value for option '--epochs'"));
        c.add(bad("train: fractional batch size", USAGE, f -> train(f, "--batch-size", "1.5"),
                "Invalid value for option '--batch-size': '1.5' is not an int"));
        c.add(bad("train: malformed learning rate", USAGE, f -> train(f, "--lr", "1e"),
                "Invalid value for option '--lr': '1e' is not a double"));
        c.add(bad("train: malformed seed", USAGE, f -> train(f, "--seed", "0x"), "Invalid value for option '--seed'"));
        c.add(bad("train: option without its value", USAGE, f -> List.of("train", "--epochs"),
                "Missing required parameter for option '--epochs'"));
        c.add(bad("train: epochs 0", FAILURE, f -> train(f, "--epochs", "0"), "epochs must be at least 1, got 0"));
        c.add(bad("train: epochs negative", FAILURE, f -> train(f, "--epochs", "-2"), "epochs must be at least 1, got -2"));
        c.add(bad("train: batch size 0", FAILURE, f -> train(f, "--batch-size", "0"),
                "batch size must be at least 1, got 0"));
        c.add(bad("train: learning rate 0", FAILURE, f -> train(f, "--lr", "0"),
                "learning rate must be a positive finite number, got 0.0"));
        c.add(bad("train: learning rate negative", FAILURE, f -> train(f, "--lr", "-0.01"),
                "learning rate must be a positive finite number, got -0.01"));
        c.add(bad("train: learning rate NaN", FAILURE, f -> train(f, "--lr", "NaN"),
                "learning rate must be a positive finite number, got NaN"));
        c.add(bad("train: learning rate infinite", FAILURE, f -> train(f, "--lr", "Infinity"),
                "learning rate must be a positive finite number, got Infinity"));
        c.add(bad("train: unknown optimizer", FAILURE, f -> train(f, "--optimizer", "lion"),
                "unknown optimizer 'lion'"));
        c.add(bad("train: train limit 0", FAILURE, f -> train(f, "--train-limit", "0"),
                "--train-limit must be at least 1, got 0"));
        c.add(bad("train: threads 0", FAILURE, f -> train(f, "--threads", "0"), "--threads must be at least 1, got 0"));
        c.add(bad("train: threads beyond the cap", FAILURE, f -> train(f, "--threads", "100000"),
                "--threads must be at most 1024, got 100000"));
        c.add(bad("train: unknown data set", FAILURE, f -> train(f, "--dataset", "cifar"),
                "unknown data set 'cifar'"));

        // ---------------- evaluate ----------------
        c.add(bad("evaluate: --model not given", USAGE, f -> evaluate(f), "Missing required option: '--model=FILE'"));
        c.add(bad("evaluate: --model missing", FAILURE, f -> evaluate(f, "--model", f.missing.toString()),
                "no such file", "missing.safetensors", "--model"));
        c.add(bad("evaluate: --model is a folder", FAILURE, f -> evaluate(f, "--model", f.folder.toString()),
                "--model", "is a directory, not a file"));
        c.add(badIf("evaluate: --model unreadable", UNREADABLE, NO_UNREADABLE, FAILURE,
                f -> evaluate(f, "--model", f.unreadable.toString()), "permission denied", "--model"));
        c.add(badIf("evaluate: --model is a socket", SOCKETS, NO_SOCKETS, FAILURE,
                f -> evaluate(f, "--model", f.socket.toString()), "--model", "is not a regular file"));
        c.add(bad("evaluate: --model of zero bytes", FAILURE, f -> evaluate(f, "--model", f.emptyModel.toString()),
                "empty.safetensors at byte 0", "0 bytes"));
        c.add(bad("evaluate: --model cut in half", FAILURE, f -> evaluate(f, "--model", f.truncatedModel.toString()),
                "truncated.safetensors at byte"));
        c.add(bad("evaluate: --model of random bytes", FAILURE, f -> evaluate(f, "--model", f.garbageModel.toString()),
                "garbage.safetensors at byte 0"));
        c.add(bad("evaluate: --model is an IDX file", FAILURE, f -> evaluate(f, "--model", f.idxAsModel.toString()),
                "labels-as-model.safetensors at byte"));
        c.add(bad("evaluate: model for other image sizes", FAILURE, f -> evaluate(f, "--model", f.model28.toString()),
                "takes images of shape (1, 28, 28)", "images of shape (1, 12, 12)"));
        c.add(bad("evaluate: model scoring fewer classes than the data has", FAILURE,
                f -> evaluate(f, "--model", f.model5.toString()), "scores 5 classes", "has 10"));
        c.add(bad("evaluate: model trained on an unknown data set", FAILURE,
                f -> evaluate(f, "--model", f.modelOfCifar.toString()), "cifar.safetensors was trained on 'cifar10'",
                "unknown data set 'cifar10'"));
        c.add(bad("evaluate: --data folder missing", FAILURE,
                f -> evaluate(f, "--model", f.model.toString(), "--data", f.missingDeep.toString()), "no such folder"));
        c.add(bad("evaluate: unknown option", USAGE, f -> evaluate(f, "--model", f.model.toString(), "--batch", "3"),
                "Unknown option", "'--batch'"));
        c.add(bad("evaluate: malformed threads", USAGE, f -> evaluate(f, "--model", f.model.toString(), "--threads", "x"),
                "Invalid value for option '--threads': 'x' is not an int"));
        c.add(bad("evaluate: threads 0", FAILURE, f -> evaluate(f, "--model", f.model.toString(), "--threads", "0"),
                "--threads must be at least 1, got 0"));

        // ---------------- summary ----------------
        c.add(bad("summary: --model not given", USAGE, f -> List.of("summary"), "Missing required option: '--model=FILE'"));
        c.add(bad("summary: --model missing", FAILURE, f -> List.of("summary", "--model", f.missing.toString()),
                "no such file", "missing.safetensors"));
        c.add(bad("summary: --model is a folder", FAILURE, f -> List.of("summary", "--model", f.folder.toString()),
                "is a directory, not a file"));
        c.add(badIf("summary: --model unreadable", UNREADABLE, NO_UNREADABLE, FAILURE,
                f -> List.of("summary", "--model", f.unreadable.toString()), "permission denied"));
        c.add(badIf("summary: --model is a socket", SOCKETS, NO_SOCKETS, FAILURE,
                f -> List.of("summary", "--model", f.socket.toString()), "is not a regular file"));
        c.add(bad("summary: --model of zero bytes", FAILURE, f -> List.of("summary", "--model", f.emptyModel.toString()),
                "at byte 0", "0 bytes"));
        c.add(bad("summary: --model cut in half", FAILURE,
                f -> List.of("summary", "--model", f.truncatedModel.toString()), "truncated.safetensors at byte"));
        c.add(bad("summary: --model of random bytes", FAILURE,
                f -> List.of("summary", "--model", f.garbageModel.toString()), "garbage.safetensors at byte 0"));
        c.add(bad("summary: unknown option", USAGE, f -> List.of("summary", "--model", f.model.toString(), "--verbose"),
                "Unknown option: '--verbose'"));
        c.add(bad("summary: stray argument", USAGE, f -> List.of("summary", "--model", f.model.toString(), "7"),
                "Unmatched argument", "'7'"));

        // ---------------- bench ----------------
        c.add(bad("bench: --data folder missing", FAILURE, f -> bench(f, "--data", f.missingDeep.toString()),
                "no such folder", "--data"));
        c.add(bad("bench: --data is a file", FAILURE, f -> bench(f, "--data", f.model.toString()), "is a file"));
        c.add(badIf("bench: --data unreadable (the folder, or a file in it)", UNREADABLE, NO_UNREADABLE, FAILURE,
                f -> bench(f, "--data", f.unreadableData.toString()), "permission denied", "unreadable"));
        c.add(bad("bench: truncated gzip", FAILURE, f -> bench(f, "--data", f.truncatedGzip.toString()),
                "train-images-idx3-ubyte.gz at byte"));
        c.add(bad("bench: --report is a folder", FAILURE, f -> bench(f, "--report", f.folder.toString()),
                "--report", "is a directory"));
        c.add(bad("bench: --report into a missing folder", FAILURE, f -> bench(f, "--report", f.missingDeep.toString()),
                "--report", "does not exist"));
        c.add(badIf("bench: --report is a socket", SOCKETS, NO_SOCKETS, FAILURE,
                f -> bench(f, "--report", f.socket.toString()), "--report", "is not a regular file"));
        c.add(bad("bench: fewer training images than a mini-batch", FAILURE,
                f -> bench(f, "--data", f.fewImages.toString()), "needs at least 100 training images", "has 20"));
        c.add(bad("bench: unknown option", USAGE, f -> bench(f, "--iters", "5"), "Unknown option", "'--iters'"));
        c.add(bad("bench: malformed iterations", USAGE, f -> bench(f, "--iterations", "many"),
                "Invalid value for option '--iterations': 'many' is not an int"));
        c.add(bad("bench: iterations 0", FAILURE, f -> bench(f, "--iterations", "0"),
                "--iterations must be at least 1, got 0"));
        c.add(bad("bench: warm-up negative", FAILURE, f -> bench(f, "--warmup", "-1"), "--warmup must be at least 0, got -1"));
        c.add(bad("bench: threads 0", FAILURE, f -> bench(f, "--threads", "0"), "--threads must be at least 1, got 0"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneClearLineAndAnExitStatus(String name, Case c) {
        assumeTrue(c.applies().test(files), c.skipReason());
        List<String> args = c.args().apply(files);
        CliFixture.Result r = CliFixture.run(args.toArray(String[]::new));
        assertEquals(c.status(), r.status(), name + ": status; stderr: " + r.err());
        assertEquals(1, r.errLines(), name + ": exactly one line on stderr, got: " + r.err());
        String line = r.err().strip();
        for (String word : c.words()) {
            assertTrue(line.contains(word), name + ": expected '" + word + "' in: " + line);
        }
        assertFalse(line.contains("Exception"), name + ": " + line);
        assertFalse(line.contains("at org.") || line.contains("\tat "), name + ": " + line);
        if (c.status() == USAGE) {
            assertTrue(line.startsWith("scratchdl") && line.contains("(see 'scratchdl")
                    && line.endsWith(" --help')"), line);
        } else {
            assertTrue(line.startsWith("scratchdl " + args.get(0) + ": error: "), line);
        }
    }

    @Test
    void debugAddsTheStackTrace() {
        CliFixture.Result r = CliFixture.run("summary", "--model", files.garbageModel.toString(), "--debug");
        assertEquals(FAILURE, r.status());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(0).startsWith("scratchdl summary: error: ") && lines.get(0).contains("at byte 0"),
                lines.get(0));
        assertTrue(lines.size() > 3 && r.err().contains("CorruptFileException") && r.err().contains("\tat org.scratchdl."),
                r.err());
        CliFixture.Result e = CliFixture.run("evaluate", "--model", files.missing.toString(), "--debug");
        assertEquals(FAILURE, e.status());
        assertTrue(e.err().contains("NoSuchFileException") && e.err().lines().count() > 3, e.err());
    }

    /**
     * A model file declaring a tensor larger than the heap (a sparse file, so it costs no disk): the
     * reader refuses it before allocating, naming the file, the tensor and the heap, in one line.
     */
    @Test
    void tensorLargerThanTheHeapIsOneLine() throws IOException {
        long elements = Math.max(Runtime.getRuntime().maxMemory() / Float.BYTES + 1_000_000, 300_000_000L);
        assumeTrue(elements < Integer.MAX_VALUE - 8, "the heap is too large for one array to exceed it");
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + elements + "],\"data_offsets\":[0,"
                + elements * Float.BYTES + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path huge = root.resolve("huge.safetensors");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            file.write(h);
            file.setLength(8 + h.length + elements * Float.BYTES);
        }
        try {
            CliFixture.Result r = CliFixture.run("summary", "--model", huge.toString());
            assertEquals(FAILURE, r.status(), r.err());
            assertEquals(1, r.errLines(), r.err());
            assertTrue(r.err().startsWith("scratchdl summary: error: " + huge) && r.err().contains("tensor 'w'")
                    && r.err().contains("more than the") && r.err().contains("bytes of heap available"), r.err());
        } finally {
            Files.delete(huge);
        }
    }

    /**
     * The bench report holds the fields the README lists, and the table shows the optimizer step
     * without a backward.
     */
    @Test
    void benchReportHasTheListedFields() throws IOException {
        Path report = root.resolve("bench.json");
        CliFixture.Result b = CliFixture.run(bench(files, "--report", report.toString()).toArray(String[]::new));
        assertEquals(0, b.status(), b.err());
        JsonNode r = new ObjectMapper().readTree(Files.readAllBytes(report));
        assertEquals(List.of("system", "threads", "batchSize", "warmup", "iterations", "trainImagesPerSecond",
                "inferenceImagesPerSecond", "layers", "peakHeapBytes"), fieldNames(r));
        assertEquals(1, r.get("threads").asInt());
        assertEquals(100, r.get("batchSize").asInt());
        assertEquals(0, r.get("warmup").asInt());
        assertEquals(1, r.get("iterations").asInt());
        assertTrue(r.get("trainImagesPerSecond").asDouble() > 0 && r.get("inferenceImagesPerSecond").asDouble() > 0
                && r.get("peakHeapBytes").asLong() > 0, r.toString());
        List<String> names = new ArrayList<>();
        for (JsonNode row : r.get("layers")) {
            assertEquals(List.of("layer", "forwardMs", "backwardMs"), fieldNames(row));
            names.add(row.get("layer").asText());
            assertTrue(row.get("forwardMs").asDouble() > 0, row.toString());
        }
        // execution steps: the first ReLU runs inside the pooling that follows it
        assertEquals(List.of("0 Convolution", "2 Pooling + 1 ReLU", "3 Affine", "4 ReLU", "5 Affine",
                "SoftmaxWithLoss", "Adam step"), names);
        JsonNode adam = r.get("layers").get(names.size() - 1);
        assertTrue(adam.get("backwardMs").isNull(), adam.toString());
        assertTrue(r.get("layers").get(0).get("backwardMs").asDouble() > 0, r.toString());
        String adamLine = b.out().lines().filter(l -> l.startsWith("Adam step")).findFirst().orElseThrow();
        assertTrue(adamLine.trim().endsWith(" -"), adamLine);
    }

    @Test
    void trainNamesItsDataFolderThenItsSettings() throws IOException {
        CliFixture.Result t = CliFixture.run(train(files, "--seed", "7", "--lr", "0.01").toArray(String[]::new));
        assertEquals(0, t.status(), t.err());
        assertEquals(List.of(dataLine(),
                "training SimpleConvNet on mnist: " + CliFixture.TRAIN + " train / " + CliFixture.TEST
                        + " test images, adam lr 0.01, batch 40, 1 epoch, 1 thread, seed 7"),
                t.out().lines().limit(2).toList());
    }

    @Test
    void evaluateNamesItsDataFolderFirst() throws IOException {
        CliFixture.Result e = CliFixture.run(evaluate(files, "--model", files.model.toString()).toArray(String[]::new));
        assertEquals(0, e.status(), e.err());
        assertEquals(dataLine(), e.out().lines().findFirst().orElseThrow());
    }

    @Test
    void benchNamesItsDataFolderFirst() throws IOException {
        CliFixture.Result b = CliFixture.run(bench(files).toArray(String[]::new));
        assertEquals(0, b.status(), b.err());
        assertEquals(dataLine(), b.out().lines().findFirst().orElseThrow());
    }

    @Test
    void aRelativeDataFolderIsNamedAsAnAbsolutePath() throws IOException {
        Path relative = Path.of("").toAbsolutePath().relativize(files.data.toAbsolutePath());
        assertFalse(relative.isAbsolute(), relative.toString());
        CliFixture.Result e = CliFixture.run(evaluateWithData(relative));
        assertEquals(0, e.status(), e.err());
        assertEquals(dataLine(), e.out().lines().findFirst().orElseThrow());
    }

    @Test
    void aDataFolderReachedThroughALinkAndDotDotIsNamedWhereItIs() throws IOException {
        // links/up -> links/real/sub, so links/up/.. is links/real (where the link "data" leads to
        // the files), while the same text with ".." removed, links/data, does not exist
        Path links = Files.createDirectories(root.resolve("links"));
        Path sub = Files.createDirectories(links.resolve("real").resolve("sub"));
        Files.createSymbolicLink(links.resolve("up"), sub);
        Files.createSymbolicLink(links.resolve("real").resolve("data"), files.data.toAbsolutePath());
        Path viaDotDot = links.resolve("up").resolve("..").resolve("data");
        assertFalse(Files.exists(viaDotDot.normalize()), viaDotDot.normalize().toString());
        CliFixture.Result e = CliFixture.run(evaluateWithData(viaDotDot));
        assertEquals(0, e.status(), e.err());
        assertEquals(dataLine(), e.out().lines().findFirst().orElseThrow());
    }

    private static String[] evaluateWithData(Path data) {
        return command("evaluate", new String[] {"--model", files.model.toString()}, "--data", data.toString(),
                "--threads", "1").toArray(String[]::new);
    }

    /** The line naming the fixture's data folder, as every command that reads data prints it. */
    private static String dataLine() throws IOException {
        return "reading mnist from " + files.data.toRealPath();
    }

    @Test
    void aResumedRunTakesTheCheckpointsSeedAndRefusesAnother() {
        Path checkpoints = root.resolve("seed-checkpoints");
        CliFixture.Result first = CliFixture.run(train(files, "--seed", "7", "--checkpoint-dir",
                checkpoints.toString()).toArray(String[]::new));
        assertEquals(0, first.status(), first.err());
        String checkpoint = CheckpointWriter.file(checkpoints, 1).toString();

        CliFixture.Result resumed = CliFixture.run(train(files, "--resume", checkpoint, "--epochs", "2",
                "--checkpoint-dir", checkpoints.toString()).toArray(String[]::new));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().lines().skip(1).findFirst().orElseThrow().endsWith(", seed 7"), resumed.out());

        CliFixture.Result contradicted = CliFixture.run(train(files, "--resume", checkpoint, "--epochs", "2",
                "--seed", "3").toArray(String[]::new));
        assertEquals(USAGE, contradicted.status(), contradicted.out());
        assertTrue(contradicted.err().contains("--seed 3 contradicts the checkpoint " + checkpoint
                + ", which has 7"), contradicted.err());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theFixturesThemselvesWork() throws IOException {
        Path saved = root.resolve("trained.safetensors");
        Path report = root.resolve("report.json");
        CliFixture.Result t = CliFixture.run(train(files, "--save", saved.toString(), "--report", report.toString())
                .toArray(String[]::new));
        assertEquals(0, t.status(), t.err());
        assertEquals("", t.err());
        assertTrue(Files.size(saved) > 0 && Files.size(report) > 0);
        CliFixture.Result e = CliFixture.run(evaluate(files, "--model", saved.toString()).toArray(String[]::new));
        assertEquals(0, e.status(), e.err());
        assertTrue(e.out().contains("test accuracy") && e.out().contains("confusion matrix"), e.out());
        CliFixture.Result s = CliFixture.run("summary", "--model", files.model.toString());
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().contains("Total params"), s.out());
        CliFixture.Result b = CliFixture.run(bench(files).toArray(String[]::new));
        assertEquals(0, b.status(), b.err());
        assertTrue(b.out().contains("images/s"), b.out());
    }
}
