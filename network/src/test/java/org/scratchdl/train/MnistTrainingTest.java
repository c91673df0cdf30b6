package org.scratchdl.train;

import org.scratchdl.data.MnistDataset;
import org.scratchdl.data.DataLocator;
import java.util.Optional;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchdl.data.Dataset;
import org.scratchdl.data.MnistData;
import org.scratchdl.data.TrainTestSplit;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;
import org.scratchdl.optim.Adam;
import org.scratchdl.tensor.Parallelism;

/** A short run of the book's recipe on real MNIST: it must beat chance (10 %) by a wide margin. */
class MnistTrainingTest {

    @Test
    void shortRunOnRealMnistLearns() throws IOException {
        Optional<Path> dir = DataLocator.fromEnvironment().find(MnistDataset.MNIST, null);
        assumeTrue(dir.isPresent(), "no MNIST files in $SCRATCHDL_DATA or ~/.cache/scratchdl/mnist: skipping the real-data training run");
        TrainTestSplit mnist = MnistData.load(dir.get());
        Dataset train = mnist.train().slice(0, 3000);
        Dataset test = mnist.test().slice(0, 2000);
        Sequential model = SimpleConvNet.create(1);
        try (Parallelism threads = Parallelism.of(2)) {
            model.useParallelism(threads);
            List<EpochMetrics> h = new Trainer(model, new Adam(0.001), new TrainingConfig(2, 100, 1, 500))
                    .fit(train, test);
            assertEquals(2, h.size());
            assertTrue(h.get(1).testAccuracy() > 0.75, "test accuracy after 2 × 3000 images: " + h.get(1).testAccuracy());
            assertTrue(h.get(1).trainLoss() < h.get(0).trainLoss(), h.toString());
        }
    }
}
