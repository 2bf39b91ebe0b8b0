package dev.weft.cli.connect;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The line editor of {@code weft connect} on a terminal: a prompt, and lines printed above it as
 * they come, with the prompt and whatever is half typed drawn again below them. Used only when
 * standard input and output are both the terminal.
 */
public final class Prompt implements Lines, AutoCloseable {

    private final Terminal terminal;
    private final LineReader reader;
    private final String prompt;

    private Prompt(Terminal terminal, LineReader reader, String prompt) {
        this.terminal = terminal;
        this.reader = reader;
        this.prompt = prompt;
    }

    /** Takes over the process's terminal (raw mode while a line is read) until {@link #close}. */
    public static Prompt open(Style style) throws IOException {
        // No grapheme-cluster mode, and so no probe for it: a terminal that does not answer the
        // probe would hold up the prompt for the probe's timeout.
        Terminal terminal = TerminalBuilder.builder().system(true).encoding(StandardCharsets.UTF_8)
                .graphemeCluster(false).build();
        LineReader reader = LineReaderBuilder.builder().terminal(terminal)
                // What is typed is sent as typed: no history expansion of '!', and Tab is a character.
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.INSERT_TAB, true)
                .build();
        return new Prompt(terminal, reader, AttributedString.fromAnsi(style.prompt()).toAnsi(terminal));
    }

    /**
     * Waits for a line to be typed.
     *
     * @return the line; empty after Ctrl-D on an empty line, Ctrl-C, or {@link #interrupt}
     */
    public Optional<String> readLine() {
        try {
            return Optional.of(reader.readLine(prompt));
        } catch (UserInterruptException | EndOfFileException e) {
            return Optional.empty();
        }
    }

    /** Makes a {@link #readLine} under way return empty, as Ctrl-C does (the server closed). */
    public void interrupt() {
        terminal.raise(Terminal.Signal.INT);
    }

    @Override
    public void out(String line) {
        reader.printAbove(AttributedString.fromAnsi(line));
    }

    @Override
    public void err(String line) {
        out(line);
    }

    /** Gives the terminal back as it was. */
    @Override
    public void close() throws IOException {
        terminal.close();
    }
}
