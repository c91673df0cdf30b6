package org.scratchdl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link DataLocator} looks, with an injected environment, home and system folder. */
class DataLocatorTest {
    @TempDir
    Path temp;

    /** Creates the four (empty) files in {@code dir}, some with .gz and some without. */
    private static Path fill(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (MnistFile f : MnistFile.values()) {
            Files.createFile(dir.resolve(f.ordinal() % 2 == 0 ? f.gzName() : f.baseName()));
        }
        return dir;
    }

    private Path home() {
        return temp.resolve("home");
    }

    private Path system() {
        return temp.resolve("system");
    }

    private DataLocator locator(Map<String, String> env) {
        return new DataLocator(env, home(), system());
    }

    @Test
    void searchOrder() {
        Path data = temp.resolve("data");
        Path explicit = temp.resolve("explicit");
        Path cache = home().resolve(".cache/scratchdl/fashion-mnist");
        DataLocator withEnv = locator(Map.of(DataLocator.DATA_ENV, data.toString()));
        assertEquals(List.of(explicit.resolve("fashion-mnist"), explicit),
                withEnv.searchPath(MnistDataset.FASHION_MNIST, explicit));
        assertEquals(List.of(data.resolve("fashion-mnist"), data, cache, system().resolve("fashion-mnist")),
                withEnv.searchPath(MnistDataset.FASHION_MNIST, null));
        // MNIST has no Debian package, so no system folder.
        assertEquals(List.of(data.resolve("mnist"), data, home().resolve(".cache/scratchdl/mnist")),
                withEnv.searchPath(MnistDataset.MNIST, null));
        assertEquals(List.of(home().resolve(".cache/scratchdl/mnist")),
                locator(Map.of(DataLocator.DATA_ENV, " ")).searchPath(MnistDataset.MNIST, null));
    }

    @Test
    void cacheFollowsXdgCacheHomeWhenAbsolute() {
        Path xdg = temp.resolve("xdg");
        assertEquals(xdg.resolve("scratchdl/mnist"),
                locator(Map.of("XDG_CACHE_HOME", xdg.toString())).downloadDir(MnistDataset.MNIST, null));
        assertEquals(home().resolve(".cache/scratchdl/mnist"),
                locator(Map.of("XDG_CACHE_HOME", "relative/cache")).downloadDir(MnistDataset.MNIST, null));
    }

    @Test
    void explicitFolderWinsAndIsTheDownloadTarget() throws IOException {
        Path explicit = temp.resolve("explicit");
        Path data = fill(temp.resolve("data/mnist"));
        fill(home().resolve(".cache/scratchdl/mnist"));
        DataLocator l = locator(Map.of(DataLocator.DATA_ENV, data.getParent().toString()));
        // Files missing from the explicit folder: no fallback, they will be downloaded into its mnist/.
        assertEquals(Optional.empty(), l.find(MnistDataset.MNIST, explicit));
        assertEquals(explicit.resolve("mnist"), l.downloadDir(MnistDataset.MNIST, explicit));
        fill(explicit);
        assertEquals(Optional.of(explicit), l.find(MnistDataset.MNIST, explicit));
    }

    @Test
    void explicitFolderMayBeTheRootOfSeveralDataSets() throws IOException {
        Path root = temp.resolve("datasets");
        Path mnist = fill(root.resolve("mnist"));
        Path fashion = fill(root.resolve("fashion-mnist"));
        DataLocator l = locator(Map.of());
        assertEquals(Optional.of(mnist), l.find(MnistDataset.MNIST, root));
        assertEquals(Optional.of(fashion), l.find(MnistDataset.FASHION_MNIST, root));
        // files in the folder itself do not hide the data set's subfolder; files of unknown origin
        // (these are empty) serve when it is absent
        fill(root);
        assertEquals(Optional.of(fashion), l.find(MnistDataset.FASHION_MNIST, root));
        Path other = fill(temp.resolve("other"));
        assertEquals(Optional.of(other), l.find(MnistDataset.FASHION_MNIST, other));
        // downloads go into the data set's subfolder
        assertEquals(root.resolve("fashion-mnist"), l.downloadDir(MnistDataset.FASHION_MNIST, root));
    }

    @Test
    void explicitFolderNamedForTheDataSetIsCompletedInPlace() throws IOException {
        DataLocator l = locator(Map.of());
        Path empty = Files.createDirectories(temp.resolve("empty"));
        assertEquals(empty.resolve("mnist"), l.downloadDir(MnistDataset.MNIST, empty));
        Path named = temp.resolve("data/mnist");
        assertEquals(named, l.downloadDir(MnistDataset.MNIST, named));
        assertEquals(named.resolve("x/.."), l.downloadDir(MnistDataset.MNIST, named.resolve("x/..")),
                "named for it once normalized");
        assertEquals(named.resolve("fashion-mnist"), l.downloadDir(MnistDataset.FASHION_MNIST, named));
        // a file that is not the data set's (this one is empty) is not completed in place
        Path partial = Files.createDirectories(temp.resolve("partial"));
        Files.createFile(partial.resolve("train-images-idx3-ubyte.gz"));
        assertEquals(partial.resolve("mnist"), l.downloadDir(MnistDataset.MNIST, partial));
        // an existing subfolder of the data set wins
        Path sub = Files.createDirectories(partial.resolve("mnist"));
        assertEquals(sub, l.downloadDir(MnistDataset.MNIST, partial));
    }

    @Test
    void explicitFolderHoldingSomeOfTheDataSetsFilesIsCompletedInPlaceAndNoOther() throws IOException {
        Optional<Path> real = DataLocator.fromEnvironment().find(MnistDataset.MNIST, null);
        assumeTrue(real.isPresent(), "no MNIST files in $SCRATCHDL_DATA or ~/.cache/scratchdl/mnist");
        Path labels = MnistFile.TRAIN_LABELS.find(real.get()).orElseThrow();
        DataLocator l = locator(Map.of());
        Path partial = Files.createDirectories(temp.resolve("partial"));
        Files.copy(labels, partial.resolve(labels.getFileName()));
        assertEquals(partial, l.downloadDir(MnistDataset.MNIST, partial));
        assertEquals(partial.resolve("fashion-mnist"), l.downloadDir(MnistDataset.FASHION_MNIST, partial));
        // named for Fashion-MNIST but holding MNIST's labels: not completed in place
        Path misnamed = Files.createDirectories(temp.resolve("fashion-mnist"));
        Files.copy(labels, misnamed.resolve(labels.getFileName()));
        assertEquals(misnamed.resolve("fashion-mnist"), l.downloadDir(MnistDataset.FASHION_MNIST, misnamed));
    }

    @Test
    void explicitFolderHoldingAnotherDataSetIsNotTakenForTheRequestedOne() throws IOException {
        // MNIST's real training labels (found through $SCRATCHDL_DATA) lying directly in the folder
        Optional<Path> real = DataLocator.fromEnvironment().find(MnistDataset.MNIST, null);
        assumeTrue(real.isPresent(), "no MNIST files in $SCRATCHDL_DATA or ~/.cache/scratchdl/mnist");
        Path dir = fill(temp.resolve("files"));
        Path labels = MnistFile.TRAIN_LABELS.find(dir).orElseThrow();
        Files.delete(labels);
        Path source = MnistFile.TRAIN_LABELS.find(real.get()).orElseThrow();
        Files.copy(source, dir.resolve(source.getFileName()));
        DataLocator l = locator(Map.of());
        assertEquals(Optional.of(dir), l.find(MnistDataset.MNIST, dir));
        assertEquals(Optional.empty(), l.find(MnistDataset.FASHION_MNIST, dir));
        assertEquals(dir.resolve("fashion-mnist"), l.downloadDir(MnistDataset.FASHION_MNIST, dir));
        // the error says why the folder's files were not taken
        Downloader offline = new Downloader(Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(1), null);
        String m = assertThrows(DataUnavailableException.class,
                () -> l.locate(MnistDataset.FASHION_MNIST, dir, offline)).getMessage();
        assertTrue(m.contains(dir + " (holds mnist)"), m);
        assertTrue(Files.notExists(dir.resolve("fashion-mnist")), "the folder made for the download is removed");
    }

    @Test
    void environmentBeforeCacheBeforeSystem() throws IOException {
        Path root = temp.resolve("data");
        Map<String, String> env = Map.of(DataLocator.DATA_ENV, root.toString());
        Path cache = home().resolve(".cache/scratchdl/fashion-mnist");
        Path sys = fill(system().resolve("fashion-mnist"));
        assertEquals(Optional.of(sys), locator(env).find(MnistDataset.FASHION_MNIST, null));
        fill(cache);
        assertEquals(Optional.of(cache), locator(env).find(MnistDataset.FASHION_MNIST, null));
        Path sub = fill(root.resolve("fashion-mnist"));
        assertEquals(Optional.of(sub), locator(env).find(MnistDataset.FASHION_MNIST, null));
        assertEquals(Optional.of(cache), locator(Map.of()).find(MnistDataset.FASHION_MNIST, null));
        assertEquals(cache, locator(env).downloadDir(MnistDataset.FASHION_MNIST, null));
    }

    @Test
    void environmentFolderItselfMustHoldTheRequestedDataSet() throws IOException {
        // Files that are not MNIST's (their training labels have another MD5) directly in $SCRATCHDL_DATA.
        Path root = fill(temp.resolve("data"));
        Map<String, String> env = Map.of(DataLocator.DATA_ENV, root.toString());
        assertEquals(Optional.empty(), locator(env).find(MnistDataset.MNIST, null));
        Path cache = fill(home().resolve(".cache/scratchdl/mnist"));
        assertEquals(Optional.of(cache), locator(env).find(MnistDataset.MNIST, null));
        // An explicit folder is taken as it is.
        assertEquals(Optional.of(root), locator(env).find(MnistDataset.MNIST, root));
    }

    @Test
    void nothingAnywhereAndNoMirrorExplainsWhatToDo() throws IOException {
        Path root = temp.resolve("data");
        DataLocator l = locator(Map.of(DataLocator.DATA_ENV, root.toString()));
        Downloader offline = new Downloader(Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(1), null)
                .withFolderArgument("--data DIR");
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> l.locate(MnistDataset.FASHION_MNIST, null, offline));
        String m = e.getMessage();
        for (String part : List.of("train-images-idx3-ubyte[.gz]", "t10k-labels-idx1-ubyte[.gz]",
                root.resolve("fashion-mnist").toString(), home().resolve(".cache/scratchdl/fashion-mnist").toString(),
                system().resolve("fashion-mnist").toString(), "No download mirror",
                "pass --data DIR (or set the environment variable SCRATCHDL_DATA=DIR, which is searched only"
                        + " when no folder is given)",
                "apt-get install dataset-fashion-mnist")) {
            assertTrue(m.contains(part), "expected '" + part + "' in:\n" + m);
        }
        e = assertThrows(DataUnavailableException.class, () -> l.locate(MnistDataset.MNIST, null, offline));
        assertTrue(!e.getMessage().contains("apt-get"), e.getMessage());
    }

    @Test
    void aMissingFolderOrAFileIsNamedAsSuchWhenNothingIsFound() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        Path mistyped = temp.resolve("mnsit");
        Downloader offline = new Downloader(Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(1), null);
        String m = assertThrows(DataUnavailableException.class,
                () -> locator(Map.of()).locate(MnistDataset.MNIST, mistyped, offline)).getMessage();
        assertTrue(m.contains(mistyped + " (no such folder)"), m);
        m = assertThrows(DataUnavailableException.class,
                () -> locator(Map.of()).locate(MnistDataset.MNIST, empty, offline)).getMessage();
        assertTrue(m.contains(empty.toString()) && !m.contains(empty + " ("), m);
        Path file = Files.writeString(temp.resolve("a-file"), "not MNIST");
        m = assertThrows(DataUnavailableException.class,
                () -> locator(Map.of(DataLocator.DATA_ENV, file.toString())).locate(MnistDataset.MNIST, null, offline))
                .getMessage();
        assertTrue(m.contains(file + " (not a folder)"), m);
    }

    @Test
    void dataSetNames() {
        assertEquals(MnistDataset.FASHION_MNIST, MnistDataset.fromId("Fashion-MNIST"));
        assertEquals("mnist", MnistDataset.fromId("mnist").id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MnistDataset.fromId("cifar"));
        assertTrue(e.getMessage().contains("mnist, fashion-mnist"), e.getMessage());
        assertEquals("Ankle boot", MnistDataset.FASHION_MNIST.classNames().get(9));
        assertEquals(10, MnistDataset.MNIST.classNames().size());
    }
}
