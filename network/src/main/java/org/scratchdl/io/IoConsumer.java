package org.scratchdl.io;

import java.io.IOException;

/**
 * An action on a value that may fail with an {@link IOException}, such as writing a file's content
 * to a stream (see {@link AtomicFile#write(java.nio.file.Path, IoConsumer)}).
 *
 * @param <T> the type of the value
 */
@FunctionalInterface
public interface IoConsumer<T> {
    /**
     * Performs the action.
     *
     * @param value the value to act on
     * @throws IOException if the action fails
     */
    void accept(T value) throws IOException;
}
