package org.scratchdl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.data.DataUnavailableException;
import org.scratchdl.data.MnistDataset;

/** The options every command shares. */
class CommonOptionsTest {
    @TempDir
    Path temp;

    @Test
    void aFailedDownloadTellsHowToPassTheFilesWithDataDir() throws IOException {
        // a folder that cannot be created (its parent is a file): a failure without network access
        Path file = Files.writeString(temp.resolve("a-file"), "not a folder");
        String message = assertThrows(DataUnavailableException.class, () -> CommonOptions
                .downloader(new PrintWriter(new StringWriter())).download(MnistDataset.MNIST, file.resolve("sub")))
                .getMessage();
        assertTrue(message.contains("To use files you already have, pass --data DIR (or set the"
                + " environment variable SCRATCHDL_DATA=DIR, which is searched only when no folder is given),"
                + " where DIR holds the four files"), message);
    }
}
