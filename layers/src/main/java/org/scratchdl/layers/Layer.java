package org.scratchdl.layers;

import java.util.List;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * A differentiable building block with the book's forward/backward contract (Saito 2016, §5.4).
 *
 * <p>Lifecycle: construct (parameters initialised from an explicit seed or given), then alternate
 * {@code forward(x, true)} and {@code backward(dout)} during training; use {@code forward(x, false)}
 * for inference.
 *
 * <ul>
 *   <li>{@link #forward} with {@code training = true} caches what {@link #backward} needs and may
 *       reuse internal buffers between calls, so the returned tensor is valid until the next call.
 *       What it caches may be {@code x} itself rather than a copy (a convolution and a pooling layer
 *       keep their input), so leave {@code x} unchanged until {@link #backward}. A training layer
 *       is therefore not thread-safe.
 *   <li>{@link #forward} with {@code training = false} caches nothing and allocates its result; a
 *       trained layer may serve inference from several threads at once.
 *   <li>{@link #backward} takes dL/dout (shape of the last training output), never modifies it,
 *       returns dL/dx in the shape of the last training input, and stores dL/dθ in each
 *       {@link Parameter#grad()} (overwriting, not accumulating).
 * </ul>
 *
 * <p>Thread safety: a layer in training (forward with {@code training = true}, {@link #backward},
 * an optimizer step on its {@link #parameters()}) belongs to one thread. Once trained, any number of
 * threads may call {@code forward(x, false)} at once and get the results one thread would, bit for
 * bit, as long as nobody trains the layer or calls {@link #useParallelism} or
 * {@link #setInputGradientNeeded} meanwhile (configure first, then share). Inputs are never modified.
 *
 * <p>Shape errors are {@link IllegalArgumentException}s naming what was expected and what came.
 */
public interface Layer {

    /**
     * Computes the layer's output.
     *
     * @param x input, e.g. NCHW {@code (N, C, H, W)} for image layers
     * @param training whether to cache for a following {@link #backward}
     * @return the output, e.g. {@code (N, FN, OH, OW)} for a convolution; after a training call a
     *     buffer the layer reuses, valid until its next call
     * @throws IllegalArgumentException if {@code x} has a shape the layer cannot take
     */
    Tensor forward(Tensor x, boolean training);

    /**
     * Back-propagates dL/dout.
     *
     * @param dout gradient of the loss with respect to the last training output (same shape)
     * @return dL/dx with the shape of the last training input
     * @throws IllegalStateException if no training forward preceded it
     * @throws IllegalArgumentException if {@code dout} does not have the output's shape
     */
    Tensor backward(Tensor dout);

    /**
     * The learnable parameters, in a fixed order (empty for layers without any).
     *
     * @return the layer's own parameters (not copies), which an optimizer updates in place
     */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * The output shape for a given input shape, without training side effects. The default runs an
     * inference forward on zeros; layers override it with arithmetic.
     *
     * @param inputShape the input shape including the batch dimension N (not modified)
     * @return the output shape, a new array
     * @throws IllegalArgumentException if the layer cannot take that input shape
     */
    default int[] outputShape(int[] inputShape) {
        return forward(Tensor.zeros(inputShape), false).shape();
    }

    /**
     * The layer's type name and hyper-parameters, used to save and rebuild it via {@link LayerRegistry}.
     *
     * @return the spec, without the learned values
     */
    LayerSpec spec();

    /**
     * Sets the threads used by this layer's compute kernels (default: the calling thread only).
     * Layers without heavy computation ignore it.
     *
     * @param parallelism the threads to use (kept, not closed, by the layer)
     */
    default void useParallelism(Parallelism parallelism) {
    }

    /**
     * Tells the layer whether {@link #backward} must compute dL/dx. The first layer of a model does
     * not need it (nothing comes before), which saves a large part of a convolution's backward pass;
     * {@link #backward} then returns {@code null}. Default: needed, and layers may ignore the hint.
     *
     * @param needed whether {@link #backward} must compute and return dL/dx
     */
    default void setInputGradientNeeded(boolean needed) {
    }

    /**
     * The checks at the start of every {@link #backward}: a training forward came before (it left
     * {@code trainingOutput}, the output a layer keeps for backward), and {@code dout} has that
     * output's shape.
     *
     * @param type the layer type, for the message
     * @param trainingOutput the output of the last training forward, or {@code null} if none
     * @param dout dL/dy as given to backward
     * @throws IllegalStateException if {@code trainingOutput} is null
     * @throws IllegalArgumentException if {@code dout}'s shape differs from it (naming both shapes)
     */
    static void requireBackwardInput(String type, Tensor trainingOutput, Tensor dout) {
        if (trainingOutput == null) {
            throw new IllegalStateException(type + ": backward called before a training forward");
        }
        Shapes.requireShape(dout, trainingOutput.shape(), type + " backward dout");
    }
}
