package org.scratchdl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchdl.tensor.ConvGeometry;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Tensor;

/**
 * Convolution's dW and db bit for bit against the sums its class comment promises, written out as
 * plain loops: per part of the samples, dW as one fused multiply-add chain per element over the
 * samples and positions in order, db as one sum per sample over the positions from zero, added up;
 * the parts added in order. On data with zeros of both signs and subnormal numbers, for several
 * geometries (including filters of 16 and 32 values, a whole number of vectors) and thread counts.
 */
class ConvolutionGradientSumsTest {

    @ParameterizedTest(name = "N={0} C={1} {2}×{3} filters {4} kernel {5}×{6} stride {7} pad {8}, {9} threads")
    @CsvSource({"5, 1, 28, 28, 30, 5, 5, 1, 0, 1", "5, 1, 28, 28, 30, 5, 5, 1, 0, 2", "7, 3, 9, 11, 4, 3, 3, 2, 1, 3",
        "4, 2, 6, 6, 5, 1, 1, 1, 0, 2", "3, 1, 10, 10, 6, 4, 4, 1, 0, 2", "3, 2, 9, 8, 3, 4, 4, 2, 2, 1",
        "2, 1, 20, 20, 2, 17, 17, 1, 0, 2"})
    void weightAndBiasGradientsAreThePromisedSums(int n, int c, int h, int w, int filters, int kh, int kw,
                                                  int stride, int pad, int threads) {
        Random random = new Random(n * 1000L + h * 10L + kh);
        Tensor x = data(random, n, c, h, w);
        Tensor weight = data(random, filters, c, kh, kw);
        Convolution conv = new Convolution(weight, data(random, filters), stride, pad);
        try (Parallelism parallelism = Parallelism.of(threads)) {
            conv.useParallelism(parallelism);
            Tensor out = conv.forward(x, true);
            Tensor dout = data(random, out.shape());
            conv.backward(dout);
            float[][] expected = expectedSums(x, dout, new ConvGeometry(kh, kw, stride, pad), filters, threads);
            assertArrayEquals(bits(expected[0]), bits(conv.parameters().get(0).grad().data()), "dW");
            assertArrayEquals(bits(expected[1]), bits(conv.parameters().get(1).grad().data()), "db");
        }
    }

    /** {dW, db} as the class comment of Convolution describes them. */
    private static float[][] expectedSums(Tensor x, Tensor dout, ConvGeometry g, int filters, int threads) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = g.outH(h);
        int ow = g.outW(w);
        int positions = oh * ow;
        int k = c * g.kernelH() * g.kernelW();
        float[] gd = dout.data();
        int parts = Math.max(1, Math.min(threads, n));
        float[] dW = new float[filters * k];
        float[] db = new float[filters];
        for (int p = 0; p < parts; p++) {
            float[] partW = new float[filters * k];
            float[] partB = new float[filters];
            for (int i = Parallelism.partStart(n, parts, p); i < Parallelism.partStart(n, parts, p + 1); i++) {
                for (int f = 0; f < filters; f++) {
                    int gOff = (i * filters + f) * positions;
                    for (int e = 0; e < k; e++) {
                        float acc = partW[f * k + e];
                        for (int q = 0; q < positions; q++) {
                            acc = Math.fma(gd[gOff + q], column(x, i, g, q / ow, q % ow, e), acc);
                        }
                        partW[f * k + e] = acc;
                    }
                    float sum = 0f;
                    for (int q = 0; q < positions; q++) {
                        sum += gd[gOff + q];
                    }
                    partB[f] += sum;
                }
            }
            for (int j = 0; j < dW.length; j++) {
                dW[j] = p == 0 ? partW[j] : dW[j] + partW[j];
            }
            for (int f = 0; f < filters; f++) {
                db[f] = p == 0 ? partB[f] : db[f] + partB[f];
            }
        }
        return new float[][] {dW, db};
    }

    /** Element e (channel-major, then kernel row, then column) of output position (y, xo)'s window; 0 in the padding. */
    private static float column(Tensor x, int sample, ConvGeometry g, int y, int xo, int e) {
        int kArea = g.kernelH() * g.kernelW();
        int ch = e / kArea;
        int row = y * g.stride() - g.pad() + (e % kArea) / g.kernelW();
        int col = xo * g.stride() - g.pad() + e % g.kernelW();
        int h = x.dim(2);
        int w = x.dim(3);
        if (row < 0 || row >= h || col < 0 || col >= w) {
            return 0f;
        }
        return x.data()[((sample * x.dim(1) + ch) * h + row) * w + col];
    }

    /** Gaussian values, with zeros of both signs and subnormal numbers among them. */
    private static Tensor data(Random random, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            int r = random.nextInt(10);
            d[i] = r == 0 ? 0f : r == 1 ? -0f : r == 2 ? Float.MIN_VALUE * random.nextInt(1000) : (float) random.nextGaussian();
        }
        return t;
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }
}
