package org.scratchdl.examples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code scratchdl} command-line program: {@code train}, {@code evaluate}, {@code bench},
 * {@code summary}. Every command has {@code --help}; a wrong option or value prints one line and
 * exits with status 2, a failure prints one line and exits with status 1 ({@code --debug} shows
 * the stack trace).
 */
@Command(name = "scratchdl", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train and run small convolutional networks (Saito 2016, ch. 7) on the JVM.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, BenchCommand.class, SummaryCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Entry point; exits the JVM with the command's status.
     *
     * @param args the command line, e.g. {@code train --epochs 3}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the program on the standard streams and returns its exit status (0 success, 1 failure,
     * 2 usage error). A process stopped by a signal exits with 128 + the signal's number (130 for
     * Ctrl-C, 143 for SIGTERM); {@code train} then marks its report "interrupted".
     *
     * @param args the command line, e.g. {@code "train", "--epochs", "3"}
     * @return the exit status; 130 if a signal stopped {@code train}
     */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /**
     * Runs the program with its output and error stream given, e.g. to capture them in tests, and
     * returns its exit status (0 success, 1 failure, 2 usage error). Errors are one line on
     * {@code err}; with {@code --debug} the stack trace follows.
     *
     * @param out where results and progress go, or {@code null} for standard output
     * @param err where errors go, or {@code null} for standard error
     * @param args the command line, e.g. {@code "train", "--epochs", "3"}
     * @return the exit status; 130 if a signal stopped {@code train}
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        cli.setParameterExceptionHandler(Errors::onParameterError);
        cli.setExecutionExceptionHandler(Errors::onExecutionError);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli passes errors (unlike exceptions) through; this one deserves a clear line too.
            return Errors.onOutOfMemory(e, cli, args);
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version shown by {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"scratchdl " + (v == null ? "development build" : v)};
        }
    }
}
