package org.scratchdl.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the folder holding the four files of an MNIST-format data set, or decides where to download them.
 *
 * <p>Folders are searched in this order; the first that holds all four files (each with or without
 * {@code .gz}) wins:
 *
 * <ol>
 *   <li>the explicit folder, if one is given (the command line's {@code --data DIR}): {@code DIR/<id>}
 *       (DIR may be a root holding several data sets), then DIR itself, unless its training labels
 *       are those of another data set this class knows (so MNIST files lying in DIR never serve as
 *       Fashion-MNIST); nothing else is searched then, and the files are downloaded into {@code DIR/<id>}
 *       (into DIR itself when it is named {@code <id>} or holds some of them, see {@link #downloadDir});
 *   <li>with the environment variable {@value #DATA_ENV} set to a folder S: {@code S/<id>} (a root holding
 *       several data sets), then S itself. S itself is used only if its training labels have the MD5 of
 *       the requested data set, so that S pointing at MNIST does not silently serve as Fashion-MNIST;
 *   <li>the cache folder {@code $XDG_CACHE_HOME/scratchdl/<id>}, or {@code ~/.cache/scratchdl/<id>} when
 *       {@code XDG_CACHE_HOME} is unset or not absolute (XDG Base Directory Specification); this is the
 *       download target when no explicit folder is given;
 *   <li>for data sets packaged by Debian, the system folder {@code /usr/share/datasets/<id>}
 *       (e.g. {@code apt-get install dataset-fashion-mnist}).
 * </ol>
 *
 * <p>{@code <id>} is {@link MnistDataset#id()}. The environment, home folder and system folder are given
 * to the constructor, so that nothing depends on the machine unless {@link #fromEnvironment()} is used.
 * Instances are immutable.
 */
public final class DataLocator {
    /** The environment variable naming a data folder. */
    public static final String DATA_ENV = "SCRATCHDL_DATA";
    /** Where Debian's dataset packages install their files. */
    public static final Path DEBIAN_DATASETS = Path.of("/usr/share/datasets");

    private final Map<String, String> env;
    private final Path home;
    private final Path systemDatasets;

    /**
     * @param env the environment variables to consult ({@value #DATA_ENV}, {@code XDG_CACHE_HOME}); copied
     * @param home the user's home folder, for {@code ~/.cache}
     * @param systemDatasets the folder of system-wide data sets ({@link #DEBIAN_DATASETS} normally)
     * @throws NullPointerException if an argument is null
     */
    public DataLocator(Map<String, String> env, Path home, Path systemDatasets) {
        this.env = Map.copyOf(env);
        this.home = Objects.requireNonNull(home, "home");
        this.systemDatasets = Objects.requireNonNull(systemDatasets, "systemDatasets");
    }

    /**
     * A locator for this process.
     *
     * @return a locator over {@link System#getenv()}, the {@code user.home} property and
     *     {@link #DEBIAN_DATASETS}
     */
    public static DataLocator fromEnvironment() {
        return new DataLocator(System.getenv(), Path.of(System.getProperty("user.home")), DEBIAN_DATASETS);
    }

    /**
     * The folders searched for {@code dataset}, in order (see the class description).
     *
     * @param dataset the data set wanted
     * @param explicitDir the folder given by the user, or null
     * @return the folders, whether or not they exist
     */
    public List<Path> searchPath(MnistDataset dataset, Path explicitDir) {
        return candidates(dataset, explicitDir).stream().map(Candidate::dir).collect(Collectors.toList());
    }

    /**
     * The first folder of {@link #searchPath} that holds all four files of {@code dataset}.
     *
     * @param dataset the data set wanted
     * @param explicitDir the folder given by the user, or null
     * @return that folder, or empty if none holds them
     */
    public Optional<Path> find(MnistDataset dataset, Path explicitDir) {
        for (Candidate c : candidates(dataset, explicitDir)) {
            if (MnistFile.allPresent(c.dir()) && c.accepts(dataset)) {
                return Optional.of(c.dir());
            }
        }
        return Optional.empty();
    }

    /**
     * Where missing files of {@code dataset} are downloaded. With an explicit folder DIR: {@code DIR/<id>},
     * except DIR itself when {@code DIR/<id>} does not exist, DIR is named {@code <id>} or already holds some
     * of the files, and every file it holds has {@code dataset}'s content (checked by MD5), so that they
     * are completed in place. Without one: the cache folder.
     *
     * @param dataset the data set wanted
     * @param explicitDir the folder given by the user, or null
     * @return the folder, which need not exist yet
     */
    public Path downloadDir(MnistDataset dataset, Path explicitDir) {
        if (explicitDir == null) {
            return cacheDir(dataset);
        }
        Path sub = explicitDir.resolve(dataset.id());
        if (Files.isDirectory(sub)) {
            return sub;
        }
        Path name = explicitDir.toAbsolutePath().normalize().getFileName();
        boolean namedForIt = name != null && name.toString().equals(dataset.id());
        if ((namedForIt || MnistFile.anyPresent(explicitDir)) && presentFilesAreOf(dataset, explicitDir)) {
            return explicitDir;
        }
        return sub;
    }

    /**
     * The folder holding {@code dataset}: the one {@link #find} returns, else {@link #downloadDir} after
     * {@code downloader} has fetched the missing files into it.
     *
     * @param dataset the data set wanted
     * @param explicitDir the folder given by the user, or null
     * @param downloader fetches missing files from its mirrors for {@code dataset}
     * @return the folder holding the four files
     * @throws DataUnavailableException if the files are nowhere and cannot be downloaded; the message lists
     *     the folders searched, the mirrors tried and how to provide the files by hand
     * @throws IOException if the download folder cannot be written
     */
    public Path locate(MnistDataset dataset, Path explicitDir, Downloader downloader) throws IOException {
        Optional<Path> found = find(dataset, explicitDir);
        if (found.isPresent()) {
            return found.get();
        }
        Path target = downloadDir(dataset, explicitDir);
        try {
            downloader.download(dataset, target);
        } catch (DataUnavailableException e) {
            String files = Arrays.stream(MnistFile.values()).map(MnistFile::displayName)
                    .collect(Collectors.joining(", "));
            // a mistyped folder shows as one that does not exist
            String places = searchPath(dataset, explicitDir).stream()
                    .map(p -> p + (Files.isDirectory(p)
                            ? heldInstead(dataset, p).map(other -> " (holds " + other.id() + ")").orElse("")
                            : Files.exists(p) ? " (not a folder)" : " (no such folder)"))
                    .collect(Collectors.joining(", "));
            throw new DataUnavailableException("The " + dataset.id() + " files (" + files
                    + ") are not all in any of: " + places + ".\n" + e.getMessage(), e);
        }
        return target;
    }

    private List<Candidate> candidates(MnistDataset dataset, Path explicitDir) {
        List<Candidate> result = new ArrayList<>();
        if (explicitDir != null) {
            result.add(new Candidate(explicitDir.resolve(dataset.id()), Identity.ANY));
            result.add(new Candidate(explicitDir, Identity.NOT_ANOTHER));
            return result;
        }
        String data = env.get(DATA_ENV);
        if (data != null && !data.isBlank()) {
            Path root = Path.of(data);
            result.add(new Candidate(root.resolve(dataset.id()), Identity.ANY));
            result.add(new Candidate(root, Identity.REQUIRED));
        }
        result.add(new Candidate(cacheDir(dataset), Identity.ANY));
        dataset.debianPackage()
                .ifPresent(p -> result.add(new Candidate(systemDatasets.resolve(dataset.id()), Identity.ANY)));
        return result;
    }

    private Path cacheDir(MnistDataset dataset) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache");
        return cache.resolve("scratchdl").resolve(dataset.id());
    }

    /** True if the training labels in {@code dir} are those of {@code dataset} (a 60 KB read). */
    private static boolean holds(MnistDataset dataset, Path dir) {
        return hasContentOf(dataset, MnistFile.TRAIN_LABELS, dir);
    }

    /**
     * True if every one of the four files present in {@code dir} has the content of {@code dataset}'s
     * (reads up to the whole data set once).
     */
    private static boolean presentFilesAreOf(MnistDataset dataset, Path dir) {
        for (MnistFile f : MnistFile.values()) {
            if (f.find(dir).isPresent() && !hasContentOf(dataset, f, dir)) {
                return false;
            }
        }
        return true;
    }

    /** True if {@code file} is in {@code dir} with {@code dataset}'s content (decompressed length and MD5). */
    private static boolean hasContentOf(MnistDataset dataset, MnistFile file, Path dir) {
        Optional<Path> found = file.find(dir);
        if (found.isEmpty()) {
            return false;
        }
        try {
            return ContentDigest.verify(found.get(), file.standardLength(), dataset.md5(file)) == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The known data set other than {@code dataset} whose training labels {@code dir} holds, if any. */
    private static Optional<MnistDataset> heldInstead(MnistDataset dataset, Path dir) {
        for (MnistDataset other : MnistDataset.values()) {
            if (other != dataset && holds(other, dir)) {
                return Optional.of(other);
            }
        }
        return Optional.empty();
    }

    /** What a searched folder's files must be, besides complete, to serve for the requested data set. */
    private enum Identity {
        /** Anything: a folder named for the data set. */
        ANY,
        /** The requested data set, by the MD5 of the training labels (a root that may hold another). */
        REQUIRED,
        /** Not another known data set, by the MD5 of the training labels (files of unknown origin serve). */
        NOT_ANOTHER
    }

    /** A folder to search, and what its files must be. */
    private record Candidate(Path dir, Identity identity) {
        boolean accepts(MnistDataset dataset) {
            return switch (identity) {
                case ANY -> true;
                case REQUIRED -> holds(dataset, dir);
                case NOT_ANOTHER -> heldInstead(dataset, dir).isEmpty();
            };
        }
    }
}
