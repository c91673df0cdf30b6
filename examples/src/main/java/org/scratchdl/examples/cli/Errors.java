package org.scratchdl.examples.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import java.util.List;
import org.scratchdl.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns exceptions into one clear line on standard error and an exit status: {@value #USAGE} for a
 * wrong option or value (as picocli reports it), {@value #FAILURE} for anything that fails while a
 * command runs. With {@code --debug} the stack trace follows the line.
 */
final class Errors {
    /** Exit status of a failed run. */
    static final int FAILURE = 1;
    /** Exit status of a usage error (unknown option, malformed value). */
    static final int USAGE = 2;

    private Errors() {
    }

    static int onParameterError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println(name + ": " + oneLine(e.getMessage()) + suggestion(e) + " (see '" + name + " --help')");
        return USAGE;
    }

    /**
     * For an unknown command or option, picocli's suggestions as {@code "; did you mean 'train'?"}
     * (at most three, {@code "'a', 'b' or 'c'"}), else nothing. For a command picocli suggests
     * similar names; for an option, those that start with the same two characters.
     */
    private static String suggestion(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException unmatched)) {
            return "";
        }
        List<String> names = unmatched.getSuggestions().stream().limit(3).map(s -> "'" + s + "'").toList();
        if (names.isEmpty()) {
            return "";
        }
        String last = names.get(names.size() - 1);
        return "; did you mean " + (names.size() == 1 ? last
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + last) + "?";
    }

    static int onExecutionError(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        boolean debug = cmd.getParseResult() != null && cmd.getParseResult().hasMatchedOption("--debug");
        report(e, cmd, debug);
        return FAILURE;
    }

    /**
     * Reports an out-of-memory error (which picocli does not hand to {@link #onExecutionError}) for
     * the command that was running.
     */
    static int onOutOfMemory(OutOfMemoryError e, CommandLine root, String[] args) {
        CommandLine cmd = root;
        CommandLine.ParseResult parsed = root.getParseResult();
        while (parsed != null && parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
            cmd = parsed.commandSpec().commandLine();
        }
        boolean debug = parsed != null ? parsed.hasMatchedOption("--debug") : Arrays.asList(args).contains("--debug");
        report(e, cmd, debug);
        return FAILURE;
    }

    private static void report(Throwable e, CommandLine cmd, boolean debug) {
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + describe(e));
        if (debug) {
            e.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
    }

    /** A one-line description of a failure. */
    static String describe(Throwable e) {
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return describe(e.getCause());
        }
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
            return "no such file: " + oneLine(e.getMessage());
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + oneLine(e.getMessage());
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory: " + oneLine(e.getMessage());
        }
        if (e instanceof OutOfMemoryError) {
            String m = String.valueOf(e.getMessage());
            return m.contains("native thread") ? "out of memory: cannot start more threads (lower --threads)"
                    : "out of memory (raise the heap with JAVA_OPTS=-Xmx…)";
        }
        String m = e.getMessage();
        boolean expected = e instanceof IOException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof TrainingDivergedException;
        if (m == null || m.isBlank()) {
            return (expected ? "" : "internal error: ") + e.getClass().getSimpleName()
                    + " (rerun with --debug for the stack trace)";
        }
        if (!expected) {
            // A failure the program does not anticipate: name its kind, so that it can be reported.
            return "internal error: " + e.getClass().getSimpleName() + ": " + oneLine(m)
                    + " (rerun with --debug for the stack trace)";
        }
        return oneLine(m);
    }

    private static String oneLine(String message) {
        // a line break and the indentation around it become one space
        return String.valueOf(message).replaceAll("[ \t]*\\R[ \t]*", " ").strip();
    }
}
