package org.scratchdl.examples.cli;

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

    /** Entry point; exits the JVM with the command's status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the program and returns its exit status (0 success, 1 failure, 2 usage error). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Errors::onParameterError);
        cli.setExecutionExceptionHandler(Errors::onExecutionError);
        return cli.execute(args);
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
