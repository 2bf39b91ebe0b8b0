package dev.weft.cli.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An output stream that keeps what is written, splits it into lines, and lets a test wait for a
 * line, so that a test reacts to what a command prints instead of to time passing. Thread-safe.
 */
final class LineCapture extends OutputStream {

    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    /** A UTF-8 print stream writing here. */
    PrintStream printStream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    /** Copies {@code in} into a new capture on a daemon thread, until it ends (a process's output). */
    static LineCapture drain(InputStream in, String name) {
        LineCapture capture = new LineCapture();
        Thread copier = new Thread(() -> {
            try (in) {
                in.transferTo(capture);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                capture.end();
            }
        }, name);
        copier.setDaemon(true);
        copier.start();
        return capture;
    }

    @Override
    public synchronized void write(int b) {
        all.write(b);
        if (b == '\n') {
            lines.add(line.toString(StandardCharsets.UTF_8));
            line.reset();
            notifyAll();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
        // For awaitText: a terminal's output is not all whole lines (a prompt has no newline).
        notifyAll();
    }

    /** The source has ended: nothing more will be written. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /**
     * Waits until the source has ended, so that everything it wrote is here.
     *
     * @throws AssertionError if it does not end within {@code timeout}
     */
    synchronized void awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the output did not end within " + timeout + "; got:\n" + text());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Everything written so far. */
    synchronized String text() {
        return all.toString(StandardCharsets.UTF_8);
    }

    /** The complete lines written so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * Waits until a complete line matches {@code wanted}, and returns the first that does.
     *
     * @throws AssertionError if none does within {@code timeout}
     */
    synchronized String await(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int seen = 0; ; ) {
            for (; seen < lines.size(); seen++) {
                if (wanted.test(lines.get(seen))) {
                    return lines.get(seen);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no such line within " + timeout + "; got:\n" + text());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * Waits until everything written so far, as {@code view} turns it into a string, matches
     * {@code wanted}; returns that string.
     *
     * @throws AssertionError if it does not within {@code timeout}
     */
    synchronized String awaitText(UnaryOperator<String> view, Predicate<String> wanted, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String text = view.apply(text()); !wanted.test(text); text = view.apply(text())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not the output wanted within " + timeout + "; got:\n" + text);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return view.apply(text());
    }

    /** Waits for a line that starts with {@code prefix}. */
    String awaitStartingWith(String prefix, Duration timeout) throws InterruptedException {
        return await(l -> l.startsWith(prefix), timeout);
    }
}
