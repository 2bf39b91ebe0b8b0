package dev.weft.cli.command;

import dev.weft.cli.Terminal;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code weft} command line run in-process on its own thread, with standard input given by
 * the test and standard output and error captured.
 */
final class CliRun {

    static final Duration WAIT = Duration.ofSeconds(20);

    final LineCapture out = new LineCapture();
    final LineCapture err = new LineCapture();
    final CommandLine commandLine;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private CliRun(InputStream in, String... args) {
        Terminal terminal = Terminal.of(in, out.printStream(), err.printStream());
        commandLine = WeftCommand.commandLine(terminal);
        Thread thread = new Thread(() -> {
            try {
                exit.complete(commandLine.execute(args));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "weft " + String.join(" ", args));
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts {@code weft args...} reading {@code in}. */
    static CliRun start(InputStream in, String... args) {
        return new CliRun(in, args);
    }

    /** Starts {@code weft args...} with {@code input} as its whole standard input. */
    static CliRun start(String input, String... args) {
        return new CliRun(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), args);
    }

    /** Runs {@code weft args...} with empty input, to its end. */
    static CliRun run(String... args) throws Exception {
        CliRun run = start("", args);
        run.exitCode();
        return run;
    }

    /** The command's exit status, once it has ended. */
    int exitCode() throws Exception {
        return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Whether the command has ended. */
    boolean ended() {
        return exit.isDone();
    }

    /** The object of the subcommand {@code name}, as picocli filled it in. */
    <T> T subcommand(String name, Class<T> type) {
        return type.cast(commandLine.getSubcommands().get(name).getCommand());
    }
}
