package org.scratchdl.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scratchdl.data.DataLocator;
import org.scratchdl.data.Downloader;
import org.scratchdl.data.MnistData;
import org.scratchdl.data.MnistDataset;
import org.scratchdl.data.TrainTestSplit;
import org.scratchdl.tensor.Parallelism;
import picocli.CommandLine.Option;

/** Options shared by the commands: where the data are, threads, debug output. */
final class CommonOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the four IDX files (gzip or raw). Default: $SCRATCHDL_DATA, else "
                    + "~/.cache/scratchdl/<dataset> (downloaded there if missing).")
    Path data;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    /** The chosen data set. @throws IllegalArgumentException for an unknown name */
    MnistDataset datasetKind() {
        return MnistDataset.fromId(dataset);
    }

    /** Finds (or downloads) and reads the data set, reporting progress lines to {@code log}. */
    TrainTestSplit loadData(PrintWriter log) throws IOException {
        if (data != null && Files.exists(data) && !Files.isDirectory(data)) {
            throw new IOException("--data " + data + " is a file; it must be the folder holding the IDX files");
        }
        MnistDataset kind = datasetKind();
        Path dir = DataLocator.fromEnvironment().locate(kind, data, new Downloader(line -> {
            log.println(line);
            log.flush();
        }));
        return MnistData.load(dir);
    }

    /**
     * A pool of the requested threads.
     *
     * @throws IllegalArgumentException if {@code --threads} is below 1
     */
    Parallelism parallelism() {
        int n = threads == null ? Parallelism.availableCores() : threads;
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        }
        return Parallelism.of(n);
    }

    /**
     * Checks that {@code file} is an existing, readable regular file.
     *
     * @throws IOException naming the option and the problem
     */
    static void requireReadableFile(String option, Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file + " (" + option + ")");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(option + " " + file + " is a directory, not a file");
        }
        if (!Files.isReadable(file)) {
            throw new java.nio.file.AccessDeniedException(file + " (" + option + ")");
        }
    }

    /**
     * Checks that {@code file} can be created: its folder exists and it is not a directory.
     *
     * @throws IOException naming the option and the problem
     */
    static void requireWritableTarget(String option, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(option + " " + file + " is a directory; give a file name");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IOException(option + " " + file + ": folder " + parent + " does not exist");
        }
    }
}
