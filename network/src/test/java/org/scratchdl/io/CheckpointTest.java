package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchdl.io.CheckpointFixtures.SAMPLE;
import static org.scratchdl.io.CheckpointFixtures.assertSameTensors;
import static org.scratchdl.io.CheckpointFixtures.bars;
import static org.scratchdl.io.CheckpointFixtures.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.network.Sequential;
import org.scratchdl.optim.Optimizer;
import org.scratchdl.optim.Optimizers;
import org.scratchdl.tensor.Tensor;
import org.scratchdl.train.EpochMetrics;
import org.scratchdl.train.Trainer;
import org.scratchdl.train.TrainingConfig;

class CheckpointTest {
    private static final LayerRegistry LAYERS = LayerRegistry.withBuiltins();
    private static final TrainingConfig TWO_EPOCHS = new TrainingConfig(2, 50, 5, 100);

    static final List<String> OPTIMIZERS = Optimizers.NAMES;

    /** Trains one epoch of two with {@code optimizer} and saves the checkpoint. */
    private static Checkpoint trainOneEpoch(String optimizer, Path file) throws IOException {
        Sequential model = network();
        Optimizer opt = Optimizers.create(optimizer, 0.01);
        List<EpochMetrics> history = new Trainer(model, opt, new TrainingConfig(1, 50, 5, 100))
                .fit(bars(120, 1), bars(40, 2));
        Checkpoint c = new Checkpoint(model, SAMPLE, opt, new CheckpointConfig(TWO_EPOCHS, "bars", 100, 120, 2), 1,
                history);
        c.save(file);
        return c;
    }

    @ParameterizedTest
    @FieldSource("OPTIMIZERS")
    void roundTripRestoresEverything(String optimizer, @TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("c.safetensors");
        Checkpoint saved = trainOneEpoch(optimizer, file);
        Checkpoint loaded = Checkpoint.load(file, LAYERS);
        assertEquals(saved.config(), loaded.config());
        assertEquals(saved.history(), loaded.history());
        assertEquals(1, loaded.epoch());
        assertArrayEquals(SAMPLE, loaded.inputShape());
        assertEquals(optimizer, loaded.optimizer().name());
        assertEquals(0.01, loaded.optimizer().learningRate(), 0.0);
        assertSameTensors(ModelFile.tensors(saved.model()), ModelFile.tensors(loaded.model()), "weights");
        assertSameTensors(saved.optimizer().state().tensors(), loaded.optimizer().state().tensors(), "state");
        assertEquals(saved.optimizer().state().counters(), loaded.optimizer().state().counters());
        assertEquals(optimizer.equals("sgd"), saved.optimizer().state().tensors().isEmpty(),
                "every optimizer but SGD has state");
    }

    @Test
    void theFileIsAModelFilePlusTrainingState(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("c.safetensors");
        trainOneEpoch("adam", file);
        SafeTensorsFile content = SafeTensors.read(file);
        assertEquals(ModelFile.FORMAT, content.metadata().get("format"));
        assertEquals("1", content.metadata().get(Checkpoint.EPOCH_KEY));
        assertEquals("{\"step\":3}", content.metadata().get(Checkpoint.COUNTERS_KEY), "120 samples in batches of 50");
        String training = content.metadata().get(Checkpoint.TRAINING_KEY);
        assertEquals("{\"optimizer\":\"adam\",\"learningRate\":0.01,\"epochs\":2,\"batchSize\":50,\"seed\":5,"
                + "\"evalBatchSize\":100,\"dataset\":\"bars\",\"trainLimit\":100,\"trainSamples\":120,\"threads\":2}",
                training);
        assertTrue(content.tensors().keySet().containsAll(Set.of("0.weight", "5.bias", "optimizer.m.0",
                "optimizer.v.5")), content.tensors().keySet().toString());
    }

    /** evaluate and summary read a checkpoint as the model it holds. */
    @Test
    void modelFileLoadsTheModelOfACheckpoint(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("c.safetensors");
        trainOneEpoch("adam", file);
        Checkpoint checkpoint = Checkpoint.load(file, LayerRegistry.withBuiltins());
        Sequential model = ModelFile.load(file, LayerRegistry.withBuiltins()).model();
        Tensor x = Tensor.randn(new java.util.Random(3), 1f, 2, SAMPLE[0], SAMPLE[1], SAMPLE[2]);
        assertArrayEquals(checkpoint.model().forward(x, false).data(), model.forward(x, false).data());
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
                corruption("model tensor missing", (t, m) -> t.remove("3.weight"), "'3.weight' is missing"),
                corruption("optimizer tensor missing", (t, m) -> t.remove("optimizer.m.4"), "'optimizer.m.4' is missing"),
                corruption("optimizer slot missing", (t, m) -> t.keySet().removeIf(k -> k.startsWith("optimizer.v.")),
                        "'v.0'"),
                corruption("optimizer tensor misshapen", (t, m) -> t.put("optimizer.v.1", Tensor.zeros(5)),
                        "'optimizer.v.1' has shape (5,) but parameter 1 ('0.bias') has shape (6,)"),
                corruption("optimizer tensor misnamed", (t, m) -> t.put("optimizer.bogus", Tensor.zeros(1)),
                        "'optimizer.bogus' does not name a parameter"),
                corruption("optimizer tensor index too big", (t, m) -> t.put("optimizer.m.6", Tensor.zeros(1)),
                        "'optimizer.m.6' does not name a parameter"),
                corruption("unknown optimizer", (t, m) -> m.compute(Checkpoint.TRAINING_KEY,
                        (k, v) -> v.replace("\"adam\"", "\"lion\"")), "unknown optimizer 'lion'"),
                corruption("wrong optimizer for the state", (t, m) -> m.compute(Checkpoint.TRAINING_KEY,
                        (k, v) -> v.replace("\"adam\"", "\"sgd\"")), "'optimizer.m.0' is not part of sgd's state"),
                corruption("counter missing", (t, m) -> m.put(Checkpoint.COUNTERS_KEY, "{}"), "no counter 'step'"),
                corruption("counter unknown", (t, m) -> m.put(Checkpoint.COUNTERS_KEY, "{\"step\":3,\"warmup\":1}"),
                        "counter 'warmup' is not part of adam's state"),
                corruption("counter not an integer", (t, m) -> m.put(Checkpoint.COUNTERS_KEY, "{\"step\":\"x\"}"),
                        "field 'step' must be a 64-bit integer"),
                corruption("not a checkpoint", (t, m) -> m.remove(Checkpoint.VERSION_KEY), "not a training checkpoint"),
                corruption("future version", (t, m) -> m.put(Checkpoint.VERSION_KEY, "9"), "unsupported checkpoint version 9"),
                corruption("epoch missing", (t, m) -> m.remove(Checkpoint.EPOCH_KEY), "no 'scratchdl.epoch'"),
                corruption("epoch malformed", (t, m) -> m.put(Checkpoint.EPOCH_KEY, "one"), "positive integer, got 'one'"),
                corruption("epoch and history disagree", (t, m) -> m.put(Checkpoint.EPOCH_KEY, "2"),
                        "must hold the 2 epochs completed"),
                corruption("history missing", (t, m) -> m.remove(Checkpoint.HISTORY_KEY), "no 'scratchdl.history'"),
                corruption("history malformed", (t, m) -> m.put(Checkpoint.HISTORY_KEY, "[{\"epoch\":1}]"),
                        "'scratchdl.history[0]' has no field 'trainLoss'"),
                corruption("training not JSON", (t, m) -> m.put(Checkpoint.TRAINING_KEY, "{oops"), "not valid JSON"),
                corruption("training field missing", (t, m) -> m.compute(Checkpoint.TRAINING_KEY,
                        (k, v) -> v.replace("\"batchSize\":50,", "")), "has no field 'batchSize'"),
                corruption("training value invalid", (t, m) -> m.compute(Checkpoint.TRAINING_KEY,
                        (k, v) -> v.replace("\"batchSize\":50", "\"batchSize\":0")), "batch size must be at least 1"),
                corruption("architecture missing", (t, m) -> m.remove(ModelFile.ARCHITECTURE_KEY),
                        "no 'scratchdl.architecture'"));
    }

    private static Arguments corruption(String what, BiConsumer<Map<String, Tensor>, Map<String, String>> change,
                                        String expected) {
        return Arguments.of(what, change, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void everyDefectIsReportedWithTheFileAndWhatIsWrong(String what,
            BiConsumer<Map<String, Tensor>, Map<String, String>> change, String expected, @TempDir Path tmp)
            throws IOException {
        Path good = tmp.resolve("good.safetensors");
        trainOneEpoch("adam", good);
        SafeTensorsFile content = SafeTensors.read(good);
        Map<String, Tensor> tensors = new LinkedHashMap<>(content.tensors());
        Map<String, String> metadata = new LinkedHashMap<>(content.metadata());
        change.accept(tensors, metadata);
        Path bad = tmp.resolve("bad.safetensors");
        SafeTensors.write(bad, tensors, metadata);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> Checkpoint.load(bad, LAYERS));
        assertEquals(bad, e.file());
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void aModelFileIsNotACheckpoint(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("model.safetensors");
        ModelFile.save(file, network(), SAMPLE, Map.of());
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> Checkpoint.load(file, LAYERS));
        assertTrue(e.getMessage().contains("not a training checkpoint"), e.getMessage());
    }

    @Test
    void theHistoryMustMatchTheEpoch() {
        Sequential model = network();
        Optimizer opt = Optimizers.create("sgd", 0.1);
        CheckpointConfig config = new CheckpointConfig(TWO_EPOCHS, "", 0, 10, 1);
        EpochMetrics first = new EpochMetrics(1, 1, 0.5, 0.5, 1);
        EpochMetrics second = new EpochMetrics(2, 1, 0.5, 0.5, 1);
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(model, SAMPLE, opt, config, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(model, SAMPLE, opt, config, 2, List.of(first)));
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint(model, SAMPLE, opt, config, 2, List.of(second, first)));
        assertEquals(2, new Checkpoint(model, SAMPLE, opt, config, 2, List.of(first, second)).history().size());
        assertThrows(IllegalArgumentException.class, () -> new CheckpointConfig(TWO_EPOCHS, "", -1, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointConfig(TWO_EPOCHS, "", 0, 0, 1));
    }

    @Test
    void theWriterKeepsTheLastTwoAndLeavesNoTemporaryFiles(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("new/folder");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "kept");
        Files.writeString(dir.resolve("checkpoint-epoch-0009.safetensors"), "a later epoch: never deleted by the writer");
        Sequential model = network();
        Optimizer opt = Optimizers.create("momentum", 0.05);
        CheckpointConfig config = new CheckpointConfig(new TrainingConfig(4, 40, 1, 40), "bars", 0, 80, 1);
        CheckpointWriter writer = new CheckpointWriter(dir, model, SAMPLE, opt, config, List.of());
        assertEquals(null, writer.lastWritten());
        new Trainer(model, opt, config.training()).fit(bars(80, 1), null, writer);
        assertEquals(CheckpointWriter.file(dir, 4), writer.lastWritten());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of("checkpoint-epoch-0003.safetensors", "checkpoint-epoch-0004.safetensors", "notes.txt",
                    "checkpoint-epoch-0009.safetensors"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        assertEquals(Path.of("d", "checkpoint-epoch-12345.safetensors"), CheckpointWriter.file(Path.of("d"), 12345));
    }

    @Test
    void theWriterRejectsAnEpochOutOfSequence(@TempDir Path tmp) {
        Sequential model = network();
        Optimizer opt = Optimizers.create("sgd", 0.1);
        CheckpointConfig config = new CheckpointConfig(TWO_EPOCHS, "", 0, 10, 1);
        CheckpointWriter writer = new CheckpointWriter(tmp, model, SAMPLE, opt, config, List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> writer.onEpochEnd(new EpochMetrics(2, 1, 0.5, 0.5, 1)));
        assertTrue(e.getMessage().contains("expected epoch 1 but got 2"), e.getMessage());
    }
}
