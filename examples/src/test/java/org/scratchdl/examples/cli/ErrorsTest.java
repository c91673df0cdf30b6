package org.scratchdl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The one-line descriptions {@link Errors#describe} gives on standard error. */
final class ErrorsTest {

    @Test
    void aMultiLineMessageBecomesOneLineWithSingleSpacesAtItsBreaks() {
        IOException e = new IOException("Could not download.\nMirrors tried:\n  https://a/x.gz: unknown host a\r\n"
                + "  https://b/x.gz: timed out\nTo use files you already have, pass --data DIR.");
        assertEquals("Could not download. Mirrors tried: https://a/x.gz: unknown host a https://b/x.gz: timed out "
                + "To use files you already have, pass --data DIR.", Errors.describe(e));
    }

    @Test
    void aMissingFileIsNamedAsSuchAndSpacesWithinALineStay() {
        assertEquals("no such file: /tmp/my  model.safetensors (--model)",
                Errors.describe(new NoSuchFileException("/tmp/my  model.safetensors (--model)")));
    }
}
