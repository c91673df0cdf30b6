package org.scratchdl.network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchdl.layers.Layer;
import org.scratchdl.layers.LayerSpec;
import org.scratchdl.layers.Parameter;
import org.scratchdl.layers.Pooling;
import org.scratchdl.layers.ReLU;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * Layers applied in order: {@code forward} runs them first to last, {@code backward} last to first
 * (Saito 2016, §7.5), with one exception for speed described below. A {@code Sequential} is itself a
 * {@link Layer}.
 *
 * <p>Errors from a layer are re-thrown naming the layer's index and type, e.g.
 * {@code layer 3 (Affine): expected 4320 input values per sample but got 4000}.
 *
 * <p>By default the first layer to run skips computing dL/dx (nothing comes before it); call
 * {@link #setInputGradientNeeded(boolean)} to get it. Every other layer is told to compute it.
 *
 * <p>Execution order: a {@link ReLU} directly followed by a max {@link Pooling} whose stride is at
 * least 2 runs after the pooling instead of before it, inside {@link Pooling#forwardRectified}.
 * Taking a maximum commutes with {@code max(0, ·)}, which never puts a larger value below a smaller
 * one, so {@code ReLU(maxpool(x)) = maxpool(ReLU(x))}; and the gradients agree: a window whose
 * maximum is positive (or NaN, which ReLU passes on) sends {@code dout} to the same first maximum
 * either way, and any other window sends zeros. So outputs and gradients are the same bits (only
 * which NaN a NaN output holds may differ), while the rectifier needs no tensor of its own, and for
 * the 2×2 window with stride 2 and no padding no pass of its own either (other windows rectify the
 * pooled values in a second loop). {@link #executionSteps()} lists the steps; driving the layers of
 * {@link #layers()} by hand in list order gives the same results, but mixing that with
 * {@code forward}/{@code backward} of the model must go step by step ({@link #forwardStep},
 * {@link #backwardStep}). Also, a model that starts with such a pair has its pooling keep the
 * caller's input until {@code backward}, as a first convolution does (see {@link Layer}).
 *
 * <p>Thread safety: training (a training {@code forward}, {@link #backward}, an optimizer step on
 * {@link #parameters()}) is not thread-safe: the layers cache and reuse buffers, and the optimizer
 * updates the weights in place. Inference of a trained model, {@code forward(x, false)} and
 * {@link #predict}, may run on any number of threads at once, each getting bit for bit what one
 * thread would, with or without a shared {@link Parallelism}; call {@link #useParallelism} before
 * sharing the model, and do not train it while it serves.
 */
public final class Sequential implements Layer {
    /** Type name in saved models. */
    public static final String TYPE = "Sequential";

    private final List<Layer> layers;
    /** Layer indices in the order forward runs them; backward runs them in reverse (unmodifiable). */
    private final List<Integer> order;
    /** The same indices grouped into the steps forward runs (unmodifiable lists of 1 or 2). */
    private final List<List<Integer>> steps;
    private Parallelism parallelism = Parallelism.sequential();

    /**
     * @param layers at least one layer, applied in this order (but see the execution order in the
     *     class comment)
     * @throws IllegalArgumentException if the list is empty
     */
    public Sequential(List<? extends Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a Sequential model needs at least one layer");
        }
        this.layers = List.copyOf(layers);
        this.steps = executionSteps(this.layers);
        this.order = steps.stream().flatMap(List::stream).toList();
        for (int k = 1; k < order.size(); k++) {
            // a layer after the first must pass dL/dx on, also a nested Sequential (whose own first
            // layer was told to skip it)
            this.layers.get(order.get(k)).setInputGradientNeeded(true);
        }
        setInputGradientNeeded(false);
    }

    /**
     * Varargs form of {@link #Sequential(List)}.
     *
     * @param layers at least one layer, applied in this order (but see the execution order in the
     *     class comment)
     * @return a new model of these layers
     * @throws IllegalArgumentException if no layer is given
     */
    public static Sequential of(Layer... layers) {
        return new Sequential(List.of(layers));
    }

    /**
     * The layers, in list order (unmodifiable); {@link #executionOrder()} gives the order they run in.
     *
     * @return the layers as given to the constructor (unmodifiable; the layers themselves are live)
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * The order in which {@link #forward} runs the layers; {@link #backward} runs them in reverse.
     * It is the list order, except that each {@link ReLU} directly followed by a {@link Pooling} with
     * stride 2 or more swaps places with it and runs inside it (see the class comment and
     * {@link #executionSteps()}). Such a ReLU's own {@code forward} and {@code backward} are then
     * never called: to run the model piece by piece alongside its {@code forward} or
     * {@code backward}, use {@link #forwardStep} and {@link #backwardStep}, not the layers in this
     * order (a ReLU's {@code backward} after the model's {@code forward} would use a stale output).
     *
     * @return layer indices into {@link #layers()}, in execution order (unmodifiable)
     */
    public List<Integer> executionOrder() {
        return order;
    }

    /**
     * The steps {@link #forward} runs, in order: {@link #executionOrder()} grouped so that a
     * {@link Pooling} and the {@link ReLU} that runs after it are one step ({@link
     * Pooling#forwardRectified}); every other layer is a step of its own. For the book's
     * SimpleConvNet: {@code [[0], [2, 1], [3], [4], [5]]}. Use them with {@link #forwardStep} and
     * {@link #backwardStep} to run the model step by step, as {@code bench} does to time each.
     *
     * @return per step the indices into {@link #layers()} of its layers (unmodifiable)
     */
    public List<List<Integer>> executionSteps() {
        return steps;
    }

    /**
     * Runs step {@code step} of {@link #executionSteps()} forward: what {@link #forward} does there.
     *
     * @param step index into {@link #executionSteps()}, from 0
     * @param x the previous step's output (the model's input, e.g. {@code (N, 1, 28, 28)}, for step 0)
     * @param training whether to keep what {@link #backwardStep} needs
     * @return the step's output, in the shape its last layer gives (e.g. {@code (N, 30, 12, 12)} for
     *     SimpleConvNet's pooling and ReLU)
     * @throws IllegalArgumentException if a layer cannot take {@code x} (naming the layer)
     * @throws IndexOutOfBoundsException if there is no such step
     */
    public Tensor forwardStep(int step, Tensor x, boolean training) {
        List<Integer> s = steps.get(step);
        int i = s.get(0);
        try {
            return s.size() == 2 ? ((Pooling) layers.get(i)).forwardRectified(x, training)
                    : layers.get(i).forward(x, training);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw rethrow(i, e);
        }
    }

    /**
     * Runs step {@code step} of {@link #executionSteps()} backward: what {@link #backward} does
     * there (a pooling run with the ReLU after it passes the gradient back through both).
     *
     * @param step index into {@link #executionSteps()}, from 0
     * @param dout dL/d(the step's output), in the shape of the step's last training output
     * @return dL/d(the step's input), in the shape of its last training input, or null from a first
     *     layer told it is not needed
     * @throws IllegalStateException if no training {@link #forwardStep} of this step came before
     * @throws IllegalArgumentException if {@code dout} does not have the step's output shape
     * @throws IndexOutOfBoundsException if there is no such step
     */
    public Tensor backwardStep(int step, Tensor dout) {
        int i = steps.get(step).get(0);
        try {
            return layers.get(i).backward(dout);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw rethrow(i, e);
        }
    }

    /**
     * The steps, each layer on its own except that every ReLU directly followed by a max pooling of
     * stride 2 or more joins that pooling as one step, pooling first. Sequential knows these two
     * layer types because the swap is exact only for them: ReLU is monotone and pooling takes a
     * maximum; a stride under 2 could make the pooled tensor the larger one.
     */
    private static List<List<Integer>> executionSteps(List<Layer> layers) {
        List<List<Integer>> steps = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (i + 1 < layers.size() && layers.get(i) instanceof ReLU
                    && layers.get(i + 1) instanceof Pooling pool && pool.geometry().stride() >= 2) {
                steps.add(List.of(i + 1, i));
                i++;
            } else {
                steps.add(List.of(i));
            }
        }
        return List.copyOf(steps);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor h = x;
        for (int k = 0; k < steps.size(); k++) {
            h = forwardStep(k, h, training);
        }
        return h;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Tensor g = dout;
        for (int k = steps.size() - 1; k >= 0; k--) {
            g = backwardStep(k, g);
        }
        return g;
    }

    /**
     * Inference on a whole data set in batches: logits {@code (N, K)}.
     *
     * @param x inputs, e.g. {@code (N, 1, 28, 28)}
     * @param batchSize samples per forward pass, at least 1
     * @return a new tensor of the N outputs, logits {@code (N, K)}; {@code (0, 0)} if N = 0
     * @throws IllegalArgumentException if {@code batchSize < 1}, {@code x} has no batch axis, or a
     *     layer cannot take the input (naming the layer)
     */
    public Tensor predict(Tensor x, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (x.rank() < 1) {
            throw new IllegalArgumentException("predict: expected a batch (N, …) but got shape " + x.shapeString());
        }
        int n = x.dim(0);
        Tensor result = null;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Tensor logits = forward(x.slice(from, to, null), false);
            if (result == null) {
                int[] s = logits.shape();
                s[0] = n;
                result = Tensor.zeros(s);
            }
            int row = logits.size() / (to - from);
            System.arraycopy(logits.data(), 0, result.data(), from * row, logits.size());
        }
        return result == null ? Tensor.zeros(0, 0) : result;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.parameters());
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * Parameters by qualified name, {@code "<layer index>.<parameter name>"} such as
     * {@code 0.weight}, in layer order.
     *
     * @return a new map of the model's own parameters (not copies)
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) {
                named.put(i + "." + p.name(), p);
            }
        }
        return named;
    }

    /**
     * Total number of learnable values.
     *
     * @return the summed element counts of all parameters (weights, biases, and any other, such as Swish's β)
     */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.value().size();
        }
        return n;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int[] s = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            try {
                s = layers.get(i).outputShape(s);
            } catch (IllegalArgumentException e) {
                throw rethrow(i, e);
            }
        }
        return s;
    }

    /**
     * A Keras-style table: each layer in list order with its output shape and parameter count, then
     * the total, and a line for each of this model's own ReLU layers that runs inside the pooling
     * following it (see {@link #executionSteps()}; a nested Sequential is one row, its steps not
     * listed).
     *
     * @param inputShape the shape of one batch, e.g. {@code (1, 1, 28, 28)}
     * @return the table as text, with {@code N} in place of the batch size in each output shape
     * @throws IllegalArgumentException if a layer does not accept the shape it gets (the message
     *     names the layer)
     */
    public String summary(int[] inputShape) {
        StringBuilder sb = new StringBuilder();
        String line = "-".repeat(66) + "\n";
        sb.append(String.format("%-32s %-20s %12s%n", "Layer (type)", "Output shape", "Param #"));
        sb.append("=".repeat(66)).append('\n');
        int[] s = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            try {
                s = l.outputShape(s);
            } catch (IllegalArgumentException e) {
                throw rethrow(i, e);
            }
            long count = 0;
            for (Parameter p : l.parameters()) {
                count += p.value().size();
            }
            int[] shown = s.clone();
            String shape = Shapes.format(shown).replaceFirst("^\\(\\d+", "(N");
            sb.append(String.format("%-32s %-20s %,12d%n", i + " " + l.spec().type(), shape, count));
        }
        sb.append(line);
        sb.append(String.format("Total params: %,d%n", parameterCount()));
        for (List<Integer> step : steps) {
            if (step.size() == 2) {
                sb.append(String.format("%d %s runs inside %d %s (same result, max(0, ·) of each pooled value)%n",
                        step.get(1), layers.get(step.get(1)).spec().type(), step.get(0),
                        layers.get(step.get(0)).spec().type()));
            }
        }
        return sb.toString();
    }

    /**
     * The specs of all layers, in order.
     *
     * @return a new list of each layer's {@link Layer#spec()}, in list order
     */
    public List<LayerSpec> layerSpecs() {
        List<LayerSpec> specs = new ArrayList<>();
        for (Layer l : layers) {
            specs.add(l.spec());
        }
        return specs;
    }

    @Override
    public LayerSpec spec() {
        return new LayerSpec(TYPE, Map.of("layers", layerSpecs()));
    }

    /**
     * The threads given by the last {@link #useParallelism} (the calling thread alone before that).
     *
     * @return the model's parallelism
     */
    public Parallelism parallelism() {
        return parallelism;
    }

    @Override
    public void useParallelism(Parallelism parallelism) {
        this.parallelism = parallelism;
        for (Layer l : layers) {
            l.useParallelism(parallelism);
        }
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        layers.get(order.get(0)).setInputGradientNeeded(needed);
    }

    private RuntimeException rethrow(int index, RuntimeException e) {
        String type = layers.get(index).spec().type();
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("layer ")) {
            return e;
        }
        if (message.startsWith(type + ": ")) {
            message = message.substring(type.length() + 2);
        }
        String full = "layer " + index + " (" + type + "): " + message;
        return e instanceof IllegalStateException
                ? new IllegalStateException(full, e)
                : new IllegalArgumentException(full, e);
    }

    @Override
    public String toString() {
        return TYPE + layers;
    }
}
