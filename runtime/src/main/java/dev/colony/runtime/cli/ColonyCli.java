package dev.colony.runtime.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/colony}. Exit codes: 0 success, 1 the job failed, 2 bad input (usage,
 * malformed or rejected job), 3 Colony could not start or run.
 */
@Command(name = "colony", mixinStandardHelpOptions = true, version = "Colony 0.1.0",
        description = "Colony: a self-improving compute runtime for the JVM, built on Akka.",
        subcommands = {DemoCommand.class, SubmitCommand.class, JobsCommand.class, CancelCommand.class,
                NodeCommand.class, StatusCommand.class, InfoCommand.class,
                JournalCommand.class, GcCommand.class, BenchCommand.class, LearnerCommand.class, CertsCommand.class,
                CommandLine.HelpCommand.class})
public final class ColonyCli {

    /** The job succeeded, or the command did what it was asked. */
    public static final int OK = 0;
    /** The job ended Failed. */
    public static final int JOB_FAILED = 1;
    /** Bad input: usage, a malformed or rejected job. */
    public static final int BAD_INPUT = 2;
    /** Colony could not start or run. */
    public static final int RUNTIME_ERROR = 3;

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        // The CLI's own logging setup; a service embedding Colony keeps its own logback.xml.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "colony-cli-logback.xml");
        }
        System.exit(run(args));
    }

    /** What each exit code means, as every command's {@code --help} lists them. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    /** Runs the CLI and returns its exit code. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new ColonyCli());
        listExitCodes(cli);
        cli.setExitCodeExceptionMapper(e -> e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException
                ? BAD_INPUT : RUNTIME_ERROR);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("colony: " + e.getMessage());
            return e instanceof IllegalArgumentException ? BAD_INPUT : RUNTIME_ERROR;
        });
        int code = cli.execute(args);
        return code == CommandLine.ExitCode.USAGE ? BAD_INPUT : code;
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(" " + OK, "Success (for submit: the job succeeded).");
        codes.put(" " + JOB_FAILED, "The job ended Failed.");
        codes.put(" " + BAD_INPUT, "Bad input: usage, a malformed or rejected job, an unknown job id.");
        codes.put(" " + RUNTIME_ERROR, "Colony could not start or run, or the node could not be reached (or answered "
                + "401 or 5xx).");
        return codes;
    }

    private static void listExitCodes(CommandLine command) {
        command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        command.getSubcommands().values().forEach(ColonyCli::listExitCodes);
    }
}
