package org.scratchdl.data;

import java.io.IOException;

/**
 * The files of a data set are neither where they were looked for nor could they be downloaded. The
 * message says which files were expected in which folders, which mirrors were tried and why each
 * failed, and how to provide the files by hand.
 */
public class DataUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message the full explanation, as described above */
    public DataUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message the full explanation, as described above
     * @param cause the underlying failure
     */
    public DataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
