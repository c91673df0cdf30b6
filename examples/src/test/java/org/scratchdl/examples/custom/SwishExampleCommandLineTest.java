package org.scratchdl.examples.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SwishExample's exit statuses and messages for bad arguments and missing or malformed data (no MNIST needed). */
class SwishExampleCommandLineTest {
    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws IOException {
        return SwishExample.commandLine(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "EPOCHS TRAIN_LIMIT = {0}")
    @ValueSource(strings = {"0", "1 0", "abc", "1 -3", "2147483648", "-1 100"})
    void badCountGetsTheUsageLineAndStatus2BeforeAnyDataIsLoaded(String counts) throws IOException {
        // a data folder that does not exist: reaching the data would show in the output
        String[] args = (temp.resolve("none") + " " + counts).split(" ");
        assertEquals(2, run(args));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: SwishExample [DATA_DIR|- [EPOCHS"),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("whole numbers of at least 1"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void dataThatCanBeNeitherFoundNorDownloadedIsOneLineAndStatus1() throws IOException {
        // the download folder cannot be created (its parent is a file): the multi-line error of the
        // data search, without any network access
        Path file = Files.writeString(temp.resolve("a-file"), "not a folder");
        assertEquals(1, run(file.resolve("sub").toString(), "1", "10", temp.resolve("model.safetensors").toString()));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("SwishExample: "), message);
        assertTrue(message.contains("Cannot create the folder"), message);
        assertTrue(message.contains("To use files you already have, pass DIR as DATA_DIR (or set"
                + " the environment variable SCRATCHDL_DATA=DIR, which is searched only when no folder is given)"),
                message);
        assertFalse(message.contains("--data"), "no option SwishExample does not have: " + message);
        assertEquals(1, message.split("\\R").length, "one line: " + message);
        assertTrue(Files.notExists(temp.resolve("model.safetensors")), "no model written");
    }

    @Test
    void malformedDataIsOneLineAndStatus1() throws IOException {
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            Files.write(temp.resolve(name), new byte[] {1, 2, 3});
        }
        assertEquals(1, run(temp.toString(), "1", "10", temp.resolve("model.safetensors").toString()));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("SwishExample: "), message);
        assertTrue(message.contains("train-images-idx3-ubyte"), message);
        assertEquals(1, message.split("\\R").length, "one line: " + message);
        assertTrue(Files.notExists(temp.resolve("model.safetensors")), "no model written");
    }
}
