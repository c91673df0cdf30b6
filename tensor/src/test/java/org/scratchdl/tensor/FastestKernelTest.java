package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link GemmKernel#fastest()} with and without the module {@code jdk.incubator.vector}. */
class FastestKernelTest {

    @Test
    void picksTheVectorKernelWhenTheModuleIsPresent() {
        assertTrue(FastestKernel.vectorModulePresent(), "the tests run with --add-modules jdk.incubator.vector");
        assertInstanceOf(VectorGemm.class, GemmKernel.fastest());
        assertInstanceOf(VectorGemm.class, FastestKernel.INSTANCE);
    }

    @Test
    void fallsBackToEjmlInAJvmWithoutTheModule() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                PrintFastestKernel.class.getName()))
                .redirectErrorStream(true)
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.exitValue(), output);
        assertEquals("EjmlGemm 19.0 22.0 43.0 50.0", output);
    }
}
