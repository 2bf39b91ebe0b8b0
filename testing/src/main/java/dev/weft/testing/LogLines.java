package dev.weft.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The lines logged at INFO or above on one {@code java.util.logging} logger (where
 * {@link System.Logger} goes by default) while it is open. Thread-safe.
 */
final class LogLines extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogLines(Logger logger) {
        this.logger = logger; // held, so that the logger and this handler stay while it is open
        setLevel(Level.INFO);
        logger.addHandler(this);
    }

    static LogLines of(String name) {
        return new LogLines(Logger.getLogger(name));
    }

    /** The one line that starts with {@code prefix}. */
    String only(String prefix) {
        List<String> found = lines.stream().filter(l -> l.startsWith(prefix)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one line on " + logger.getName() + " starting '" + prefix + "', got " + found);
        }
        return found.get(0);
    }

    /** Asserts that no line starts with {@code prefix}. */
    void none(String prefix) {
        List<String> found = lines.stream().filter(l -> l.startsWith(prefix)).toList();
        if (!found.isEmpty()) {
            throw new AssertionError("expected no line on " + logger.getName() + " starting '" + prefix + "', got " + found);
        }
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            lines.add(record.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
