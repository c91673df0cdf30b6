package org.scratchdl.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.scratchdl.io.ModelFile;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;

/**
 * Files for the command-line tests, all small and made here (no download, no real data): a tiny
 * MNIST-format data set of 12×12 images, variants of it with one fault each, model files good and
 * bad, and paths that are missing, folders, unreadable or not regular files.
 */
final class CliFixture {
    /** Side of the tiny images. */
    static final int SIDE = 12;
    /** Training images of the tiny data set (enough for one bench mini-batch of 100). */
    static final int TRAIN = 120;
    /** Test images of the tiny data set. */
    static final int TEST = 30;

    final Path root;
    /** The tiny data set, gzip-compressed as the real files are. */
    final Path data;
    /** Training images cut off in the middle of the gzip stream. */
    final Path truncatedGzip;
    /** A zero-length test labels file. */
    final Path emptyLabels;
    /** A training label of 10. */
    final Path labelOutOfRange;
    /** 31 test labels for 30 test images. */
    final Path countMismatch;
    /** Only 20 training images. */
    final Path fewImages;
    /** A model for the tiny data set. */
    final Path model;
    /** The book's model for 28×28 images. */
    final Path model28;
    /** A model for 12×12 images scoring only 5 classes. */
    final Path model5;
    /** A model whose metadata names an unknown data set. */
    final Path modelOfCifar;
    /** A zero-length model file. */
    final Path emptyModel;
    /** The first half of a valid model file. */
    final Path truncatedModel;
    /** Random bytes. */
    final Path garbageModel;
    /** An IDX file given as a model. */
    final Path idxAsModel;
    /** A folder. */
    final Path folder;
    /** A path whose folder exists but which does not. */
    final Path missing;
    /** A path whose folder does not exist either. */
    final Path missingDeep;
    /** A file and a folder made inaccessible with chmod (which does not stop root). */
    final List<Path> locked = new ArrayList<>();
    /**
     * A file this process cannot read: chmod 000, or for root, which permissions do not stop, Linux's
     * write-only {@code /proc/sys/vm/compact_memory}; null if neither works here.
     */
    final Path unreadable;
    /** A data folder this process cannot read, or one holding a file it cannot read; or null. */
    final Path unreadableData;
    /** A folder in which this process cannot create files ({@code /proc/sys/vm} for root); or null. */
    final Path unwritableFolder;
    /** A Unix domain socket, or null where they are not supported. */
    final Path socket;

    CliFixture(Path root) throws IOException {
        this.root = root;
        Random random = new Random(5);
        byte[] trainImages = images(TRAIN, random);
        byte[] trainLabels = labels(TRAIN);
        byte[] testImages = images(TEST, random);
        byte[] testLabels = labels(TEST);

        data = dataSet("data", trainImages, trainLabels, testImages, testLabels);
        byte[] gz = gzip(trainImages);
        truncatedGzip = dataSet("truncated-gzip", null, trainLabels, testImages, testLabels);
        Files.write(truncatedGzip.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length / 2));
        emptyLabels = dataSet("empty-labels", trainImages, trainLabels, testImages, null);
        Files.write(emptyLabels.resolve("t10k-labels-idx1-ubyte"), new byte[0]);
        byte[] badLabels = trainLabels.clone();
        badLabels[8 + 7] = 10;
        labelOutOfRange = dataSet("label-out-of-range", trainImages, badLabels, testImages, testLabels);
        countMismatch = dataSet("count-mismatch", trainImages, trainLabels, testImages, labels(TEST + 1));
        fewImages = dataSet("few-images", images(20, random), labels(20), testImages, testLabels);

        model = save("model.safetensors", new SimpleConvNet.Config(1, SIDE, SIDE, 4, 5, 1, 0, 16, 10, 0.1f));
        model28 = save("model28.safetensors", SimpleConvNet.Config.book());
        model5 = save("model5.safetensors", new SimpleConvNet.Config(1, SIDE, SIDE, 4, 5, 1, 0, 16, 5, 0.1f));
        modelOfCifar = root.resolve("cifar.safetensors");
        ModelFile.save(modelOfCifar, SimpleConvNet.create(new SimpleConvNet.Config(1, SIDE, SIDE, 4, 5, 1, 0, 16, 10, 0.1f),
                new Random(7)), new int[] {1, SIDE, SIDE}, Map.of("dataset", "cifar10"));
        emptyModel = Files.write(root.resolve("empty.safetensors"), new byte[0]);
        byte[] good = Files.readAllBytes(model);
        truncatedModel = Files.write(root.resolve("truncated.safetensors"), Arrays.copyOf(good, good.length / 2));
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        garbageModel = Files.write(root.resolve("garbage.safetensors"), noise);
        idxAsModel = Files.write(root.resolve("labels-as-model.safetensors"), testLabels);

        folder = Files.createDirectory(root.resolve("a-folder"));
        missing = root.resolve("missing.safetensors");
        missingDeep = root.resolve("no-such-folder").resolve("missing");
        Path lockedFile = Files.write(root.resolve("unreadable.safetensors"), good);
        Path lockedFolder = Files.createDirectory(root.resolve("unreadable-folder"));
        for (Path p : List.of(lockedFile, lockedFolder)) {
            Files.setPosixFilePermissions(p, Set.of());
            locked.add(p);
        }
        if (!Files.isReadable(lockedFile)) {
            unreadable = lockedFile;
            unreadableData = lockedFolder;
            unwritableFolder = lockedFolder;
        } else {
            Path writeOnly = Path.of("/proc/sys/vm/compact_memory");
            boolean works = Files.isRegularFile(writeOnly) && !Files.isReadable(writeOnly);
            unreadable = works ? writeOnly : null;
            unreadableData = works ? dataSet("unreadable-file", null, trainLabels, testImages, testLabels) : null;
            if (works) {
                Files.createSymbolicLink(unreadableData.resolve("train-images-idx3-ubyte"), writeOnly);
            }
            Path procFolder = writeOnly.getParent();
            unwritableFolder = Files.isDirectory(procFolder) && !Files.isWritable(procFolder) ? procFolder : null;
        }
        socket = socket(root.resolve("model.sock"));
    }

    /**
     * Gives the chmod-locked files their permissions back and removes the link out of the folder, so
     * that the folder can be deleted quietly.
     */
    void cleanUp() throws IOException {
        for (Path p : locked) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        }
        if (unreadableData != null) {
            Files.deleteIfExists(unreadableData.resolve("train-images-idx3-ubyte"));
        }
    }

    /** What {@link Main#run} returned and printed. */
    record Result(int status, String out, String err) {
        /** The lines on standard error. */
        long errLines() {
            return err.lines().count();
        }
    }

    /** Runs the program in this JVM with its streams captured. */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    private Path dataSet(String name, byte[] trainImages, byte[] trainLabels, byte[] testImages, byte[] testLabels)
            throws IOException {
        Path dir = Files.createDirectory(root.resolve(name));
        write(dir, "train-images-idx3-ubyte", trainImages);
        write(dir, "train-labels-idx1-ubyte", trainLabels);
        write(dir, "t10k-images-idx3-ubyte", testImages);
        write(dir, "t10k-labels-idx1-ubyte", testLabels);
        return dir;
    }

    private static void write(Path dir, String name, byte[] content) throws IOException {
        if (content != null) {
            Files.write(dir.resolve(name + ".gz"), gzip(content));
        }
    }

    private Path save(String name, SimpleConvNet.Config config) throws IOException {
        Sequential net = SimpleConvNet.create(config, new Random(7));
        Path file = root.resolve(name);
        ModelFile.save(file, net, new int[] {config.channels(), config.height(), config.width()},
                Map.of("dataset", "mnist"));
        return file;
    }

    /** IDX images: magic 0x803, count, rows, columns, then random pixels. */
    private static byte[] images(int count, Random random) {
        byte[] pixels = new byte[count * SIDE * SIDE];
        random.nextBytes(pixels);
        return ByteBuffer.allocate(16 + pixels.length).putInt(0x803).putInt(count).putInt(SIDE).putInt(SIDE)
                .put(pixels).array();
    }

    /** IDX labels: magic 0x801, count, then 0, 1, …, 9, 0, 1, … */
    private static byte[] labels(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Path socket(Path path) {
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.bind(UnixDomainSocketAddress.of(path));
            return Files.exists(path) ? path : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
