package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.tensor.Tensor;

/**
 * Reads the SimpleConvNet weights that PyTorch wrote (test resource
 * {@code fixtures/torch-simpleconvnet}, a copy of the reference fixture; see its README).
 */
class SafeTensorsTorchFixtureTest {
    private static final String RELATIVE = "torch-simpleconvnet/model.safetensors";
    private static Path model;

    @BeforeAll
    static void locate() throws Exception {
        model = Path.of(SafeTensorsTorchFixtureTest.class.getResource("/fixtures/" + RELATIVE).toURI());
    }

    @Test
    void namesShapesAndMetadataMatchTheReadme() throws IOException {
        SafeTensorsFile file = SafeTensors.read(model);
        assertEquals(List.of("0.weight", "0.bias", "4.weight", "4.bias", "6.weight", "6.bias"),
                List.copyOf(file.tensors().keySet()));
        assertArrayEquals(new int[] {30, 1, 5, 5}, file.tensor("0.weight").shape());
        assertArrayEquals(new int[] {30}, file.tensor("0.bias").shape());
        assertArrayEquals(new int[] {100, 4320}, file.tensor("4.weight").shape());
        assertArrayEquals(new int[] {100}, file.tensor("4.bias").shape());
        assertArrayEquals(new int[] {10, 100}, file.tensor("6.weight").shape());
        assertArrayEquals(new int[] {10}, file.tensor("6.bias").shape());
        assertEquals("pt", file.metadata().get("format"));
    }

    @Test
    void valuesArePlausibleTrainedWeights() throws IOException {
        SafeTensorsFile file = SafeTensors.read(model);
        // first and last elements, decoded independently from the file's bytes
        assertEquals(0.1295405924320221f, file.tensor("0.weight").get(0, 0, 0, 0));
        assertEquals(0.02633485570549965f, file.tensor("0.weight").get(29, 0, 4, 4));
        assertEquals(-0.01508049201220274f, file.tensor("4.weight").get(0, 0));
        assertEquals(-0.054012928158044815f, file.tensor("6.bias").get(9));
        for (Map.Entry<String, Tensor> e : file.tensors().entrySet()) {
            float[] v = e.getValue().data();
            double sumAbs = 0;
            for (float x : v) {
                assertTrue(Float.isFinite(x) && Math.abs(x) < 1f, e.getKey() + " holds " + x);
                sumAbs += Math.abs(x);
            }
            double meanAbs = sumAbs / v.length;
            // about 1/sqrt(fan_in) scale, as PyTorch initialises: 0.12 (conv), 0.015 (4320 inputs), 0.06
            assertTrue(meanAbs > 1e-3 && meanAbs < 0.3, e.getKey() + " mean |w| = " + meanAbs);
        }
    }

    @Test
    void rewritingGivesTheSameDataSectionByteForByte(@TempDir Path dir) throws IOException {
        SafeTensorsFile file = SafeTensors.read(model);
        Path copy = dir.resolve("copy.safetensors");
        SafeTensors.write(copy, file.tensors(), file.metadata());

        byte[] original = Files.readAllBytes(model);
        byte[] ours = Files.readAllBytes(copy);
        assertArrayEquals(dataSection(original), dataSection(ours));
        SafeTensorsFile back = SafeTensors.read(copy);
        assertEquals(file.metadata(), back.metadata());
        for (String name : file.tensors().keySet()) {
            assertArrayEquals(file.tensor(name).data(), back.tensor(name).data(), name);
        }
    }

    private static byte[] dataSection(byte[] file) {
        long headerLength = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return Arrays.copyOfRange(file, (int) (8 + headerLength), file.length);
    }
}
