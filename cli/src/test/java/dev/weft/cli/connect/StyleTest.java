package dev.weft.cli.connect;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StyleTest {

    @Test
    void colourOnlyOnATerminalAndNeitherWithNoColorNorWithTheOption() {
        assertTrue(Style.colourFor(true, false, Map.of("TERM", "xterm-256color")));
        assertTrue(Style.colourFor(true, false, Map.of()));
        assertFalse(Style.colourFor(false, false, Map.of()), "a pipe");
        assertFalse(Style.colourFor(true, true, Map.of()), "--no-color");
        assertFalse(Style.colourFor(true, false, Map.of("NO_COLOR", "1")));
        assertTrue(Style.colourFor(true, false, Map.of("NO_COLOR", "")), "an empty NO_COLOR is not set (no-color.org)");
        assertFalse(Style.colourFor(true, false, Map.of("TERM", "dumb")));
    }

    @Test
    void markersAreColouredOnlyWhenColourIsOn() {
        Style plain = Style.of(false);
        assertEquals("> ", plain.prompt());
        assertEquals("< hello", plain.received("hello"));
        assertEquals("> ping", plain.sent("ping"));
        assertEquals("closed: 1000", plain.notice("closed: 1000"));

        Style colour = Style.of(true);
        assertEquals("\033[32m>\033[0m ", colour.prompt());
        assertEquals("\033[36m<\033[0m hello", colour.received("hello"));
        assertEquals("\033[31mweft: no\033[0m", colour.error("weft: no"));
    }
}
