package org.scratchdl.tensor;

/** Shape helpers: sizes, strides, formatting and the checks every operation shares. */
public final class Shapes {
    private Shapes() {
    }

    /**
     * The element count of {@code shape} as a long, saturating instead of overflowing.
     *
     * @param shape the dimensions; not modified
     * @return the product of the dimensions (1 for rank 0; 0 when any dimension is 0), or
     *     {@code Long.MAX_VALUE} when it exceeds {@code Integer.MAX_VALUE}
     * @throws IllegalArgumentException if any dimension is negative
     */
    public static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + format(shape));
            }
            // held at 2^31 once past Integer.MAX_VALUE: no long overflow, and a later 0 still gives 0
            n = Math.min(n * d, 1L << 31);
        }
        return n > Integer.MAX_VALUE ? Long.MAX_VALUE : n;
    }

    /**
     * The element count of {@code shape}, checked to fit a Java array.
     *
     * @param shape the dimensions; not modified
     * @return the product of the dimensions, at most {@code Integer.MAX_VALUE - 8}
     * @throws IllegalArgumentException if a dimension is negative or the count exceeds
     *     {@code Integer.MAX_VALUE - 8}
     */
    public static int checkedSize(int[] shape) {
        long n = size(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + format(shape) + " has too many elements for one array");
        }
        return (int) n;
    }

    /**
     * The shape {@code (n, sampleShape…)} of a batch of {@code n} samples, e.g. (1, 1, 28, 28).
     *
     * @param n batch size N, not checked
     * @param sampleShape the shape of one sample, e.g. {@code (C, H, W)}; not modified
     * @return a new array of rank {@code sampleShape.length + 1}
     */
    public static int[] withBatch(int n, int[] sampleShape) {
        int[] s = new int[sampleShape.length + 1];
        s[0] = n;
        System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
        return s;
    }

    /**
     * Row-major strides of {@code shape}, in elements.
     *
     * @param shape the dimensions; not modified
     * @return a new array: element {@code i} is the product of {@code shape[i+1..]}, 1 for the last axis
     */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = stride;
            stride *= shape[i];
        }
        return s;
    }

    /**
     * A shape as text, e.g. {@code (2, 3, 4)}.
     *
     * @param shape the dimensions; not modified
     * @return the dimensions in parentheses, comma-separated; {@code (5,)} for rank 1, {@code ()} for rank 0
     */
    public static String format(int... shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * Checks that {@code t} has rank {@code rank}.
     *
     * @param t the tensor to check; not modified
     * @param rank the required number of dimensions
     * @param what names the operation or layer in the message
     * @throws IllegalArgumentException if the rank differs, naming the expected rank and the actual shape
     */
    public static void requireRank(Tensor t, int rank, String what) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(what + ": expected a " + rank + "-D tensor but got shape "
                    + t.shapeString());
        }
    }

    /**
     * Checks that {@code t} has exactly {@code expected} shape.
     *
     * @param t the tensor to check; not modified
     * @param expected the required shape; not modified
     * @param what names the operation or layer in the message
     * @throws IllegalArgumentException if the shape differs, naming the expected and the actual shape
     */
    public static void requireShape(Tensor t, int[] expected, String what) {
        if (!t.hasShape(expected)) {
            throw new IllegalArgumentException(what + ": expected shape " + format(expected) + " but got "
                    + t.shapeString());
        }
    }
}
