package org.scratchdl.io;

import org.scratchdl.tensor.Shapes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scratchdl.layers.Layer;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.layers.LayerSpec;
import org.scratchdl.layers.Parameter;
import org.scratchdl.network.Sequential;
import org.scratchdl.tensor.Tensor;

/**
 * A trained model in one safetensors file: each parameter as an F32 tensor named
 * {@code <layer index>.<parameter name>} (e.g. {@code 0.weight}), and the architecture as JSON
 * text in the header's {@code __metadata__} under {@code scratchdl.architecture}, so that the file
 * alone rebuilds the model.
 *
 * <p>Metadata keys: {@code format} = {@value #FORMAT}, {@code format_version} = {@value #VERSION},
 * {@code scratchdl.architecture} = {@code {"inputShape": [C, H, W], "layers": [{"type": …,
 * "config": {…}}, …]}}; other keys are kept and returned as they are.
 *
 * <p>Loading validates everything before returning (unknown layer types, missing, extra or
 * misshapen tensors): nothing is half-loaded. Saving is atomic ({@link AtomicFile}).
 */
public final class ModelFile {
    /** Value of the {@code format} metadata key. */
    public static final String FORMAT = "scratchdl-model";
    /** Current version of the layout. */
    public static final String VERSION = "1";
    /** Metadata key holding the architecture JSON. */
    public static final String ARCHITECTURE_KEY = "scratchdl.architecture";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ModelFile() {
    }

    /**
     * The architecture: per-sample input shape and the layers' specs.
     *
     * @param inputShape shape of one sample, e.g. {@code [1, 28, 28]}
     * @param layers the layer specs in order
     */
    public record Architecture(int[] inputShape, List<LayerSpec> layers) {
    }

    /**
     * A loaded model.
     *
     * @param model the rebuilt network with the saved weights
     * @param inputShape shape of one sample
     * @param metadata all metadata of the file
     */
    public record LoadedModel(Sequential model, int[] inputShape, Map<String, String> metadata) {
    }

    /**
     * Saves {@code model} to {@code file} atomically.
     *
     * @param file the safetensors file to create or replace; its folder must exist
     * @param model the network to save (not modified)
     * @param inputShape shape of one sample, e.g. {@code {1, 28, 28}}
     * @param extraMetadata further string metadata to store (may be empty; not modified)
     * @throws IllegalArgumentException if a layer's configuration cannot be written as JSON, or as
     *     {@link SafeTensors#write(Path, Map, Map)} (e.g. a null key or value); nothing is written
     * @throws IOException if the file cannot be written (an existing file is left untouched)
     */
    public static void save(Path file, Sequential model, int[] inputShape, Map<String, String> extraMetadata)
            throws IOException {
        SafeTensors.write(file, tensors(model), metadata(model, inputShape, extraMetadata));
    }

    /**
     * The model's parameters by qualified name, for writing (values shared, not copied).
     *
     * @param model the network
     * @return a new map from {@code <layer index>.<parameter name>} to the parameter's value, in layer order
     */
    public static Map<String, Tensor> tensors(Sequential model) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> tensors.put(name, p.value()));
        return tensors;
    }

    /**
     * The metadata describing {@code model}, plus {@code extra}.
     *
     * @param model the network
     * @param inputShape shape of one sample, e.g. {@code {1, 28, 28}}
     * @param extra further entries (not modified); its {@code format}, {@code format_version} and
     *     {@code scratchdl.architecture} entries are replaced
     * @return a new map of {@code extra}'s entries plus {@code format}, {@code format_version} and the
     *     architecture JSON
     * @throws IllegalArgumentException if a layer's configuration cannot be written as JSON
     */
    public static Map<String, String> metadata(Sequential model, int[] inputShape, Map<String, String> extra) {
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("inputShape", inputShape);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (LayerSpec spec : model.layerSpecs()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("type", spec.type());
            l.put("config", spec.config());
            layers.add(l);
        }
        arch.put("layers", layers);
        Map<String, String> metadata = new LinkedHashMap<>(extra);
        metadata.put("format", FORMAT);
        metadata.put("format_version", VERSION);
        try {
            metadata.put(ARCHITECTURE_KEY, JSON.writeValueAsString(arch));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot describe the model's layers as JSON: " + e.getMessage(), e);
        }
        return metadata;
    }

    /**
     * Loads a model saved by {@link #save}, or the model in a training checkpoint
     * ({@link Checkpoint}).
     *
     * @param file the safetensors file to read
     * @param registry knows the layer types (use {@link LayerRegistry#withInstalledProviders()} for
     *     custom layers)
     * @return the new model with the saved weights, its input shape and all metadata of the file
     *     (a checkpoint's optimizer tensors are left out)
     * @throws CorruptFileException naming the file and tensor if anything is malformed, unknown or
     *     does not match the architecture
     * @throws IOException if the file cannot be read
     */
    public static LoadedModel load(Path file, LayerRegistry registry) throws IOException {
        SafeTensorsFile content = SafeTensors.read(file);
        if (content.metadata().containsKey(Checkpoint.VERSION_KEY)) {
            // a training checkpoint: its model, without the optimizer state
            Map<String, Tensor> model = new LinkedHashMap<>();
            content.tensors().forEach((name, t) -> {
                if (!name.startsWith(Checkpoint.OPTIMIZER_PREFIX)) {
                    model.put(name, t);
                }
            });
            content = new SafeTensorsFile(model, content.metadata());
        }
        return fromContent(file, content, registry);
    }

    /**
     * Rebuilds a model from an already read safetensors file (used by checkpoints too).
     *
     * @param file the file the content came from, named in error messages (not read)
     * @param content the tensors and metadata; not modified (the tensors are copied into the model)
     * @param registry knows the layer types
     * @return the new model with the saved weights, its input shape and {@code content}'s metadata
     * @throws CorruptFileException naming the file (offset -1) if {@code format} or {@code format_version}
     *     is wrong, the architecture is missing or invalid, a layer rejects its configuration or does not
     *     fit in memory, the layers do not fit the input shape, or a tensor is missing, extra or misshapen
     */
    public static LoadedModel fromContent(Path file, SafeTensorsFile content, LayerRegistry registry)
            throws CorruptFileException {
        Map<String, String> metadata = content.metadata();
        if (!FORMAT.equals(metadata.get("format"))) {
            throw new CorruptFileException(file, -1, "not a scratchdl model: metadata 'format' is "
                    + metadata.get("format") + ", expected '" + FORMAT + "'");
        }
        if (!VERSION.equals(metadata.get("format_version"))) {
            throw new CorruptFileException(file, -1, "unsupported model format version "
                    + metadata.get("format_version") + " (this version of scratchdl reads " + VERSION + ")");
        }
        Architecture arch = parseArchitecture(file, metadata.get(ARCHITECTURE_KEY));
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < arch.layers().size(); i++) {
            LayerSpec spec = arch.layers().get(i);
            try {
                layers.add(registry.create(spec));
            } catch (RuntimeException e) {
                // a factory, built-in or custom, that rejects its configuration in any way
                throw new CorruptFileException(file, -1, "layer " + i + " (" + spec.type() + "): " + e.getMessage(), e);
            } catch (OutOfMemoryError e) {
                // a configuration whose placeholder parameters alone do not fit in memory
                throw new CorruptFileException(file, -1, "layer " + i + " (" + spec.type() + "): configuration "
                        + spec.config() + " needs more memory than is available", e);
            }
        }
        Sequential model;
        try {
            model = new Sequential(layers);
            model.outputShape(Shapes.withBatch(1, arch.inputShape()));
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new CorruptFileException(file, -1, "the architecture does not fit together: " + e.getMessage(), e);
        }
        Set<String> unused = new LinkedHashSet<>(content.tensors().keySet());
        for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
            String name = entry.getKey();
            Tensor saved = content.tensors().get(name);
            Tensor target = entry.getValue().value();
            if (saved == null) {
                throw new CorruptFileException(file, -1, "tensor '" + name + "' is missing; the architecture needs it with shape "
                        + target.shapeString());
            }
            if (!saved.hasShape(target.shape())) {
                throw new CorruptFileException(file, -1, "tensor '" + name + "' has shape " + saved.shapeString()
                        + " but the architecture needs " + target.shapeString());
            }
            unused.remove(name);
        }
        if (!unused.isEmpty()) {
            throw new CorruptFileException(file, -1, "tensor '" + unused.iterator().next()
                    + "' does not belong to any layer of the architecture");
        }
        for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
            entry.getValue().value().copyFrom(content.tensors().get(entry.getKey()));
        }
        return new LoadedModel(model, arch.inputShape(), metadata);
    }

    private static Architecture parseArchitecture(Path file, String json) throws CorruptFileException {
        if (json == null) {
            throw new CorruptFileException(file, -1, "metadata has no '" + ARCHITECTURE_KEY + "' entry");
        }
        try {
            if (!(JSON.readValue(json, Object.class) instanceof Map<?, ?> root)) {
                throw new CorruptFileException(file, -1, "metadata '" + ARCHITECTURE_KEY + "' must be a JSON object");
            }
            Object shapeNode = root.get("inputShape");
            Object layersNode = root.get("layers");
            if (!(shapeNode instanceof List<?> shapeList) || !(layersNode instanceof List<?> layerList)
                    || layerList.isEmpty()) {
                throw new CorruptFileException(file, -1, "metadata '" + ARCHITECTURE_KEY
                        + "' needs 'inputShape' (a list of sizes) and 'layers' (a non-empty list)");
            }
            int[] inputShape = new int[shapeList.size()];
            for (int i = 0; i < inputShape.length; i++) {
                if (!(shapeList.get(i) instanceof Integer d) || d < 1) {
                    throw new CorruptFileException(file, -1, "inputShape " + shapeList + " must hold positive integers");
                }
                inputShape[i] = d;
            }
            List<LayerSpec> specs = new ArrayList<>();
            for (Object o : layerList) {
                if (!(o instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)
                        || !(m.get("config") == null || m.get("config") instanceof Map<?, ?>)) {
                    throw new CorruptFileException(file, -1, "layer " + specs.size()
                            + " must be an object with a 'type' string and a 'config' object, got " + o);
                }
                Map<String, Object> config = new LinkedHashMap<>();
                if (m.get("config") instanceof Map<?, ?> c) {
                    c.forEach((k, v) -> config.put(String.valueOf(k), v));
                }
                specs.add(new LayerSpec(type, config));
            }
            return new Architecture(inputShape, specs);
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(file, -1, "metadata '" + ARCHITECTURE_KEY + "' is not valid JSON: "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(file, -1, "metadata '" + ARCHITECTURE_KEY + "' is not a valid architecture: "
                    + e.getMessage(), e);
        }
    }
}
