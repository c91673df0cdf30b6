package org.scratchdl.data;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The MNIST-format data sets scratchdl knows how to find and download, with their public mirrors and the
 * MD5 sums of their four decompressed files.
 */
public enum MnistDataset {
    /**
     * Handwritten digits 0–9 (Y. LeCun, C. Cortes, C. J. C. Burges; CC BY-SA 3.0). MD5 sums: the widely
     * published values for the four extracted files, which every mirror below serves.
     */
    MNIST("mnist",
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
                    URI.create("http://yann.lecun.com/exdb/mnist/")),
            new String[] {
                "6bbc9ace898e44ae57da46a324031adb", // train-images-idx3-ubyte
                "a25bea736e30d166cdddb491f175f624", // train-labels-idx1-ubyte
                "2646ac647ad5339dbf082846283269ea", // t10k-images-idx3-ubyte
                "27ae3e4e09519cfbb04c329615203637", // t10k-labels-idx1-ubyte
            },
            null,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")),
    /**
     * Zalando's article images (H. Xiao, K. Rasul, R. Vollgraf, 2017; MIT licence). Upstream publishes
     * MD5 sums of its gzip files only; the sums below are of the decompressed files, computed from
     * Debian's package dataset-fashion-mnist 0.0~git20200523.55506a9-1 ({@code md5sum} of each file in
     * /usr/share/datasets/fashion-mnist after {@code zcat}). The content check does not depend on how a
     * mirror compressed the files.
     */
    FASHION_MNIST("fashion-mnist",
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
            new String[] {
                "f4a8712d7a061bf5bd6d2ca38dc4d50a", // train-images-idx3-ubyte
                "9018921c3c673c538a1fc5bad174d6f9", // train-labels-idx1-ubyte
                "8181f5470baa50b63fa0f6fddb340f0a", // t10k-images-idx3-ubyte
                "15d484375f8d13e6eb1aabb0c3f46965", // t10k-labels-idx1-ubyte
            },
            "dataset-fashion-mnist",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                    "Bag", "Ankle boot"));

    private final String id;
    private final List<URI> mirrors;
    private final String[] md5;
    private final String debianPackage;
    private final List<String> classNames;

    MnistDataset(String id, List<URI> mirrors, String[] md5, String debianPackage, List<String> classNames) {
        this.id = id;
        this.mirrors = mirrors;
        this.md5 = md5;
        this.debianPackage = debianPackage;
        this.classNames = classNames;
    }

    /**
     * The name used on the command line and in folder names: {@code mnist} or {@code fashion-mnist}.
     *
     * @return the name, lower-case
     */
    public String id() {
        return id;
    }

    /**
     * The data set called {@code id} (case-insensitive).
     *
     * @param id the name, e.g. {@code mnist} or {@code Fashion-MNIST}
     * @return the data set of that name
     * @throws IllegalArgumentException if no data set has that name; the message lists the known ones
     */
    public static MnistDataset fromId(String id) {
        for (MnistDataset d : values()) {
            if (d.id.equals(id.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown data set '" + id + "'; known: "
                + Arrays.stream(values()).map(MnistDataset::id).collect(Collectors.joining(", ")));
    }

    /**
     * The standard public mirrors, in the order they are tried; each is a folder URI ending in '/'.
     *
     * @return the mirrors (unmodifiable)
     */
    public List<URI> mirrors() {
        return mirrors;
    }

    /**
     * The name of each class, indexed by label (10 names).
     *
     * @return the class names (unmodifiable)
     */
    public List<String> classNames() {
        return classNames;
    }

    /** The Debian package that installs this data set into /usr/share/datasets/{id}, if there is one. */
    Optional<String> debianPackage() {
        return Optional.ofNullable(debianPackage);
    }

    /** The MD5 of the decompressed content of {@code file}, lower-case hex. */
    String md5(MnistFile file) {
        return md5[file.ordinal()];
    }

    /**
     * How to provide the files by hand, for error messages; {@code folderArgument} (or null) is how
     * the program takes a folder DIR of its user's, as in {@link Downloader#withFolderArgument}.
     */
    String manualHint(String folderArgument) {
        StringBuilder sb = new StringBuilder("To use files you already have, ");
        String variable = "set the environment variable " + DataLocator.DATA_ENV + "=DIR";
        if (folderArgument != null) {
            sb.append("pass ").append(folderArgument).append(" (or ").append(variable)
                    .append(", which is searched only when no folder is given)");
        } else {
            sb.append(variable).append(" (searched only when no folder is given)");
        }
        sb.append(", where DIR holds the four files, or a subfolder ").append(id).append(" holding them");
        if (!mirrors.isEmpty()) {
            sb.append(" (for example downloaded by hand from ").append(mirrors.get(0)).append(')');
        }
        sb.append('.');
        debianPackage().ifPresent(p -> sb.append(" On Debian or Ubuntu: apt-get install ").append(p)
                .append(" (installs them into /usr/share/datasets/").append(id)
                .append(", which is searched when no folder is given)."));
        return sb.toString();
    }
}
