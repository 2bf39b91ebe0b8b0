package dev.weft.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per record: {@code [12:00:01] INFO access: 127.0.0.1:50188 path=/echo ...}. The logger
 * is named by the last part of its name ({@code WebSocketServer}, not
 * {@code dev.weft.transport.nio.WebSocketServer}), the level in {@link System.Logger}'s words
 * (DEBUG, not FINE), and a stack trace follows the line if the record has one.
 */
final class LogFormat extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128)
                .append('[').append(TIME.format(LocalTime.ofInstant(record.getInstant(), ZoneId.systemDefault()))).append("] ")
                .append(levelName(record.getLevel())).append(' ')
                .append(shortName(record.getLoggerName())).append(": ")
                .append(formatMessage(record)).append(System.lineSeparator());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    /** The last part of a logger's dotted name: a class's simple name, or {@code peer} of {@code dev.weft.peer}. */
    static String shortName(String logger) {
        return logger == null || logger.isEmpty() ? "-" : logger.substring(logger.lastIndexOf('.') + 1);
    }

    private static String levelName(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (value >= Level.INFO.intValue()) {
            return "INFO";
        }
        return value >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }
}
