package org.scratchdl.io;

import org.scratchdl.tensor.Shapes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scratchdl.layers.Affine;
import org.scratchdl.layers.Layer;
import org.scratchdl.layers.Parameter;
import org.scratchdl.network.Sequential;
import org.scratchdl.tensor.Tensor;

/**
 * Weights in the layout of PyTorch's {@code nn.Sequential.state_dict()} saved as safetensors, so a
 * model can move between scratchdl and PyTorch.
 *
 * <p>The equivalent PyTorch model has one module per scratchdl layer, in order, plus an
 * {@code nn.Flatten()} before every {@link Affine} whose input has more than two dimensions
 * (scratchdl's Affine flattens by itself). Tensor names are the module's index in that
 * {@code nn.Sequential} and the parameter name: for SimpleConvNet {@code 0.weight} (conv),
 * {@code 4.weight} (first Linear, after ReLU 1, MaxPool 2, Flatten 3) and {@code 6.weight}.
 * {@code nn.Linear} stores its weight as {@code (out, in)}, the transpose of Affine's
 * {@code (in, out)}; convolution weights {@code (FN, C, FH, FW)} and all biases are the same.
 */
public final class TorchStateDict {
    private TorchStateDict() {
    }

    /**
     * The PyTorch {@code state_dict} of {@code model} (Linear weights transposed; fresh tensors).
     *
     * @param model the network (not modified)
     * @param sampleShape shape of one input sample, e.g. {@code {1, 28, 28}}
     * @return a new map from {@code <torch module index>.<parameter name>} to a copy of the value
     * @throws IllegalArgumentException if the model does not take {@code sampleShape}
     */
    public static Map<String, Tensor> export(Sequential model, int[] sampleShape) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int[] torchIndex = torchIndices(model, sampleShape);
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) {
                out.put(torchIndex[i] + "." + p.name(), toTorch(layers.get(i), p).copy());
            }
        }
        return out;
    }

    /**
     * Writes {@link #export} to a safetensors file, atomically, with the metadata {@code format} =
     * {@code pt}.
     *
     * @param file the file to create or replace; its folder must exist
     * @param model the network (not modified)
     * @param sampleShape shape of one input sample, e.g. {@code {1, 28, 28}}
     * @throws IllegalArgumentException if the model does not take {@code sampleShape}; nothing is written
     * @throws IOException if the file cannot be written; an existing file is then left untouched
     */
    public static void save(Path file, Sequential model, int[] sampleShape) throws IOException {
        SafeTensors.write(file, export(model, sampleShape), Map.of("format", "pt"));
    }

    /**
     * Loads a PyTorch {@code state_dict} file into {@code model}, which must have the same
     * architecture. Everything is checked before any weight is changed.
     *
     * @param file the safetensors file to read
     * @param model the network whose weights are overwritten
     * @param sampleShape shape of one input sample, e.g. {@code {1, 28, 28}}
     * @throws IllegalArgumentException if the model does not take {@code sampleShape}
     * @throws CorruptFileException naming the file and tensor if a tensor is missing, extra or of
     *     the wrong shape, or the file is malformed
     * @throws IOException if the file cannot be read
     */
    public static void load(Path file, Sequential model, int[] sampleShape) throws IOException {
        SafeTensorsFile content = SafeTensors.read(file);
        int[] torchIndex = torchIndices(model, sampleShape);
        List<Layer> layers = model.layers();
        Map<Parameter, Tensor> updates = new LinkedHashMap<>();
        Set<String> unused = new LinkedHashSet<>(content.tensors().keySet());
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) {
                String name = torchIndex[i] + "." + p.name();
                Tensor t = content.tensors().get(name);
                int[] expected = toTorch(layers.get(i), p).shape();
                if (t == null) {
                    throw new CorruptFileException(file, -1, "tensor '" + name + "' is missing (layer " + i + ", "
                            + layers.get(i).spec().type() + " " + p.name() + ")");
                }
                if (!t.hasShape(expected)) {
                    throw new CorruptFileException(file, -1, "tensor '" + name + "' has shape " + t.shapeString()
                            + " but layer " + i + " (" + layers.get(i).spec().type() + ") needs "
                            + Tensor.zeros(expected).shapeString());
                }
                updates.put(p, fromTorch(layers.get(i), t));
                unused.remove(name);
            }
        }
        if (!unused.isEmpty()) {
            throw new CorruptFileException(file, -1, "tensor '" + unused.iterator().next()
                    + "' has no counterpart in the model");
        }
        updates.forEach((p, t) -> p.value().copyFrom(t));
    }

    /**
     * The index of each scratchdl layer in the equivalent PyTorch {@code nn.Sequential}.
     *
     * @param model the network
     * @param sampleShape shape of one input sample, e.g. {@code {1, 28, 28}}
     * @return a new array: element i is the module index of layer i
     * @throws IllegalArgumentException if the model does not take {@code sampleShape}
     */
    public static int[] torchIndices(Sequential model, int[] sampleShape) {
        int[] shape = Shapes.withBatch(1, sampleShape);
        List<Layer> layers = model.layers();
        int[] index = new int[layers.size()];
        int next = 0;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Affine && shape.length > 2) {
                next++; // nn.Flatten()
            }
            index[i] = next++;
            shape = layers.get(i).outputShape(shape);
        }
        return index;
    }

    private static boolean isLinearWeight(Layer layer, Parameter p) {
        return layer instanceof Affine && p.name().equals("weight");
    }

    private static Tensor toTorch(Layer layer, Parameter p) {
        return isLinearWeight(layer, p) ? p.value().transpose(1, 0) : p.value();
    }

    private static Tensor fromTorch(Layer layer, Tensor t) {
        return layer instanceof Affine && t.rank() == 2 ? t.transpose(1, 0) : t;
    }
}
