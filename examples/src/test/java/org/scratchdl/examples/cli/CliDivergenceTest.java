package org.scratchdl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code train} with a learning rate that makes the loss NaN or infinite stops with one line naming
 * the epoch, the iteration and a hint, exits with status 1, and leaves a valid JSON report marked
 * {@code "failed"} that keeps the epochs finished before.
 */
class CliDivergenceTest {
    @TempDir
    static Path root;

    private static CliFixture files;

    @BeforeAll
    static void makeFiles() throws IOException {
        files = new CliFixture(root);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        files.cleanUp();
    }

    @ParameterizedTest(name = "{0} lr {1}, batch {2}: diverges at epoch {3}, iteration {4}")
    @CsvSource({
        "sgd, 1e30, 40, 1, 2",
        "adam, 1e30, 40, 1, 2",
        "momentum, 1e30, 120, 1, 1",
    })
    void divergenceIsOneLineAndTheReportStaysValid(String optimizer, String lr, int batch, int epoch, int iteration)
            throws IOException {
        Path report = root.resolve("report-" + optimizer + ".json");
        Path model = root.resolve("model-" + optimizer + ".safetensors");
        CliFixture.Result r = CliFixture.run("train", "--data", files.data.toString(), "--optimizer", optimizer,
                "--lr", lr, "--batch-size", Integer.toString(batch), "--epochs", "3", "--threads", "1",
                "--report", report.toString(), "--save", model.toString());
        assertEquals(1, r.status(), r.err());
        assertEquals(1, r.errLines(), r.err());
        String line = r.err().strip();
        assertTrue(line.startsWith("scratchdl train: error: training diverged: "), line);
        assertTrue(line.contains("at epoch " + epoch + ", iteration " + iteration), line);
        assertTrue(line.contains("last finite loss") && line.contains("try a lower learning rate than 1.0E30"), line);
        assertFalse(line.contains("Exception") || line.contains("\tat "), line);
        assertFalse(Files.exists(model), "no model is saved from a diverged run");

        JsonNode json = new ObjectMapper().readTree(Files.readAllBytes(report));
        assertEquals("failed", json.path("status").asText(), json.toString());
        assertEquals(line.substring("scratchdl train: error: ".length()), json.path("error").asText());
        assertTrue(json.path("finalTestAccuracy").isNull(), json.toString());
        assertEquals(epoch - 1, json.path("epochs").size(), "the epochs finished before: " + json);
        assertEquals(optimizer, json.path("configuration").path("optimizer").asText());
    }
}
