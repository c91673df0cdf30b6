package org.scratchdl.examples.custom;

import org.scratchdl.data.MnistDataset;
import org.scratchdl.data.DataLocator;
import java.util.Optional;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.data.MnistData;
import org.scratchdl.data.TrainTestSplit;
import org.scratchdl.io.ModelFile;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.network.Sequential;
import org.scratchdl.tensor.Tensor;

/**
 * {@link SwishExample} on real MNIST, kept small: 3000 training images, one epoch, scored on the
 * first 1000 test images. Needs {@code SCRATCHDL_DATA}.
 */
class SwishExampleMnistTest {

    @Test
    void trainsWellAboveChanceAndReloadsIdentically(@TempDir Path dir) throws IOException {
        Optional<Path> data = DataLocator.fromEnvironment().find(MnistDataset.MNIST, null);
        assumeTrue(data.isPresent(), "no MNIST files in $SCRATCHDL_DATA or ~/.cache/scratchdl/mnist: skipping the MNIST run of SwishExample");
        TrainTestSplit mnist = MnistData.load(data.get());
        TrainTestSplit small = new TrainTestSplit(mnist.train(), mnist.test().slice(0, 1000));
        Path file = dir.resolve("swish.safetensors");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SwishExample.Result result = SwishExample.run(small, 1, 3000,
                file, new PrintStream(out, true, StandardCharsets.UTF_8));

        String log = out.toString(StandardCharsets.UTF_8);
        assertEquals(3000, result.trainSamples());
        assertEquals(1000, result.testSamples());
        // chance is 0.10; this little training reaches about 0.75
        assertTrue(result.finalTestAccuracy() > 0.6, "finalTestAccuracy " + result.finalTestAccuracy() + "\n" + log);
        assertEquals(result.epochs().get(0).testAccuracy(), result.finalTestAccuracy(), 1e-12);
        assertTrue(result.reloadedPredictionsIdentical(), log);
        assertTrue(log.contains("finalTestAccuracy"), log);

        // the file alone, loaded through the explicit route, predicts exactly the same
        Sequential reference = ModelFile.load(file, LayerRegistry.withInstalledProviders()).model();
        Sequential explicit = ModelFile.load(file, LayerRegistry.withBuiltins().register("Swish", Swish::fromSpec))
                .model();
        Tensor images = small.test().images().slice(0, 200, null);
        assertArrayEquals(reference.predict(images, 100).data(), explicit.predict(images, 100).data());
        assertEquals(result.learnedBetas().get(0), ((Swish) explicit.layers().get(1)).beta().value().data()[0]);

        Path report = dir.resolve("report.json");
        SwishExample.writeReport(report, result);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(result.finalTestAccuracy(), json.get("finalTestAccuracy").asDouble(), 1e-12);
        assertTrue(json.get("reloadedPredictionsIdentical").asBoolean());
    }
}
