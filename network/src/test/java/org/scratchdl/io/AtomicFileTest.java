package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.tensor.Tensor;

class AtomicFileTest {
    private static final byte[] OLD = "old content".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void writesANewFileAndLeavesNothingElse() throws IOException {
        Path target = dir.resolve("report.json");
        AtomicFile.write(target, out -> out.write("{\"ok\": true}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("{\"ok\": true}", Files.readString(target));
        assertEquals(List.of(target), listFolder());
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.write(target, OLD);
        AtomicFile.write(target, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), listFolder());
    }

    @Test
    void writerFailingMidwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.write(target, OLD);
        IOException failure = new IOException("disk full");

        IOException thrown = assertThrows(IOException.class, () -> AtomicFile.write(target, out -> {
            out.write(new byte[100_000]); // more than the buffer, so part of it reaches the temporary file
            throw failure;
        }));

        assertSame(failure, thrown);
        assertArrayEquals(OLD, Files.readAllBytes(target));
        assertEquals(List.of(target), listFolder());
    }

    @Test
    void runtimeExceptionFromTheWriterAlsoCleansUp() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.write(target, OLD);
        IllegalStateException failure = new IllegalStateException("bug in the writer");

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> AtomicFile.write(target,
                out -> {
                    out.write(1);
                    throw failure;
                }));

        assertSame(failure, thrown);
        assertArrayEquals(OLD, Files.readAllBytes(target));
        assertEquals(List.of(target), listFolder());
    }

    @Test
    void failedRenameRemovesTheTemporaryFile() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectory(target);
        Files.write(target.resolve("inside"), OLD);

        assertThrows(IOException.class, () -> AtomicFile.write(target, OLD));

        assertTrue(Files.isDirectory(target));
        assertArrayEquals(OLD, Files.readAllBytes(target.resolve("inside")));
        assertEquals(List.of(target), listFolder());
    }

    @Test
    void missingFolderIsAnIOException() {
        Path target = dir.resolve("no/such/folder/file.bin");
        assertThrows(IOException.class, () -> AtomicFile.write(target, OLD));
        assertEquals(List.of(), listFolder());
    }

    @Test
    void writerMayCloseTheStream() throws IOException {
        Path target = dir.resolve("closed.txt");
        AtomicFile.write(target, out -> {
            try (OutputStream o = out) {
                o.write("abc".getBytes(StandardCharsets.UTF_8));
            }
        });
        assertEquals("abc", Files.readString(target));
    }

    @Test
    void leftoverTemporaryNameDoesNotBlockWriting() throws IOException {
        Path target = dir.resolve("m.bin");
        Path leftover = dir.resolve(".m.bin." + ProcessHandle.current().pid() + "-0.tmp");
        Files.write(leftover, OLD);
        AtomicFile.write(target, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals("x", Files.readString(target));
        assertArrayEquals(OLD, Files.readAllBytes(leftover));
        assertEquals(List.of(leftover, target), listFolder());
    }

    @Test
    void safeTensorsWriteFailingMidwayKeepsTheOldModel() throws IOException {
        Path target = dir.resolve("model.safetensors");
        SafeTensors.write(target, Map.of("w", Tensor.arange(3)), Map.of("v", "1"));
        byte[] before = Files.readAllBytes(target);
        Map<String, Tensor> failing = new FailingOnThirdPass(Tensor.arange(300_000), Tensor.arange(5));

        UncheckedIOException thrown = assertThrows(UncheckedIOException.class,
                () -> SafeTensors.write(target, failing, Map.of()));

        assertEquals("tensor source failed", thrown.getMessage());
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of(target), listFolder());
    }

    /**
     * Two tensors; the third walk over the entries (the data, after two walks for the header) fails
     * after the first tensor's data has been written.
     */
    private static final class FailingOnThirdPass extends AbstractMap<String, Tensor> {
        private final Tensor first;
        private final Tensor second;
        private int passes;

        FailingOnThirdPass(Tensor first, Tensor second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public Set<Map.Entry<String, Tensor>> entrySet() {
            boolean fail = ++passes == 3;
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, Tensor>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < 2;
                        }

                        @Override
                        public Map.Entry<String, Tensor> next() {
                            if (next >= 2) {
                                throw new NoSuchElementException();
                            }
                            if (fail && next == 1) {
                                throw new UncheckedIOException("tensor source failed", new IOException("gone"));
                            }
                            next++;
                            return next == 1 ? Map.entry("first", first) : Map.entry("second", second);
                        }
                    };
                }

                @Override
                public int size() {
                    return 2;
                }
            };
        }
    }

    private List<Path> listFolder() {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
