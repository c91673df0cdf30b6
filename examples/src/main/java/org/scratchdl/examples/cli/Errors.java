package org.scratchdl.examples.cli;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Turns exceptions into one clear line on standard error and an exit status. */
final class Errors {
    /** Exit status of a failed run. */
    static final int FAILURE = 1;
    /** Exit status of a usage error (unknown option, malformed value). */
    static final int USAGE = 2;

    private Errors() {
    }

    static int onParameterError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage() + " (see '"
                + cmd.getCommandSpec().qualifiedName() + " --help')");
        return USAGE;
    }

    static int onExecutionError(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        boolean debug = cmd.getParseResult() != null && cmd.getParseResult().hasMatchedOption("--debug");
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + describe(e));
        if (debug) {
            e.printStackTrace(cmd.getErr());
        }
        return FAILURE;
    }

    /** A one-line description of a failure. */
    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
            return "no such file: " + e.getMessage();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory: " + e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (raise the heap with JAVA_OPTS=-Xmx…)";
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return m.replace('\n', ' ');
    }
}
