package org.scratchdl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.train.EpochMetrics;

/** The report's status: the first final status written stays; an interruption keeps the epochs. */
class TrainingReportTest {
    private static final TrainingReport.Configuration CONFIG = new TrainingReport.Configuration(
            "mnist", "SimpleConvNet", "adam", 0.001, 3, 100, 1, 2, 600, 100, null);
    private static final EpochMetrics EPOCH_1 = new EpochMetrics(1, 0.5, 0.8, 0.85, 1.5);
    private static final EpochMetrics EPOCH_2 = new EpochMetrics(2, 0.25, 0.9, 0.92, 1.25);

    @TempDir
    Path tmp;

    private static JsonNode read(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void anInterruptionKeepsTheFinishedEpochsAndSaysWhy() throws IOException {
        Path file = tmp.resolve("report.json");
        TrainingReport report = new TrainingReport(file, CONFIG, List.of());
        report.onEpochEnd(EPOCH_1);
        assertEquals("running", read(file).get("status").asText());

        assertEquals("stopped before the end of the run, after 1 epoch; " + file + " says \"interrupted\"",
                report.interrupted());

        JsonNode json = read(file);
        assertEquals("interrupted", json.get("status").asText());
        assertEquals(1, json.get("epochs").size());
        assertEquals(0.85, json.get("epochs").get(0).get("testAccuracy").doubleValue(), 0.0);
        assertTrue(json.get("finalTestAccuracy").isNull());
        assertEquals("stopped before the end of the run, after 1 epoch", json.get("error").asText());
    }

    @Test
    void nothingIsWrittenAfterTheInterruption() throws IOException {
        Path file = tmp.resolve("report.json");
        TrainingReport report = new TrainingReport(file, CONFIG, List.of());
        assertNotNull(report.interrupted());
        report.onEpochEnd(EPOCH_1);
        assertFalse(report.completed());
        assertNull(report.interrupted());

        JsonNode json = read(file);
        assertEquals("interrupted", json.get("status").asText());
        assertEquals(0, json.get("epochs").size());
        assertEquals("stopped before the end of the run, after 0 epochs", json.get("error").asText());
    }

    @Test
    void anInterruptionAfterCompletionChangesNothing() throws IOException {
        Path file = tmp.resolve("report.json");
        TrainingReport report = new TrainingReport(file, CONFIG, List.of(EPOCH_1));
        report.onEpochEnd(EPOCH_2);
        assertTrue(report.completed());
        assertNull(report.interrupted());
        report.failed("too late");

        JsonNode json = read(file);
        assertEquals("completed", json.get("status").asText());
        assertEquals(2, json.get("epochs").size());
        assertEquals(0.92, json.get("finalTestAccuracy").doubleValue(), 0.0);
        assertTrue(json.get("error").isNull());
    }

    @Test
    void withoutAFileTheEpochsAreStillKept() throws IOException {
        TrainingReport report = new TrainingReport(null, CONFIG, List.of());
        report.onEpochEnd(EPOCH_1);
        assertTrue(report.completed());
        assertEquals(List.of(EPOCH_1), report.epochs());
    }
}
