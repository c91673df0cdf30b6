package org.scratchdl.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    /** The most compute threads {@code --threads} accepts; more would only cost memory. */
    static final int MAX_THREADS = 1024;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder holding the four IDX files (gzip or raw) in its <dataset> subfolder or, failing "
                    + "that, in itself (files whose training labels are the other data set's are not used). "
                    + "Missing files are downloaded into DIR/<dataset>, or, when that does not exist, into DIR "
                    + "when it is named <dataset> or already holds some of that data set's files. Without --data: "
                    + "$SCRATCHDL_DATA's <dataset> subfolder, or the folder itself when it holds that data set; then "
                    + "the user cache, where missing files are downloaded; then for fashion-mnist "
                    + "/usr/share/datasets/fashion-mnist. Details, the cache's path included, in the README's "
                    + "Data section.")
    Path data;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads, 1 to 1024 (default: all cores).")
    Integer threads;

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    /** The chosen data set. @throws IllegalArgumentException for an unknown name */
    MnistDataset datasetKind() {
        return MnistDataset.fromId(dataset);
    }

    /**
     * Checks the options that need no file: the data set's name and the thread count. Called before
     * anything slow, so that a typo fails at once.
     *
     * @throws IllegalArgumentException naming the option and the value
     */
    void check() {
        datasetKind();
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        if (threads != null && threads > MAX_THREADS) {
            throw new IllegalArgumentException("--threads must be at most " + MAX_THREADS + ", got " + threads
                    + " (this machine has " + Parallelism.availableCores() + " cores)");
        }
    }

    /**
     * Finds (or downloads) the data set, reporting progress lines to {@code log}; prints the line
     * {@code reading <dataset> from <folder>} to {@code log}, naming the folder actually read by its
     * real path (absolute, symbolic links resolved, so a place reached through a link is named by
     * where the link leads); then reads the files.
     *
     * @throws IllegalArgumentException if an option is invalid (see {@link #check()})
     * @throws IOException if {@code --data} is a file, an unreadable folder, or a folder that does not
     *     exist inside a folder that does not exist either, inside a file or inside a folder that cannot be
     *     read (a mistyped path, not a download target);
     *     or if the data cannot be found, downloaded or read
     */
    TrainTestSplit loadData(PrintWriter log) throws IOException {
        check();
        if (data != null) {
            checkDataFolder(data);
        }
        MnistDataset kind = datasetKind();
        Path dir = DataLocator.fromEnvironment().locate(kind, data, downloader(log));
        log.println("reading " + kind.id() + " from " + dir.toRealPath());
        log.flush();
        return MnistData.load(dir);
    }

    /** The downloader for missing files: progress lines to {@code log}, failures pointing to {@code --data}. */
    static Downloader downloader(PrintWriter log) {
        return new Downloader(line -> {
            log.println(line);
            log.flush();
        }).withFolderArgument("--data DIR");
    }

    private static void checkDataFolder(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("--data " + dir + " is a file; it must be the folder holding the IDX files");
        }
        if (Files.isDirectory(dir) && !(Files.isReadable(dir) && Files.isExecutable(dir))) {
            throw new AccessDeniedException(dir + " (--data)");
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (!Files.exists(dir) && (parent == null || !Files.isDirectory(parent))) {
            String why;
            if (parent == null || Files.notExists(parent)) {
                why = "its parent folder " + parent + " does not exist either";
            } else if (Files.exists(parent)) {
                why = "what would be its parent folder, " + parent + ", is a file";
            } else {
                why = "its parent folder " + parent + " cannot be read"; // neither exists nor is known not to
            }
            throw new IOException("no such folder: " + dir + " (--data; " + why + ")");
        }
    }

    /**
     * A pool of the requested threads.
     *
     * @throws IllegalArgumentException if {@code --threads} is below 1 or above {@value #MAX_THREADS}
     */
    Parallelism parallelism() {
        check();
        return Parallelism.of(threads == null ? Parallelism.availableCores() : threads);
    }

    /**
     * Checks that {@code file} is an existing, readable regular file.
     *
     * @throws NoSuchFileException if it does not exist
     * @throws AccessDeniedException if it cannot be read
     * @throws IOException if it is a directory or not a regular file (naming the option)
     */
    static void requireReadableFile(String option, Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file + " (" + option + ")");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(option + " " + file + " is a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(option + " " + file + " is not a regular file (a device, pipe or socket?)");
        }
        if (!Files.isReadable(file)) {
            throw new AccessDeniedException(file + " (" + option + ")");
        }
    }

    /**
     * Checks that {@code file} can be created: its folder exists and is writable, and it is not a
     * directory or any other existing file that is not a regular file (such as {@code /dev/null},
     * which the atomic rename would replace).
     *
     * @throws AccessDeniedException if the folder is not writable
     * @throws IOException naming the option and the problem
     */
    static void requireWritableTarget(String option, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(option + " " + file + " is a directory; give a file name");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // Writing goes to a temporary file renamed over the target, which would replace a device.
            throw new IOException(option + " " + file + " is not a regular file (a device, pipe or socket?); "
                    + "give a file name");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IOException(option + " " + file + ": folder " + parent + " does not exist");
        }
        if (!Files.isWritable(parent)) {
            throw new AccessDeniedException(parent + " (" + option + " " + file + ": the folder is not writable)");
        }
    }
}
