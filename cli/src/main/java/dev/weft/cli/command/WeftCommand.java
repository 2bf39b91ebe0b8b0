package dev.weft.cli.command;

import dev.weft.cli.LogLevel;
import dev.weft.cli.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The {@code weft} command: its subcommands, version, help, and how failures are reported.
 *
 * <p>Exit status: 0 when a command did its job, 1 when it failed on the way (a connection closed
 * abnormally), 2 when it could not start (a bad command line, a server that cannot be reached or a
 * port that cannot be bound). A bad command line is one line, {@code weft: WHAT}, and a pointer to
 * the command's help; never the whole usage.
 *
 * <p>{@code --log-level} and {@code --quiet} go with every command (they are inherited).
 */
@Command(name = "weft",
        mixinStandardHelpOptions = true,
        versionProvider = WeftCommand.Version.class,
        description = "WebSocket (RFC 6455) tools built on the Weft library.",
        footer = {"", "Run 'weft help COMMAND' or 'weft COMMAND --help' for a command's options."})
public final class WeftCommand implements Callable<Integer> {

    static final String LOG_LEVEL = "--log-level";
    static final String QUIET = "--quiet";

    @Spec
    private CommandSpec spec;

    @Option(names = LOG_LEVEL, paramLabel = "LEVEL", scope = ScopeType.INHERIT, converter = LevelName.class,
            description = "Log at LEVEL: error, warn, info, debug or trace (default: info; debug with "
                    + "--verbose). Only Weft's own loggers go below info.")
    LogLevel logLevel;

    @Option(names = {"-q", QUIET}, scope = ScopeType.INHERIT,
            description = "Log warnings and errors only (--log-level warn).")
    boolean quiet;

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
        cl.registerConverter(URI.class, WeftCommand::uri);
        cl.setExecutionStrategy(parseResult -> {
            terminal.configureLogging(logLevel(parseResult));
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setParameterExceptionHandler(WeftCommand::usageError);
        // A failure the commands did not expect: one line, unless --verbose asks for the trace.
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("weft: " + Failures.describe(e));
            if (isVerbose(parseResult) || logLevel(parseResult).compareTo(LogLevel.DEBUG) >= 0) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        return cl;
    }

    /**
     * A bad command line: {@code weft: unknown option: '--frob'} and {@code Try 'weft serve --help'.},
     * exit status 2.
     */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("weft: " + usageProblem(e));
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    /** What is wrong with the command line, in words, starting lower-case as the rest of the line does. */
    static String usageProblem(ParameterException e) {
        String problem = e.getMessage();
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            // The first of what was not understood: after an unknown option, its value is not either.
            String first = unmatched.getUnmatched().stream().filter(a -> a.startsWith("-")).findFirst()
                    .orElse(unmatched.getUnmatched().get(0));
            problem = (first.startsWith("-") ? "unknown option: '" : "unexpected argument: '") + first + "'";
        }
        if (problem.length() > 1 && Character.isUpperCase(problem.charAt(0)) && Character.isLowerCase(problem.charAt(1))) {
            problem = Character.toLowerCase(problem.charAt(0)) + problem.substring(1);
        }
        return problem;
    }

    /** A URI option or parameter, refused in words rather than with the JDK's exception. */
    private static URI uri(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new TypeConversionException(Failures.describe(e));
        }
    }

    /**
     * How much to log: {@code --log-level} if given, else WARN with {@code --quiet}, DEBUG with
     * {@code --verbose}, and INFO without either.
     */
    static LogLevel logLevel(ParseResult parseResult) {
        LogLevel level = null;
        boolean quiet = false;
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(LOG_LEVEL)) {
                level = p.matchedOptionValue(LOG_LEVEL, null);
            }
            quiet |= p.hasMatchedOption(QUIET);
        }
        if (level != null) {
            return level;
        }
        if (quiet && isVerbose(parseResult)) {
            throw new ParameterException(commandOf(parseResult), "--quiet and --verbose do not go together");
        }
        return quiet ? LogLevel.WARN : isVerbose(parseResult) ? LogLevel.DEBUG : LogLevel.INFO;
    }

    private static CommandLine commandOf(ParseResult parseResult) {
        ParseResult last = parseResult;
        while (last.subcommand() != null) {
            last = last.subcommand();
        }
        return last.commandSpec().commandLine();
    }

    /** {@code --log-level} names a level in lower case (upper case does too). */
    static final class LevelName implements CommandLine.ITypeConverter<LogLevel> {
        @Override
        public LogLevel convert(String value) {
            try {
                return LogLevel.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not one of " + Arrays.stream(LogLevel.values())
                        .map(l -> l.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
            }
        }
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

    /** {@code weft} alone names no command: say so. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing a command: serve, connect, bench or testee-client");
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
