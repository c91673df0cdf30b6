package org.scratchdl.tensor;

/** Raw float bits for exact comparisons in tests (−0 and NaN payloads included). */
final class FloatBits {
    private FloatBits() {
    }

    /** {@link Float#floatToRawIntBits} of every element. */
    static int[] of(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }
}
