package org.scratchdl.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.scratchdl.layers.TensorAssert.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchdl.tensor.Tensor;

/** Every case of the PyTorch reference file, forward and backward (float32 vs float64 reference). */
class PyTorchFixtureTest {
    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-5;

    static Stream<Named<JsonNode>> cases() {
        return Fixtures.cases().stream().map(c -> Named.of(c.get("name").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(JsonNode c) {
        String op = c.get("op").asText();
        String name = c.get("name").asText();
        Tensor x = Fixtures.tensor(c.get("x"));
        JsonNode p = c.get("params");
        Layer layer;
        switch (op) {
            case "softmax_with_loss" -> {
                SoftmaxWithLoss loss = new SoftmaxWithLoss();
                float l = loss.forward(x, Fixtures.ints(c.get("labels")));
                assertEquals(c.get("loss").asDouble(), l, 1e-5 * Math.max(1, Math.abs(c.get("loss").asDouble())), name);
                assertClose(Fixtures.tensor(c.get("dx")), loss.backward(), RTOL, ATOL, name + " dx");
                return;
            }
            case "convolution" -> layer = new Convolution(Fixtures.tensor(c.get("W")), Fixtures.tensor(c.get("b")),
                    p.get("stride").asInt(), p.get("pad").asInt());
            case "max_pooling" -> layer = new Pooling(p.get("pool_h").asInt(), p.get("pool_w").asInt(),
                    p.get("stride").asInt(), p.get("pad").asInt());
            case "affine" -> layer = new Affine(Fixtures.tensor(c.get("W")), Fixtures.tensor(c.get("b")));
            case "relu" -> layer = new ReLU();
            default -> throw new AssertionError("unknown op " + op);
        }
        Tensor inference = layer.forward(x, false);
        assertClose(Fixtures.tensor(c.get("out")), inference, RTOL, ATOL, name + " out (inference)");
        Tensor out = layer.forward(x, true);
        assertClose(Fixtures.tensor(c.get("out")), out, RTOL, ATOL, name + " out");
        Tensor dout = Fixtures.tensor(c.get("dout"));
        Tensor doutBefore = dout.copy();
        Tensor dx = layer.backward(dout);
        assertClose(Fixtures.tensor(c.get("dx")), dx, RTOL, ATOL, name + " dx");
        assertClose(doutBefore, dout, 0, 0, name + " dout must not be modified");
        if (c.has("dW")) {
            assertClose(Fixtures.tensor(c.get("dW")), layer.parameters().get(0).grad(), RTOL, ATOL, name + " dW");
            assertClose(Fixtures.tensor(c.get("db")), layer.parameters().get(1).grad(), RTOL, ATOL, name + " db");
        }
    }
}
