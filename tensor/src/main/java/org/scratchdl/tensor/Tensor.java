package org.scratchdl.tensor;

import java.util.Arrays;
import java.util.Random;

/**
 * A dense float32 tensor: a shape and a row-major (C order) {@code float[]}.
 *
 * <p>Image batches are NCHW {@code (N, C, H, W)}, as in Saito 2016 and PyTorch. {@link #reshape}
 * returns a view that shares the data; {@link #transpose} copies. Every operation checks shapes and
 * throws {@link IllegalArgumentException} naming the expected and the actual shape; an index out of
 * range ({@link #get}, {@link #set}) throws {@link IndexOutOfBoundsException}, and {@link #copyFrom}
 * compares element counts only.
 *
 * <p>The backing array is exposed by {@link #data()} for the compute kernels; callers that write to
 * it own the consequences. A tensor is not thread-safe while it is being written.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    private Tensor(float[] data, int[] shape) {
        this.shape = shape;
        this.data = data;
    }

    /**
     * Wraps {@code data} (not copied) as a tensor of the given shape.
     *
     * @param data the row-major values, kept as the backing array: later writes to it show in the tensor
     * @param shape the dimensions; copied
     * @return a tensor backed by {@code data}
     * @throws IllegalArgumentException if a dimension is negative or the element count differs from
     *     {@code data.length}
     */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.clone();
        long size = Shapes.size(s);
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Shapes.format(s) + " holds " + size
                    + " elements but the data has " + data.length);
        }
        return new Tensor(data, s);
    }

    /**
     * A tensor of zeros.
     *
     * @param shape the dimensions; copied
     * @return a new tensor of that shape, every element 0
     * @throws IllegalArgumentException if a dimension is negative or the element count exceeds
     *     {@code Integer.MAX_VALUE - 8}
     */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(new float[Shapes.checkedSize(s)], s);
    }

    /**
     * A tensor filled with {@code value}.
     *
     * @param value the value of every element
     * @param shape the dimensions; copied
     * @return a new tensor of that shape
     * @throws IllegalArgumentException if a dimension is negative or the element count exceeds
     *     {@code Integer.MAX_VALUE - 8}
     */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /**
     * {@code 0, 1, …, size−1} in the given shape, like NumPy's {@code arange(n).reshape(shape)}.
     *
     * @param shape the dimensions; copied
     * @return a new tensor whose element at row-major position {@code i} is {@code i} (as a float: exact up
     *     to 2²⁴)
     * @throws IllegalArgumentException if a dimension is negative or the element count exceeds
     *     {@code Integer.MAX_VALUE - 8}
     */
    public static Tensor arange(int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = i;
        }
        return t;
    }

    /**
     * Samples from N(0, std²) with the given generator (Saito 2016, §7.5: weight init {@code 0.01 *
     * randn}). The generator is advanced; pass a seeded one for reproducible weights.
     *
     * @param random the generator; one {@code nextGaussian()} per element, in row-major order
     * @param std the standard deviation, not checked (a negative one flips the signs)
     * @param shape the dimensions; copied
     * @return a new tensor of that shape
     * @throws IllegalArgumentException if a dimension is negative or the element count exceeds
     *     {@code Integer.MAX_VALUE - 8}
     */
    public static Tensor randn(Random random, float std, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (random.nextGaussian() * std);
        }
        return t;
    }

    /**
     * Returns {@code existing} if it has exactly {@code shape}, else a new zero tensor of that shape.
     *
     * @param existing the tensor to reuse, or {@code null}
     * @param shape the required dimensions; not modified
     * @return {@code existing} itself, its values unchanged (not zeroed), or the new tensor
     * @throws IllegalArgumentException if a new tensor is needed and a dimension is negative or the element
     *     count exceeds {@code Integer.MAX_VALUE - 8}
     */
    public static Tensor reuse(Tensor existing, int... shape) {
        if (existing != null && Arrays.equals(existing.shape, shape)) {
            return existing;
        }
        return zeros(shape);
    }

    /**
     * The shape (a copy).
     *
     * @return a new array of the dimensions, e.g. {@code (N, C, H, W)}
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The number of dimensions.
     *
     * @return the rank, e.g. 4 for an NCHW batch
     */
    public int rank() {
        return shape.length;
    }

    /**
     * The size of dimension {@code axis}; negative axes count from the end.
     *
     * @param axis the axis, from {@code -rank} to {@code rank − 1}
     * @return the size of that dimension
     * @throws IllegalArgumentException if {@code axis} is outside {@code [-rank, rank)}
     */
    public int dim(int axis) {
        int a = axis < 0 ? shape.length + axis : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + Shapes.format(shape));
        }
        return shape[a];
    }

    /**
     * The number of elements.
     *
     * @return the product of the dimensions, the length of the backing array
     */
    public int size() {
        return data.length;
    }

    /**
     * The backing row-major array (not a copy).
     *
     * @return the array itself: writes to it change this tensor and every view sharing it
     */
    public float[] data() {
        return data;
    }

    /**
     * True if this tensor has exactly the given shape.
     *
     * @param expected the dimensions to compare with; not modified
     * @return whether the rank and every dimension are equal
     */
    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /**
     * True if this tensor has the shape of {@code other}; copies neither shape.
     *
     * @param other the tensor to compare with; not modified
     * @return whether the rank and every dimension are equal
     */
    public boolean hasSameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /**
     * The shape as text, e.g. {@code (100, 1, 28, 28)}.
     *
     * @return the shape as {@link Shapes#format} writes it
     */
    public String shapeString() {
        return Shapes.format(shape);
    }

    /**
     * A view with a new shape sharing this tensor's data. One dimension may be {@code -1}, inferred
     * from the others (as in NumPy).
     *
     * @param newShape the dimensions, at most one of them {@code -1}; not modified
     * @return a view: a new tensor of the new shape on the same data
     * @throws IllegalArgumentException if more than one dimension is {@code -1}, another is negative, the
     *     {@code -1} cannot be inferred (the other dimensions multiply to 0 or do not divide the size), or
     *     the element counts differ
     */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one dimension may be -1 in " + Shapes.format(s));
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("negative dimension in " + Shapes.format(s));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || data.length % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + shapeString() + " to " + Shapes.format(s));
            }
            s[infer] = (int) (data.length / known);
        }
        if (Shapes.size(s) != data.length) {
            throw new IllegalArgumentException("cannot reshape " + shapeString() + " (" + data.length
                    + " elements) to " + Shapes.format(s));
        }
        return new Tensor(data, s);
    }

    /**
     * A copy with the axes permuted, like NumPy's {@code transpose(axes)}: output axis {@code i} is
     * input axis {@code axes[i]}.
     *
     * @param axes the permutation; not modified
     * @return a new tensor of shape {@code (shape[axes[0]], …, shape[axes[rank−1]])}, this one not modified
     * @throws IllegalArgumentException if {@code axes} is not a permutation of {@code 0..rank-1}
     */
    public Tensor transpose(int... axes) {
        return transposeInto(null, axes);
    }

    /**
     * As {@link #transpose(int...)}, writing into {@code out} when it already has the result's
     * shape (otherwise a new tensor is allocated).
     *
     * @param out overwritten when it has the result's shape, or {@code null}; must not share data with this
     *     tensor (not checked)
     * @param axes the permutation, output axis {@code i} being input axis {@code axes[i]}; not modified
     * @return {@code out} or the new tensor
     * @throws IllegalArgumentException if {@code axes} is not a permutation of {@code 0..rank-1}
     */
    public Tensor transposeInto(Tensor out, int... axes) {
        int r = shape.length;
        if (axes.length != r) {
            throw new IllegalArgumentException("transpose of " + shapeString() + " needs " + r + " axes, got "
                    + Arrays.toString(axes));
        }
        boolean[] seen = new boolean[r];
        int[] outShape = new int[r];
        for (int i = 0; i < r; i++) {
            if (axes[i] < 0 || axes[i] >= r || seen[axes[i]]) {
                throw new IllegalArgumentException("axes " + Arrays.toString(axes) + " are not a permutation of 0.."
                        + (r - 1));
            }
            seen[axes[i]] = true;
            outShape[i] = shape[axes[i]];
        }
        Tensor result = reuse(out, outShape);
        int[] inStrides = Shapes.strides(shape);
        int[] stridesInOutOrder = new int[r];
        for (int i = 0; i < r; i++) {
            stridesInOutOrder[i] = inStrides[axes[i]];
        }
        int[] index = new int[r];
        float[] dst = result.data;
        int src = 0;
        for (int o = 0; o < dst.length; o++) {
            dst[o] = data[src];
            for (int d = r - 1; d >= 0; d--) {
                index[d]++;
                src += stridesInOutOrder[d];
                if (index[d] < outShape[d]) {
                    break;
                }
                src -= stridesInOutOrder[d] * outShape[d];
                index[d] = 0;
            }
        }
        return result;
    }

    /**
     * The element at the given index.
     *
     * @param index one index per axis, e.g. {@code (n, c, h, w)}; not modified
     * @return the element at row-major offset {@code Σ index[i]·strides[i]}
     * @throws IllegalArgumentException if {@code index} has not one entry per axis
     * @throws IndexOutOfBoundsException if an entry is negative or not below its dimension
     */
    public float get(int... index) {
        return data[offset(index)];
    }

    /**
     * Sets the element at the given index.
     *
     * @param value the new value
     * @param index one index per axis, e.g. {@code (n, c, h, w)}; not modified
     * @throws IllegalArgumentException if {@code index} has not one entry per axis
     * @throws IndexOutOfBoundsException if an entry is negative or not below its dimension
     */
    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " does not fit shape " + shapeString());
        }
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape "
                        + shapeString());
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /**
     * A deep copy.
     *
     * @return a new tensor with its own copies of the shape and the data
     */
    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /**
     * Copies {@code source}'s values into this tensor.
     *
     * @param source the values, in row-major order; not modified, and its shape may differ from this one's
     * @throws IllegalArgumentException on a size mismatch (the element counts differ)
     */
    public void copyFrom(Tensor source) {
        if (source.data.length != data.length) {
            throw new IllegalArgumentException("cannot copy " + source.shapeString() + " into " + shapeString());
        }
        System.arraycopy(source.data, 0, data, 0, data.length);
    }

    /** Sets every element to zero. */
    public void fillZero() {
        Arrays.fill(data, 0f);
    }

    /**
     * Rows {@code [from, to)} along axis 0, copied into {@code out} when it already has the result's
     * shape (e.g. a mini-batch taken from a data set).
     *
     * @param from the first row, at least 0
     * @param to one past the last row, from {@code from} to {@code dim(0)}
     * @param out overwritten when it has shape {@code (to − from, …)}, or {@code null}
     * @return {@code out} or a new tensor of shape {@code (to − from, …)}: a copy, not a view
     * @throws IllegalArgumentException if this tensor is 0-D or {@code 0 ≤ from ≤ to ≤ dim(0)} does not hold
     */
    public Tensor slice(int from, int to, Tensor out) {
        if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") out of range for " + shapeString());
        }
        int[] s = shape.clone();
        s[0] = to - from;
        Tensor result = reuse(out, s);
        int row = data.length / Math.max(1, shape[0]);
        System.arraycopy(data, from * row, result.data, 0, (to - from) * row);
        return result;
    }

    /**
     * Index of the largest value in each row of a 2-D tensor (first one at a tie).
     *
     * @return for each row of the {@code (N, K)} tensor, a column index in {@code [0, K)} (0 when K is 0)
     * @throws IllegalArgumentException if this tensor is not 2-D
     */
    public int[] argmaxRows() {
        Shapes.requireRank(this, 2, "argmaxRows");
        int n = shape[0];
        int k = shape[1];
        int[] result = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (data[i * k + j] > data[i * k + best]) {
                    best = j;
                }
            }
            result[i] = best;
        }
        return result;
    }

    @Override
    public String toString() {
        int shown = Math.min(data.length, 8);
        StringBuilder sb = new StringBuilder("Tensor").append(shapeString()).append(" [");
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(data.length > shown ? ", …]" : "]").toString();
    }
}
