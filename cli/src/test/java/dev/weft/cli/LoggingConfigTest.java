package dev.weft.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code --log-level} sets each logger to, and how a line looks. */
class LoggingConfigTest {

    @Test
    void debugIsForWeftsLoggersOnly() {
        var levels = Terminal.loggerLevels(LogLevel.DEBUG);
        assertEquals(Level.FINE, levels.get("dev.weft"));
        assertEquals(Level.INFO, levels.get("")); // jdk.event.security and the rest
        assertEquals(Level.WARNING, levels.get("io.lettuce"));
        assertEquals(Level.WARNING, levels.get("io.netty"));
    }

    @Test
    void atInfoTheServersListeningLineIsLeftToStandardOutput() {
        var levels = Terminal.loggerLevels(LogLevel.INFO);
        assertEquals(Level.INFO, levels.get("dev.weft"));
        assertEquals(Level.WARNING, levels.get("dev.weft.transport.nio.WebSocketServer"));
        assertEquals(Level.WARNING, levels.get("dev.weft.transport.blocking.BlockingWebSocketServer"));
        assertEquals(Level.WARNING, levels.get("io.lettuce"));
    }

    @Test
    void quieterLevelsApplyToEveryLogger() {
        var levels = Terminal.loggerLevels(LogLevel.ERROR);
        levels.forEach((name, level) -> assertEquals(Level.SEVERE, level, name));
    }

    @Test
    void aLineHasTheTimeTheLevelInSystemLoggerWordsAndAShortLoggerName() {
        LogRecord record = new LogRecord(Level.FINE, "failing Session[...]");
        record.setLoggerName("dev.weft.core.session.Session");
        record.setInstant(Instant.parse("2026-01-01T12:00:00Z"));
        String line = new LogFormat().format(record);
        assertTrue(line.matches("\\[\\d\\d:\\d\\d:\\d\\d] DEBUG Session: failing Session\\[\\.\\.\\.]\\R"), line);
        assertEquals("peer", LogFormat.shortName("dev.weft.peer"));
        assertEquals("WebSocketServer", LogFormat.shortName("dev.weft.transport.nio.WebSocketServer"));
    }
}
