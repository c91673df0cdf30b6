package org.scratchdl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.scratchdl.layers.TensorAssert.assertClose;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Tensor;

/** Splitting work over threads changes nothing but the order of the convolution's dW/db sums. */
class ParallelLayersTest {

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 3, 8})
    void sameResultsAsOneThreadAndReproducible(int threads) {
        Random r = new Random(21);
        Tensor x = Tensor.randn(r, 1f, 7, 2, 9, 8);
        Convolution one = Convolution.initialized(2, 5, 3, 2, 1, new Random(3), 0.3f);
        Tensor dout = Tensor.randn(r, 1f, one.outputShape(x.shape()));
        Tensor out1 = one.forward(x, true).copy();
        Tensor dx1 = one.backward(dout).copy();

        try (Parallelism parallelism = Parallelism.of(threads)) {
            Convolution many = Convolution.initialized(2, 5, 3, 2, 1, new Random(3), 0.3f);
            many.useParallelism(parallelism);
            assertArrayEquals(out1.data(), many.forward(x, true).data(), "forward is per sample: identical");
            assertArrayEquals(dx1.data(), many.backward(dout).data(), "dx is per sample: identical");
            assertClose(one.parameters().get(0).grad(), many.parameters().get(0).grad(), 1e-4, 1e-5, "dW (sums in another order)");
            assertClose(one.parameters().get(1).grad(), many.parameters().get(1).grad(), 1e-4, 1e-5, "db (sums in another order)");

            float[] dW = many.parameters().get(0).grad().data().clone();
            many.forward(x, true);
            many.backward(dout);
            assertArrayEquals(dW, many.parameters().get(0).grad().data(), "same thread count: same bits");
            assertArrayEquals(out1.data(), many.forward(x, false).data(), "inference forward");
        }
    }

    /** Pooling and ReLU split planes or elements: bit-identical to one thread (inputs large enough to split). */
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 3})
    void poolingAndReluIdenticalToOneThread(int threads) {
        Random r = new Random(8);
        Tensor x = Tensor.randn(r, 1f, 20, 6, 24, 24);
        Tensor dout = Tensor.randn(r, 1f, 20, 6, 12, 12);
        Pooling pool1 = new Pooling(2, 2, 2, 0);
        ReLU relu1 = new ReLU();
        Tensor p1 = pool1.forward(x, true).copy();
        Tensor pdx1 = pool1.backward(dout).copy();
        Tensor r1 = relu1.forward(x, true).copy();
        Tensor rdx1 = relu1.backward(x).copy();
        try (Parallelism parallelism = Parallelism.of(threads)) {
            Pooling pool = new Pooling(2, 2, 2, 0);
            ReLU relu = new ReLU();
            pool.useParallelism(parallelism);
            relu.useParallelism(parallelism);
            assertArrayEquals(p1.data(), pool.forward(x, true).data());
            assertArrayEquals(pdx1.data(), pool.backward(dout).data());
            assertArrayEquals(r1.data(), relu.forward(x, true).data());
            assertArrayEquals(rdx1.data(), relu.backward(x).data());
        }
    }
}
