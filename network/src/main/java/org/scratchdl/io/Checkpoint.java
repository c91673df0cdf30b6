package org.scratchdl.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.layers.Parameter;
import org.scratchdl.network.Sequential;
import org.scratchdl.optim.Optimizer;
import org.scratchdl.optim.OptimizerState;
import org.scratchdl.optim.Optimizers;
import org.scratchdl.tensor.Tensor;
import org.scratchdl.train.EpochMetrics;
import org.scratchdl.train.Trainer;
import org.scratchdl.train.TrainingConfig;

/**
 * The state of a training run after an epoch, saved in one safetensors file so that training can
 * continue exactly where it stopped: resuming the checkpoint of epoch k with
 * {@code new Trainer(c.model(), c.optimizer(), c.config().training()).fit(train, test, c.epoch() + 1)}
 * ends with the same weights, bit for bit, as the uninterrupted run (same data, seed and thread
 * count).
 *
 * <p>File layout: a model file as {@link ModelFile} writes it (tensors {@code <layer index>.<name>},
 * metadata {@code format}, {@code format_version}, {@code scratchdl.architecture}) plus
 * <ul>
 *   <li>the optimizer's state tensors ({@link Optimizer#state()}) under {@code optimizer.<name>},
 *       e.g. {@code optimizer.m.0}, {@code optimizer.v.0} for Adam;
 *   <li>metadata {@value #VERSION_KEY} = {@value #VERSION} (the checkpoint layout version);
 *   <li>{@value #EPOCH_KEY}: the number of epochs completed, e.g. {@code "3"};
 *   <li>{@value #TRAINING_KEY}: JSON {@code {"optimizer": "adam", "learningRate": 0.001,
 *       "epochs": 20, "batchSize": 100, "seed": 1, "evalBatchSize": 1000, "dataset": "mnist",
 *       "trainLimit": 0, "trainSamples": 60000, "threads": 2}};
 *   <li>{@value #COUNTERS_KEY}: JSON object of the optimizer's integer counters, e.g.
 *       {@code {"step": 1800}};
 *   <li>{@value #HISTORY_KEY}: JSON array of the metrics of epochs 1..k, each {@code {"epoch",
 *       "trainLoss", "trainAccuracy", "testAccuracy", "seconds"}} (a missing test set's accuracy
 *       is the string {@code "NaN"}).
 * </ul>
 *
 * <p>The random state needs no separate entry: the only randomness of training after the weights
 * are initialised is the shuffle, and {@link Trainer#permutation} derives epoch e's shuffle from
 * the seed and e alone, both stored above.
 *
 * <p>The optimizer is rebuilt by name with {@link Optimizers#create} and therefore with its default
 * hyper-parameters apart from the learning rate (e.g. Adam's β1 = 0.9, β2 = 0.999).
 *
 * @param model the network (shared, not copied)
 * @param inputShape shape of one sample, e.g. {@code [1, 28, 28]}
 * @param optimizer the optimizer with its state (shared, not copied)
 * @param config total epochs, batch size, seed and the data the run used
 * @param epoch epochs completed, at least 1
 * @param history the metrics of epochs {@code 1..epoch}, in order
 */
public record Checkpoint(Sequential model, int[] inputShape, Optimizer optimizer, CheckpointConfig config,
                         int epoch, List<EpochMetrics> history) {

    /** The checkpoint layout version written and read. */
    public static final String VERSION = "1";
    /** Metadata key holding {@link #VERSION}; its presence marks a checkpoint. */
    public static final String VERSION_KEY = "scratchdl.checkpoint";
    /** Metadata key of the number of completed epochs. */
    public static final String EPOCH_KEY = "scratchdl.epoch";
    /** Metadata key of the training configuration JSON. */
    public static final String TRAINING_KEY = "scratchdl.training";
    /** Metadata key of the optimizer's counters JSON. */
    public static final String COUNTERS_KEY = "scratchdl.optimizer_counters";
    /** Metadata key of the per-epoch metrics JSON. */
    public static final String HISTORY_KEY = "scratchdl.history";
    /** Prefix of the optimizer's state tensors. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SLOT_NAME = Pattern.compile("(.+)\\.(\\d+)");

    /**
     * Copies {@code inputShape} and {@code history}.
     *
     * @param model the network (shared, not copied)
     * @param inputShape shape of one sample, e.g. {@code [1, 28, 28]} (copied)
     * @param optimizer the optimizer with its state (shared, not copied)
     * @param config total epochs, batch size, seed and the data the run used
     * @param epoch epochs completed, at least 1
     * @param history the metrics of epochs {@code 1..epoch}, in order (copied)
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code epoch < 1} or {@code history} does not hold
     *     exactly epochs {@code 1..epoch} in order
     */
    public Checkpoint {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(config, "config");
        inputShape = Objects.requireNonNull(inputShape, "inputShape").clone();
        history = List.copyOf(history);
        if (epoch < 1) {
            throw new IllegalArgumentException("a checkpoint follows an epoch; epoch must be at least 1, got " + epoch);
        }
        if (history.size() != epoch) {
            throw new IllegalArgumentException("the history must hold the " + epoch + " epochs completed, but it holds "
                    + history.size());
        }
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).epoch() != i + 1) {
                throw new IllegalArgumentException("history entry " + i + " is epoch " + history.get(i).epoch()
                        + ", expected " + (i + 1));
            }
        }
    }

    /**
     * The shape of one sample (a copy).
     *
     * @return a new array, e.g. {@code [1, 28, 28]}
     */
    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /**
     * Writes this checkpoint to {@code file} atomically (see {@link SafeTensors#write(Path, Map, Map)}).
     *
     * @param file the safetensors file to create or replace; its folder must exist
     * @throws IllegalArgumentException if a layer's configuration cannot be written as JSON, or as
     *     {@link SafeTensors#write(Path, Map, Map)} (e.g. a string not encodable as UTF-8); nothing is
     *     written
     * @throws IOException if the file cannot be written; an existing file is then left untouched
     */
    public void save(Path file) throws IOException {
        OptimizerState state = optimizer.state();
        Map<String, Tensor> tensors = new LinkedHashMap<>(ModelFile.tensors(model));
        state.tensors().forEach((name, t) -> tensors.put(OPTIMIZER_PREFIX + name, t));
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(VERSION_KEY, VERSION);
        extra.put(EPOCH_KEY, Integer.toString(epoch));
        extra.put(TRAINING_KEY, json(trainingJson()));
        extra.put(COUNTERS_KEY, json(state.counters()));
        extra.put(HISTORY_KEY, json(historyJson()));
        SafeTensors.write(file, tensors, ModelFile.metadata(model, inputShape, extra));
    }

    /**
     * Reads a checkpoint written by {@link #save}, validating all of it: the model as
     * {@link ModelFile#fromContent} does, then every metadata entry, the optimizer's name and the
     * name and shape of each of its state tensors. The model and optimizer are new objects,
     * returned only when complete.
     *
     * @param file the checkpoint file to read
     * @param registry knows the model's layer types
     * @return the checkpoint, with a new model and a new optimizer holding the saved state
     * @throws CorruptFileException naming the file and the tensor or metadata entry if anything is
     *     missing, malformed, misshapen or unknown (including an unknown optimizer)
     * @throws IOException if the file cannot be read
     */
    public static Checkpoint load(Path file, LayerRegistry registry) throws IOException {
        SafeTensorsFile content = SafeTensors.read(file);
        Map<String, String> metadata = content.metadata();
        String version = metadata.get(VERSION_KEY);
        if (version == null) {
            throw new CorruptFileException(file, -1, "not a training checkpoint: metadata has no '" + VERSION_KEY
                    + "' entry");
        }
        if (!VERSION.equals(version)) {
            throw new CorruptFileException(file, -1, "unsupported checkpoint version " + version
                    + " (this version of scratchdl reads " + VERSION + ")");
        }
        Map<String, Tensor> modelTensors = new LinkedHashMap<>();
        Map<String, Tensor> optimizerTensors = new LinkedHashMap<>();
        content.tensors().forEach((name, t) -> {
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                optimizerTensors.put(name.substring(OPTIMIZER_PREFIX.length()), t);
            } else {
                modelTensors.put(name, t);
            }
        });
        ModelFile.LoadedModel loaded = ModelFile.fromContent(file, new SafeTensorsFile(modelTensors, metadata), registry);

        int epoch = parseEpoch(file, metadata.get(EPOCH_KEY));
        JsonNode training = object(file, TRAINING_KEY, parse(file, TRAINING_KEY, metadata));
        String optimizerName = text(file, TRAINING_KEY, training, "optimizer");
        double learningRate = number(file, TRAINING_KEY, training, "learningRate");
        CheckpointConfig config;
        Optimizer optimizer;
        try {
            config = new CheckpointConfig(
                    new TrainingConfig(integer(file, TRAINING_KEY, training, "epochs"),
                            integer(file, TRAINING_KEY, training, "batchSize"),
                            longInteger(file, TRAINING_KEY, training, "seed"),
                            integer(file, TRAINING_KEY, training, "evalBatchSize")),
                    text(file, TRAINING_KEY, training, "dataset"),
                    integer(file, TRAINING_KEY, training, "trainLimit"),
                    integer(file, TRAINING_KEY, training, "trainSamples"),
                    integer(file, TRAINING_KEY, training, "threads"));
            optimizer = Optimizers.create(optimizerName, learningRate);
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(file, -1, "metadata '" + TRAINING_KEY + "': " + e.getMessage(), e);
        }
        Map<String, Long> counters = counters(file, object(file, COUNTERS_KEY, parse(file, COUNTERS_KEY, metadata)));
        List<EpochMetrics> history = history(file, parse(file, HISTORY_KEY, metadata));

        List<Parameter> parameters = loaded.model().parameters();
        checkOptimizerTensors(file, optimizerTensors, loaded.model());
        try {
            optimizer.loadState(new OptimizerState(optimizerTensors, counters), parameters);
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(file, -1, "the optimizer state (tensors '" + OPTIMIZER_PREFIX
                    + "*', metadata '" + COUNTERS_KEY + "') does not fit " + optimizerName + ": " + e.getMessage(), e);
        }
        OptimizerState restored = optimizer.state();
        for (String name : optimizerTensors.keySet()) {
            if (!restored.tensors().containsKey(name)) {
                throw new CorruptFileException(file, -1, "tensor '" + OPTIMIZER_PREFIX + name + "' is not part of "
                        + optimizerName + "'s state");
            }
        }
        for (String name : counters.keySet()) {
            if (!restored.counters().containsKey(name)) {
                throw new CorruptFileException(file, -1, "metadata '" + COUNTERS_KEY + "': counter '" + name
                        + "' is not part of " + optimizerName + "'s state");
            }
        }
        try {
            return new Checkpoint(loaded.model(), loaded.inputShape(), optimizer, config, epoch, history);
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(file, -1, "metadata '" + HISTORY_KEY + "' does not match '" + EPOCH_KEY
                    + "' = " + epoch + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the names and shapes of the optimizer's state tensors against the documented
     * {@code <slot>.<parameter index>} layout of {@link OptimizerState}: each index names a
     * parameter of the model, the shape is that parameter's, and a slot present for one parameter
     * is present for all.
     */
    private static void checkOptimizerTensors(Path file, Map<String, Tensor> tensors, Sequential model)
            throws CorruptFileException {
        List<Map.Entry<String, Parameter>> parameters = new ArrayList<>(model.namedParameters().entrySet());
        Map<String, boolean[]> slots = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = OPTIMIZER_PREFIX + e.getKey();
            Matcher m = SLOT_NAME.matcher(e.getKey());
            int index = m.matches() && m.group(2).length() < 10 ? Integer.parseInt(m.group(2)) : -1;
            if (index < 0 || index >= parameters.size()) {
                throw new CorruptFileException(file, -1, "tensor '" + name + "' does not name a parameter: expected '"
                        + OPTIMIZER_PREFIX + "<slot>.<index>' with an index below " + parameters.size());
            }
            Map.Entry<String, Parameter> p = parameters.get(index);
            Tensor expected = p.getValue().value();
            if (!e.getValue().hasShape(expected.shape())) {
                throw new CorruptFileException(file, -1, "tensor '" + name + "' has shape " + e.getValue().shapeString()
                        + " but parameter " + index + " ('" + p.getKey() + "') has shape " + expected.shapeString());
            }
            slots.computeIfAbsent(m.group(1), k -> new boolean[parameters.size()])[index] = true;
        }
        for (Map.Entry<String, boolean[]> slot : slots.entrySet()) {
            for (int i = 0; i < parameters.size(); i++) {
                if (!slot.getValue()[i]) {
                    throw new CorruptFileException(file, -1, "tensor '" + OPTIMIZER_PREFIX + slot.getKey() + "." + i
                            + "' is missing; it holds the optimizer state of parameter '" + parameters.get(i).getKey()
                            + "'");
                }
            }
        }
    }

    private Map<String, Object> trainingJson() {
        TrainingConfig t = config.training();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer.name());
        m.put("learningRate", optimizer.learningRate());
        m.put("epochs", t.epochs());
        m.put("batchSize", t.batchSize());
        m.put("seed", t.seed());
        m.put("evalBatchSize", t.evalBatchSize());
        m.put("dataset", config.dataset());
        m.put("trainLimit", config.trainLimit());
        m.put("trainSamples", config.trainSamples());
        m.put("threads", config.threads());
        return m;
    }

    private List<Map<String, Object>> historyJson() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (EpochMetrics e : history) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("trainLoss", e.trainLoss());
            m.put("trainAccuracy", e.trainAccuracy());
            m.put("testAccuracy", e.testAccuracy());
            m.put("seconds", e.seconds());
            list.add(m);
        }
        return list;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always convert to JSON", e);
        }
    }

    private static int parseEpoch(Path file, String value) throws CorruptFileException {
        if (value == null) {
            throw new CorruptFileException(file, -1, "metadata has no '" + EPOCH_KEY + "' entry");
        }
        try {
            int epoch = Integer.parseInt(value);
            if (epoch >= 1) {
                return epoch;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CorruptFileException(file, -1, "metadata '" + EPOCH_KEY + "' must be a positive integer, got '"
                + value + "'");
    }

    private static JsonNode parse(Path file, String key, Map<String, String> metadata) throws CorruptFileException {
        String value = metadata.get(key);
        if (value == null) {
            throw new CorruptFileException(file, -1, "metadata has no '" + key + "' entry");
        }
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(file, -1, "metadata '" + key + "' is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode object(Path file, String key, JsonNode node) throws CorruptFileException {
        if (!node.isObject()) {
            throw new CorruptFileException(file, -1, "metadata '" + key + "' must be a JSON object, got " + node);
        }
        return node;
    }

    private static JsonNode field(Path file, String key, JsonNode object, String field) throws CorruptFileException {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            throw new CorruptFileException(file, -1, "metadata '" + key + "' has no field '" + field + "'");
        }
        return v;
    }

    private static String text(Path file, String key, JsonNode object, String field) throws CorruptFileException {
        JsonNode v = field(file, key, object, field);
        if (!v.isTextual()) {
            throw new CorruptFileException(file, -1, "metadata '" + key + "': field '" + field
                    + "' must be a string, got " + v);
        }
        return v.asText();
    }

    private static int integer(Path file, String key, JsonNode object, String field) throws CorruptFileException {
        JsonNode v = field(file, key, object, field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new CorruptFileException(file, -1, "metadata '" + key + "': field '" + field
                    + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static long longInteger(Path file, String key, JsonNode object, String field) throws CorruptFileException {
        JsonNode v = field(file, key, object, field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new CorruptFileException(file, -1, "metadata '" + key + "': field '" + field
                    + "' must be a 64-bit integer, got " + v);
        }
        return v.longValue();
    }

    /** A number, or one of the strings Jackson writes for the non-finite doubles. */
    private static double number(Path file, String key, JsonNode object, String field) throws CorruptFileException {
        JsonNode v = field(file, key, object, field);
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            switch (v.asText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new CorruptFileException(file, -1, "metadata '" + key + "': field '" + field + "' must be a number, got "
                + v);
    }

    private static Map<String, Long> counters(Path file, JsonNode node) throws CorruptFileException {
        Map<String, Long> counters = new LinkedHashMap<>();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            counters.put(name, longInteger(file, COUNTERS_KEY, node, name));
        }
        return counters;
    }

    private static List<EpochMetrics> history(Path file, JsonNode node) throws CorruptFileException {
        if (!node.isArray()) {
            throw new CorruptFileException(file, -1, "metadata '" + HISTORY_KEY + "' must be a JSON array, got " + node);
        }
        List<EpochMetrics> history = new ArrayList<>();
        for (JsonNode e : node) {
            String where = HISTORY_KEY + "[" + history.size() + "]";
            object(file, where, e);
            history.add(new EpochMetrics(integer(file, where, e, "epoch"), number(file, where, e, "trainLoss"),
                    number(file, where, e, "trainAccuracy"), number(file, where, e, "testAccuracy"),
                    number(file, where, e, "seconds")));
        }
        return history;
    }
}
