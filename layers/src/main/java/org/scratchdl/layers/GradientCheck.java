package org.scratchdl.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.scratchdl.tensor.Tensor;

/**
 * Checks a layer's analytic gradients against central differences (Saito 2016, §4.3 and §5.7.3),
 * for dL/dx and for every parameter. Usable from any JUnit test on any {@link Layer}:
 *
 * <pre>{@code
 * GradientCheck.assertGradientsMatch(new MyLayer(...), input);
 * }</pre>
 *
 * <p>The scalar loss is {@code L = Σ_i r_i · y_i} for a fixed random {@code r} (so
 * {@code dout = r}). The layer's forward runs in float32; each numerical derivative
 * {@code (L(θ + ε) − L(θ − ε)) / 2ε} is computed in double from those float outputs. An element
 * passes when {@code |analytic − numeric| ≤ absoluteTolerance + relativeTolerance · max(|analytic|,
 * |numeric|)}. Large tensors are checked on a random sample of elements.
 *
 * <p>Inputs should keep away from kinks (ReLU at 0, ties in max pooling) by more than ε.
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /**
     * How to check.
     *
     * @param epsilon step ε of the central difference, in input units
     * @param relativeTolerance allowed error relative to the gradient's magnitude
     * @param absoluteTolerance allowed error regardless of magnitude
     * @param maxElementsPerTensor elements checked per tensor (a seeded random sample beyond this)
     * @param seed seed for {@code r} and the sample
     */
    public record Options(double epsilon, double relativeTolerance, double absoluteTolerance,
                          int maxElementsPerTensor, long seed) {
        /**
         * @param epsilon step ε of the central difference, greater than 0
         * @param relativeTolerance allowed relative error, at least 0
         * @param absoluteTolerance allowed absolute error, at least 0
         * @param maxElementsPerTensor elements checked per tensor, at least 1
         * @param seed seed for {@code r} and the sample
         * @throws IllegalArgumentException if {@code epsilon} is not above 0, a tolerance is negative,
         *     {@code epsilon} or a tolerance is NaN, or {@code maxElementsPerTensor} is below 1
         */
        public Options {
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("gradient check: epsilon must be greater than 0, got " + epsilon);
            }
            if (!(relativeTolerance >= 0) || !(absoluteTolerance >= 0)) {
                throw new IllegalArgumentException("gradient check: tolerances must be at least 0, got relative "
                        + relativeTolerance + " and absolute " + absoluteTolerance);
            }
            if (maxElementsPerTensor < 1) {
                throw new IllegalArgumentException("gradient check: maxElementsPerTensor must be at least 1, got "
                        + maxElementsPerTensor);
            }
        }

        /**
         * ε = 1e-2, relative 1e-2, absolute 1e-3, 200 elements per tensor, seed 42: suited to float32.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(1e-2, 1e-2, 1e-3, 200, 42);
        }
    }

    /**
     * The worst element found: the one furthest beyond its tolerance, or, when all pass, the one
     * closest to it.
     *
     * @param tensor {@code x} or the parameter's name
     * @param index flat (row-major) index within that tensor
     * @param analytic the layer's gradient there
     * @param numeric the central difference there
     * @param checked how many elements were compared in all
     * @param passed whether every element was within tolerance
     */
    public record Result(String tensor, int index, double analytic, double numeric, int checked, boolean passed) {
        /**
         * A one-line report, e.g. for an assertion message.
         *
         * @return whether the gradients match, the worst element's values and their difference, and
         *     the number of elements checked
         */
        public String report() {
            return (passed ? "gradients match" : "gradient mismatch") + ": worst element " + tensor + "[" + index
                    + "] analytic " + analytic + " vs numeric " + numeric + " (|diff| "
                    + Math.abs(analytic - numeric) + "), " + checked + " elements checked";
        }
    }

    /**
     * Runs the check with {@link Options#defaults()}.
     *
     * @param layer the layer to check, as for {@link #check(Layer, Tensor, Options)}
     * @param x an input the layer accepts (restored afterwards)
     * @return the worst element and whether all passed
     * @throws IllegalArgumentException if the layer rejects {@code x}
     */
    public static Result check(Layer layer, Tensor x) {
        return check(layer, x, Options.defaults());
    }

    /**
     * Runs the check. {@code x} is restored afterwards; parameter values are restored too.
     *
     * @param layer the layer to check; afterwards dL/dx is enabled
     *     ({@link Layer#setInputGradientNeeded}), its parameter gradients are those of the check's loss
     *     and its last training forward is on {@code x}
     * @param x an input the layer accepts; the checked elements are perturbed by ±ε during the check
     * @param options how to check
     * @return the worst element and whether all passed
     * @throws IllegalArgumentException if the layer rejects {@code x}
     */
    public static Result check(Layer layer, Tensor x, Options options) {
        layer.setInputGradientNeeded(true);
        Random random = new Random(options.seed());
        Tensor y = layer.forward(x, true);
        Tensor r = Tensor.zeros(y.shape());
        for (int i = 0; i < r.size(); i++) {
            r.data()[i] = (float) (random.nextDouble() * 2 - 1);
        }
        Tensor dx = layer.backward(r.copy()).copy();

        List<String> names = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        List<Tensor> analytic = new ArrayList<>();
        names.add("x");
        values.add(x);
        analytic.add(dx);
        for (Parameter p : layer.parameters()) {
            names.add(p.name());
            values.add(p.value());
            analytic.add(p.grad().copy());
        }

        Worst worst = new Worst();
        for (int t = 0; t < values.size(); t++) {
            float[] v = values.get(t).data();
            float[] a = analytic.get(t).data();
            for (int index : sample(v.length, options.maxElementsPerTensor(), random)) {
                float saved = v[index];
                float up = (float) (saved + options.epsilon());
                float down = (float) (saved - options.epsilon());
                v[index] = up;
                double plus = loss(layer, x, r);
                v[index] = down;
                double minus = loss(layer, x, r);
                v[index] = saved;
                double numeric = (plus - minus) / ((double) up - down); // the step float32 really took
                worst.consider(names.get(t), index, a[index], numeric, options);
            }
        }
        layer.forward(x, true);
        return worst.result();
    }

    /**
     * Runs the check with default options and throws if any element is out of tolerance.
     *
     * @param layer the layer to check, as for {@link #check(Layer, Tensor, Options)}
     * @param x an input the layer accepts (restored afterwards)
     * @return the result, which passed
     * @throws AssertionError with {@link Result#report()} on a mismatch
     * @throws IllegalArgumentException if the layer rejects {@code x}
     */
    public static Result assertGradientsMatch(Layer layer, Tensor x) {
        return assertGradientsMatch(layer, x, Options.defaults());
    }

    /**
     * As {@link #assertGradientsMatch(Layer, Tensor)} with the given options.
     *
     * @param layer the layer to check, as for {@link #check(Layer, Tensor, Options)}
     * @param x an input the layer accepts (restored afterwards)
     * @param options how to check
     * @return the result, which passed
     * @throws AssertionError with {@link Result#report()} on a mismatch
     * @throws IllegalArgumentException if the layer rejects {@code x}
     */
    public static Result assertGradientsMatch(Layer layer, Tensor x, Options options) {
        Result result = check(layer, x, options);
        if (!result.passed()) {
            throw new AssertionError(layer + ": " + result.report());
        }
        return result;
    }

    private static double loss(Layer layer, Tensor x, Tensor r) {
        float[] y = layer.forward(x, true).data();
        float[] w = r.data();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += (double) w[i] * y[i];
        }
        return sum;
    }

    private static int[] sample(int size, int max, Random random) {
        if (size <= max) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        for (int i = 0; i < max; i++) { // the first max of a Fisher–Yates shuffle: distinct elements
            int j = i + random.nextInt(size - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        return java.util.Arrays.copyOf(all, max);
    }

    private static final class Worst {
        private String tensor = "x";
        private int index;
        private double analytic;
        private double numeric;
        private double excess = Double.NEGATIVE_INFINITY;
        private int checked;
        private boolean passed = true;

        void consider(String name, int i, double a, double n, Options o) {
            checked++;
            double allowed = o.absoluteTolerance() + o.relativeTolerance() * Math.max(Math.abs(a), Math.abs(n));
            double diff = Math.abs(a - n);
            if (!(diff <= allowed)) {
                passed = false;
            }
            double e = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff - allowed;
            if (e > excess) {
                excess = e;
                tensor = name;
                index = i;
                analytic = a;
                numeric = n;
            }
        }

        Result result() {
            return new Result(tensor, index, analytic, numeric, checked, passed);
        }
    }
}
