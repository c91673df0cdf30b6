package org.scratchdl.layers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.scratchdl.tensor.Tensor;

/** Reads the PyTorch reference values in {@code fixtures/layers-pytorch.json} (test resources). */
final class Fixtures {
    private Fixtures() {
    }

    static List<JsonNode> cases() {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/layers-pytorch.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<JsonNode> list = new ArrayList<>();
            root.get("cases").forEach(list::add);
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Tensor tensor(JsonNode node) {
        JsonNode shapeNode = node.get("shape");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt();
        }
        JsonNode dataNode = node.get("data");
        float[] data = new float[dataNode.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) dataNode.get(i).asDouble();
        }
        return Tensor.of(data, shape);
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
