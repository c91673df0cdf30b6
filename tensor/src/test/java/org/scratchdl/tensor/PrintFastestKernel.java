package org.scratchdl.tensor;

/**
 * Not a test: prints the simple class name of {@link GemmKernel#fastest()} and the result of a 2×2
 * multiply, for {@link FastestKernelTest} to run in a JVM without the Vector API module.
 */
public final class PrintFastestKernel {
    private PrintFastestKernel() {
    }

    /** Prints e.g. {@code EjmlGemm 19.0 22.0 43.0 50.0}. */
    public static void main(String[] args) {
        float[] c = new float[4];
        MatMul.gemm(false, false, 2, 2, 2, new float[] {1, 2, 3, 4}, 0, new float[] {5, 6, 7, 8}, 0, c, 0, false,
                Parallelism.sequential());
        System.out.println(GemmKernel.fastest().getClass().getSimpleName() + " " + c[0] + " " + c[1] + " " + c[2]
                + " " + c[3]);
    }
}
