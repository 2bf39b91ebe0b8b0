package dev.weft.cli.connect;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlashCommandTest {

    @Test
    void aLineIsACommandWhenItStartsWithOneSlash() {
        assertTrue(SlashCommand.isCommand("/ping"));
        assertFalse(SlashCommand.isCommand("hello /ping"));
        assertFalse(SlashCommand.isCommand("//ping"));
        assertFalse(SlashCommand.isCommand(""));
        assertEquals("/ping", SlashCommand.text("//ping"));
        assertEquals("hello", SlashCommand.text("hello"));
    }

    @Test
    void pingAndPongCarryTheTextAfterThemAsTheirPayload() {
        assertArrayEquals(new byte[0], ((SlashCommand.Ping) SlashCommand.parse("/ping")).payload());
        assertArrayEquals("are you there?".getBytes(StandardCharsets.UTF_8),
                ((SlashCommand.Ping) SlashCommand.parse("/ping are you there?")).payload());
        assertArrayEquals("ü".getBytes(StandardCharsets.UTF_8), ((SlashCommand.Pong) SlashCommand.parse("/pong ü")).payload());
        assertEquals("a ping carries at most 125 bytes, not 126",
                assertThrows(IllegalArgumentException.class, () -> SlashCommand.parse("/ping " + "x".repeat(126))).getMessage());
    }

    @Test
    void closeTakesAnOptionalCodeAndReason() {
        assertEquals(new SlashCommand.Close(1000, ""), SlashCommand.parse("/close"));
        assertEquals(new SlashCommand.Close(4000, ""), SlashCommand.parse("/close 4000"));
        assertEquals(new SlashCommand.Close(1001, "going home now"), SlashCommand.parse("/close 1001 going home now"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlashCommand.parse("/close 1006")).getMessage()
                .startsWith("1006 cannot be sent as a close code"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlashCommand.parse("/close bye")).getMessage()
                .startsWith("/close takes a code"));
        assertEquals("a close reason takes at most 123 bytes, not 124",
                assertThrows(IllegalArgumentException.class, () -> SlashCommand.parse("/close 1000 " + "r".repeat(124))).getMessage());
    }

    @Test
    void binaryTakesHexWithOrWithoutSpaces() {
        assertArrayEquals(new byte[] {1, (byte) 0xff}, ((SlashCommand.Binary) SlashCommand.parse("/binary 01ff")).data());
        assertArrayEquals(new byte[] {1, (byte) 0xff, 0x10}, ((SlashCommand.Binary) SlashCommand.parse("/binary 01 FF 10")).data());
        assertThrows(IllegalArgumentException.class, () -> SlashCommand.parse("/binary"));
        assertThrows(IllegalArgumentException.class, () -> SlashCommand.parse("/binary 0"));
        assertThrows(IllegalArgumentException.class, () -> SlashCommand.parse("/binary zz"));
    }

    @Test
    void helpAndUnknownCommands() {
        assertInstanceOf(SlashCommand.Help.class, SlashCommand.parse("/help"));
        assertTrue(SlashCommand.HELP.contains("/binary HEX"));
        assertEquals("unknown command /quit (/help lists them; start a line with // to send text beginning with /)",
                assertThrows(IllegalArgumentException.class, () -> SlashCommand.parse("/quit")).getMessage());
    }
}
