package dev.weft.cli;

import java.io.BufferedOutputStream;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a command talks through, and what it may do to the process it runs in.
 *
 * <p>{@link #system()} is the real process: standard streams (as UTF-8, whatever the locale),
 * logging to standard error, a shutdown hook for Ctrl-C and SIGTERM, and {@link System#exit}.
 * {@link #of} wraps streams a test provides, and leaves the process alone: logging, hooks and exits
 * are no-ops there, so a test runs a command in-process and stops it through the command itself.
 * Thread-safe.
 */
public final class Terminal {

    /**
     * Loggers that are not Weft's and talk too much below WARNING: Lettuce logs a line per attempt
     * while it reconnects to a broker that is down.
     */
    private static final List<String> CHATTY = List.of("io.lettuce", "io.netty");
    /**
     * Weft's servers log "listening on" at INFO; {@code weft serve} prints that on standard output
     * already, for scripts, and once is enough.
     */
    private static final List<String> SAID_ON_STANDARD_OUTPUT = List.of(
            "dev.weft.transport.nio.WebSocketServer", "dev.weft.transport.blocking.BlockingWebSocketServer");
    /** The loggers configured, held: java.util.logging keeps loggers weakly, and would forget their levels. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean ownsProcess;

    private Terminal(InputStream in, PrintStream out, PrintStream err, boolean ownsProcess) {
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.ownsProcess = ownsProcess;
    }

    /** The process's standard streams, which this terminal owns, with the process itself. */
    public static Terminal system() {
        // System.out encodes with the platform charset, which is ASCII under the C locale of
        // many containers: text would not come out as the peer sent it.
        return new Terminal(System.in, utf8(FileDescriptor.out), utf8(FileDescriptor.err), true);
    }

    /** Streams given by the caller (a test); the process is left alone. */
    public static Terminal of(InputStream in, PrintStream out, PrintStream err) {
        return new Terminal(in, out, err, false);
    }

    /** Standard input. */
    public InputStream in() {
        return in;
    }

    /** Standard output: what the command produces (messages received, the address it listens on). */
    public PrintStream out() {
        return out;
    }

    /** Standard error: status lines, errors and logs. */
    public PrintStream err() {
        return err;
    }

    /**
     * Sends {@link System.Logger} records (which go to {@code java.util.logging}) to standard error,
     * one line each ({@link LogFormat}), at the {@link #loggerLevels levels} for {@code level}; unless
     * the JVM was given a logging configuration ({@code -Djava.util.logging.config.file=...}), which
     * then decides alone.
     */
    public void configureLogging(LogLevel level) {
        if (!ownsProcess || System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return; // a test's process, or a logging configuration of the user's own
        }
        Logger root = Logger.getLogger("");
        for (var handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new LogFormat());
        handler.setLevel(Level.ALL); // the loggers decide
        try {
            handler.setEncoding(StandardCharsets.UTF_8.name());
        } catch (java.io.UnsupportedEncodingException e) {
            throw new AssertionError("every JVM supports UTF-8", e);
        }
        root.addHandler(handler);
        synchronized (CONFIGURED) {
            loggerLevels(level).forEach((name, l) -> {
                Logger logger = Logger.getLogger(name);
                logger.setLevel(l);
                CONFIGURED.add(logger);
            });
        }
    }

    /**
     * The level of each logger {@link #configureLogging} sets for {@code level}: {@code dev.weft} at
     * {@code level}; every other logger (the JDK's, such as {@code jdk.event.security}) at INFO at
     * most, and Lettuce and Netty at WARNING at most, whatever {@code level} asks; the servers'
     * "listening on" line only below INFO.
     */
    static Map<String, Level> loggerLevels(LogLevel level) {
        Level asked = level.julLevel();
        Level warning = coarser(asked, Level.WARNING);
        Map<String, Level> levels = new LinkedHashMap<>();
        levels.put("", coarser(asked, Level.INFO));
        levels.put("dev.weft", asked);
        CHATTY.forEach(name -> levels.put(name, warning));
        SAID_ON_STANDARD_OUTPUT.forEach(name -> levels.put(name, asked.intValue() < Level.INFO.intValue() ? asked : warning));
        return levels;
    }

    private static Level coarser(Level a, Level b) {
        return a.intValue() >= b.intValue() ? a : b;
    }

    /**
     * Whether standard input and standard output are both a terminal, where a person types and
     * reads (never for a terminal made by {@link #of}).
     */
    public boolean isInteractive() {
        if (!ownsProcess) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // Up to Java 21 there is a console only when both streams are a terminal; from Java 22 there
        // may be one either way, and Console.isTerminal() tells.
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Console.isTerminal() failed", e);
        }
    }

    /**
     * Runs {@code stop} when the process is asked to end (Ctrl-C, SIGTERM), then ends it with
     * status 0: ending on request is what a server is for, not a failure. Does nothing for a
     * terminal that does not own the process.
     */
    public void onStopRequest(Runnable stop) {
        if (!ownsProcess) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            flush();
            // A JVM ended by a signal reports 128 + the signal (143 for SIGTERM) however its hooks
            // went; halting from the hook is the one way to report the clean stop instead. Only
            // the JDK's own hooks (logging clean-up) can still be running, and they can be cut.
            Runtime.getRuntime().halt(0);
        }, "weft-shutdown"));
    }

    /**
     * Ends the process with {@code status}, for a command whose main thread is blocked where it
     * cannot be woken (reading standard input). Does nothing for a terminal that does not own the
     * process: there the command returns once its input ends.
     */
    public void exit(int status) {
        if (!ownsProcess) {
            return;
        }
        flush();
        System.exit(status);
    }

    /** Flushes standard output and standard error. */
    public void flush() {
        out.flush();
        err.flush();
    }

    private static PrintStream utf8(FileDescriptor fd) {
        return new PrintStream(new BufferedOutputStream(new FileOutputStream(fd)), true, StandardCharsets.UTF_8);
    }
}
