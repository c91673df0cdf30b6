package org.scratchdl.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipException;

/**
 * The MD5 (RFC 1321) of a file's decompressed content, as published for the MNIST files, and its length.
 * Reading stops one byte past a limit, so an endless or oversized content costs bounded time.
 *
 * @param md5 lower-case hex MD5 of the content read (all of it unless {@code length > limit})
 * @param length the content length in bytes, or {@code limit + 1} if the content is longer than the limit
 */
record ContentDigest(String md5, long length) {

    /**
     * Digests the decompressed content of {@code file}, reading at most {@code limit + 1} bytes.
     *
     * @throws ZipException or {@link EOFException} if the file is damaged gzip
     * @throws IOException if the file cannot be read
     */
    static ContentDigest of(Path file, long limit) throws IOException {
        MessageDigest md5 = newMd5();
        long length = 0;
        try (InputStream in = Compression.open(file)) {
            byte[] buffer = new byte[Compression.BUFFER];
            int n;
            while (length <= limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit + 1 - length))) > 0) {
                md5.update(buffer, 0, n);
                length += n;
            }
        }
        return new ContentDigest(HexFormat.of().formatHex(md5.digest()), length);
    }

    /**
     * Checks that {@code file}'s decompressed content is {@code expectedLength} bytes long with MD5
     * {@code expectedMd5}.
     *
     * @return null if it is, else what is wrong, for messages
     * @throws IOException if the file cannot be read
     */
    static String verify(Path file, long expectedLength, String expectedMd5) throws IOException {
        ContentDigest digest;
        try {
            digest = of(file, expectedLength);
        } catch (ZipException | EOFException e) {
            return "damaged or truncated gzip data (" + e.getMessage() + ")";
        }
        if (digest.length() != expectedLength) {
            return digest.length() > expectedLength
                    ? "content is longer than the expected " + expectedLength + " bytes"
                    : "content is " + digest.length() + " bytes instead of " + expectedLength;
        }
        if (!digest.md5().equals(expectedMd5)) {
            return "MD5 of the content is " + digest.md5() + ", expected " + expectedMd5;
        }
        return null;
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide MD5 (java.security.MessageDigest, "Standard Algorithms").
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
