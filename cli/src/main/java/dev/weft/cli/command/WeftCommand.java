package dev.weft.cli.command;

import dev.weft.cli.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code weft} command: its subcommands, version, help, and how failures are reported.
 *
 * <p>Exit status: 0 when a command did its job, 1 when it failed on the way (a connection closed
 * abnormally), 2 when it could not start (a bad command line, a server that cannot be reached or a
 * port that cannot be bound).
 */
@Command(name = "weft",
        mixinStandardHelpOptions = true,
        versionProvider = WeftCommand.Version.class,
        description = "WebSocket (RFC 6455) tools built on the Weft library.",
        footer = {"", "Run 'weft help COMMAND' or 'weft COMMAND --help' for a command's options."})
public final class WeftCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private WeftCommand() {
    }

    /**
     * The whole command line, talking through {@code terminal}: {@code serve}, {@code connect},
     * {@code bench}, {@code testee-client} and {@code help}.
     */
    public static CommandLine commandLine(Terminal terminal) {
        CommandLine cl = new CommandLine(new WeftCommand())
                .addSubcommand(new ServeCommand(terminal))
                .addSubcommand(new ConnectCommand(terminal))
                .addSubcommand(new BenchCommand(terminal))
                .addSubcommand(new TesteeClientCommand(terminal))
                .addSubcommand(new CommandLine.HelpCommand());
        cl.setOut(new PrintWriter(terminal.out(), true));
        cl.setErr(new PrintWriter(terminal.err(), true));
        cl.setExecutionStrategy(parseResult -> {
            terminal.configureLogging(isVerbose(parseResult));
            return new CommandLine.RunLast().execute(parseResult);
        });
        // A failure the commands did not expect: one line, unless --verbose asks for the trace.
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("weft: " + Failures.describe(e));
            if (isVerbose(parseResult)) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        return cl;
    }

    /** Whether {@code --verbose} was given to any command on the line. */
    static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VerboseOption.NAME)) {
                return true;
            }
        }
        return false;
    }

    /** {@code weft} alone names no command: say so, with the usage. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command: serve, connect, bench or testee-client");
    }

    /** The version built into the jar (from the Maven project version). */
    static final class Version implements CommandLine.IVersionProvider {

        /** The version, such as {@code 0.1.0-SNAPSHOT}. */
        static String number() {
            Properties properties = new Properties();
            try (InputStream in = WeftCommand.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IllegalStateException("version.properties is missing from the jar");
                }
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return properties.getProperty("version");
        }

        @Override
        public String[] getVersion() {
            return new String[] {
                "weft " + number(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
