package org.scratchdl.layers;

import org.scratchdl.tensor.Tensor;

/**
 * A learnable tensor and its gradient dL/dθ, which always have the same shape.
 *
 * <p>The value is updated in place by an optimizer; the gradient is written by the owning layer's
 * {@code backward}. Names follow PyTorch ({@code weight}, {@code bias}).
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    /**
     * @param name the parameter's name within its layer, e.g. {@code weight}
     * @param value the initial value (kept, not copied)
     */
    public Parameter(String name, Tensor value) {
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
    }

    /**
     * The name within the owning layer, e.g. {@code weight} or {@code bias}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The value, updated in place by optimizers.
     *
     * @return the value tensor itself (not a copy)
     */
    public Tensor value() {
        return value;
    }

    /**
     * The gradient of the loss with respect to the value, same shape.
     *
     * @return the gradient tensor itself (not a copy), as the last {@code backward} wrote it
     */
    public Tensor grad() {
        return grad;
    }

    @Override
    public String toString() {
        return name + value.shapeString();
    }
}
