package dev.weft.cli;

import java.util.logging.Level;

/** How much {@code weft} logs: the {@code --log-level} values, in {@link System.Logger}'s words. */
public enum LogLevel {
    /** Errors only. */
    ERROR(Level.SEVERE),
    /** Warnings and errors ({@code --quiet}). */
    WARN(Level.WARNING),
    /** The default: what a server does (its access log) and what it was started with. */
    INFO(Level.INFO),
    /** Weft's own debugging lines, too. */
    DEBUG(Level.FINE),
    /** Everything Weft logs. */
    TRACE(Level.FINEST);

    private final Level level;

    LogLevel(Level level) {
        this.level = level;
    }

    /** The {@code java.util.logging} level that {@link System.Logger} records at this level go to. */
    Level julLevel() {
        return level;
    }
}
