package org.scratchdl.tensor;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Not a test: a command-line throughput measurement of the matrix-multiply kernels on the shapes of
 * SimpleConvNet's training step (batch 100; the convolution's per sample), printed as GFLOP/s
 * (2·m·n·k per call). With {@code only=TEXT} (the cases whose name contains TEXT) picking one case
 * per JVM, each JVM compiles the kernels for that one shape, which shows how the compiled code's
 * speed varies from JVM to JVM. The convolution's dW case starts from zero, where training adds to
 * C, and training runs the convolution's multiplies on one thread each.
 *
 * <p>Run from the tensor module (with {@code --add-modules jdk.incubator.vector}):
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:<ejml jars>
 * org.scratchdl.tensor.GemmBenchmark [seconds-per-case] [options]}; see {@link #main}. Times are
 * the fastest call of each case (other processes may share the cores).
 */
public final class GemmBenchmark {
    /** With {@code -Dcputime=true}, times are the calling thread's CPU time (meaningful for one thread only). */
    private static final boolean CPU_TIME = Boolean.getBoolean("cputime");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private GemmBenchmark() {
    }

    /**
     * One multiply, called {@code perStep} times in a batch-100 SimpleConvNet training step (0 when
     * it is not part of one). The convolution multiplies one sample at a time.
     */
    private record Case(String name, boolean transA, boolean transB, int m, int n, int k, int perStep) {
    }

    private static final Case[] CASES = {
        new Case("conv fwd    W·colᵀ, a sample  30×25·25×576", false, false, 30, 576, 25, 100),
        new Case("conv dW+db  dout·[col|1]      30×576·576×26", false, false, 30, 26, 576, 100),
        new Case("conv dx     doutᵀ·W           (30×576)ᵀ·30×25", true, false, 576, 25, 30, 0),
        new Case("affine fwd  x·W           100×4320·4320×100", false, false, 100, 100, 4320, 1),
        new Case("affine dx   dout·Wᵀ       100×100·(4320×100)ᵀ", false, true, 100, 4320, 100, 1),
        new Case("affine dW   xᵀ·dout       (100×4320)ᵀ·100×100", true, false, 4320, 100, 100, 1),
        new Case("affine2 fwd               100×100·100×10", false, false, 100, 10, 100, 1),
        new Case("affine2 dx                100×10·(100×10)ᵀ", false, true, 100, 100, 10, 1),
        new Case("affine2 dW                (100×100)ᵀ·100×10", true, false, 100, 10, 100, 1),
        new Case("square                    1024×1024·1024×1024", false, false, 1024, 1024, 1024, 0),
    };

    /**
     * Runs every case. Arguments: seconds per measurement (default 1), then optionally
     * {@code noejml} (skip EJML), {@code 1t} (skip the two-thread runs) and {@code only=TEXT} (run
     * only the cases whose name contains TEXT).
     */
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        List<String> options = Arrays.asList(args);
        boolean ejml = !options.contains("noejml");
        boolean twoThreads = !options.contains("1t");
        String only = options.stream().filter(o -> o.startsWith("only=")).map(o -> o.substring(5))
                .findFirst().orElse("");
        GemmKernel fast = GemmKernel.fastest();
        System.out.println("fast kernel: " + fast.getClass().getSimpleName());
        System.out.printf("%-50s %10s %10s %10s %10s%n", "shape", "fast 1T", "fast 2T", "2T by CPU", "EJML");
        double totalTime1 = 0;
        try (Parallelism two = Parallelism.of(2)) {
            warmUp(fast, two, only);
            for (Case cs : CASES) {
                if (!cs.name.contains(only)) {
                    continue;
                }
                Random random = new Random(42);
                float[] a = random(random, cs.m * cs.k);
                float[] b = random(random, cs.k * cs.n);
                float[] c = new float[cs.m * cs.n];
                double flops = 2.0 * cs.m * cs.n * cs.k;
                double t1 = time(() -> run(fast, cs, a, b, c, Parallelism.sequential()), seconds);
                double t2 = twoThreads ? time(() -> run(fast, cs, a, b, c, two), seconds) : Double.NaN;
                double cpu2 = twoThreads ? processCpuPerCall(() -> run(fast, cs, a, b, c, two), seconds) : Double.NaN;
                double te = ejml ? time(() -> run(EjmlGemm.INSTANCE, cs, a, b, c, Parallelism.sequential()),
                        Math.min(seconds, 1.0)) : Double.NaN;
                totalTime1 += cs.perStep * t1;
                System.out.printf("%-50s %10.1f %10.1f %10.1f %10.1f   (%.3f / %.3f ms)%n", cs.name,
                        flops / t1 / 1e9, flops / t2 / 1e9, 2 * flops / cpu2 / 1e9, flops / te / 1e9, t1 * 1e3,
                        t2 * 1e3);
            }
        }
        if (only.isEmpty()) {
            System.out.printf("sum over the multiplies of one batch-100 training step, one thread: %.2f ms%n",
                    totalTime1 * 1e3);
        }
    }

    /**
     * Mean CPU time of the whole process per call, over about {@code seconds} of calls: with two
     * threads, half of it is the wall time two otherwise idle cores would take (if the parts are
     * balanced), which the "2T by CPU" column reports as GFLOP/s.
     */
    private static double processCpuPerCall(Runnable r, double seconds) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long cpu0 = os.getProcessCpuTime();
        int calls = 0;
        while (System.nanoTime() - start < budget || calls < 3) {
            r.run();
            calls++;
        }
        return (os.getProcessCpuTime() - cpu0) / 1e9 / calls;
    }

    private static void run(GemmKernel kernel, Case cs, float[] a, float[] b, float[] c, Parallelism parallelism) {
        kernel.gemm(cs.transA, cs.transB, cs.m, cs.n, cs.k, a, 0, b, 0, c, 0, false, parallelism);
    }

    /**
     * Runs every selected case with one and two threads until each has run for 0.2 s and 5 s have
     * passed in all, so that the JIT has compiled the kernels before anything is timed (it can take
     * seconds when the cores are busy).
     */
    private static void warmUp(GemmKernel fast, Parallelism two, String only) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 5_000_000_000L) {
            for (Case cs : CASES) {
                if (!cs.name.contains(only)) {
                    continue;
                }
                float[] a = new float[cs.m * cs.k];
                float[] b = new float[cs.k * cs.n];
                float[] c = new float[cs.m * cs.n];
                long t0 = System.nanoTime();
                do {
                    run(fast, cs, a, b, c, Parallelism.sequential());
                    run(fast, cs, a, b, c, two);
                } while (System.nanoTime() - t0 < 200_000_000L);
            }
        }
    }

    private static float[] random(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /**
     * Fastest seconds per call over about {@code seconds} of calls, after a warm-up of half that:
     * the least disturbed run, as other processes may share the cores.
     */
    private static double time(Runnable r, double seconds) {
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        while (System.nanoTime() - start < budget / 2) {
            r.run();
        }
        double[] samples = new double[4096];
        int count = 0;
        start = System.nanoTime();
        while ((System.nanoTime() - start < budget || count < 3) && count < samples.length) {
            long t0 = CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
            r.run();
            long t1 = CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
            samples[count++] = (t1 - t0) / 1e9;
        }
        double[] s = Arrays.copyOf(samples, count);
        Arrays.sort(s);
        return s[0];
    }
}
