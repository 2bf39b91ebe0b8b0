package dev.weft.cli.connect;

import dev.weft.api.CloseCodes;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A command typed at {@code weft connect}'s prompt: a line that starts with {@code /}. A line that
 * starts with {@code //} is not a command but text that starts with one {@code /}.
 */
public sealed interface SlashCommand {

    /** What {@code /help} prints. */
    String HELP = String.join("\n",
            "/ping [TEXT]             send a ping (TEXT as its payload)",
            "/pong [TEXT]             send an unsolicited pong",
            "/close [CODE [REASON]]   close (default 1000) and wait for the server's answer",
            "/binary HEX              send a binary message, such as /binary 01ff or /binary 01 ff",
            "/help                    this list",
            "//TEXT                   send the text /TEXT",
            "Ctrl-D or Ctrl-C closes with 1000.");

    /** {@code /ping [TEXT]}. */
    record Ping(byte[] payload) implements SlashCommand {
    }

    /** {@code /pong [TEXT]}. */
    record Pong(byte[] payload) implements SlashCommand {
    }

    /** {@code /close [CODE [REASON]]}. */
    record Close(int code, String reason) implements SlashCommand {
    }

    /** {@code /binary HEX}. */
    record Binary(byte[] data) implements SlashCommand {
    }

    /** {@code /help}. */
    record Help() implements SlashCommand {
    }

    /** Whether {@code line} is a command rather than text to send. */
    static boolean isCommand(String line) {
        return line.startsWith("/") && !line.startsWith("//");
    }

    /** The text {@code line} sends when it is not a command: {@code //x} sends {@code /x}. */
    static String text(String line) {
        return line.startsWith("//") ? line.substring(1) : line;
    }

    /**
     * The command {@code line} names.
     *
     * @param line a line for which {@link #isCommand} is true
     * @throws IllegalArgumentException with a message for the person who typed it
     */
    static SlashCommand parse(String line) {
        String[] nameAndRest = line.substring(1).split(" ", 2);
        String name = nameAndRest[0];
        String rest = nameAndRest.length > 1 ? nameAndRest[1].strip() : "";
        switch (name) {
            case "ping":
                return new Ping(controlPayload(rest, "ping"));
            case "pong":
                return new Pong(controlPayload(rest, "pong"));
            case "close":
                return close(rest);
            case "binary":
                return binary(rest);
            case "help":
                if (!rest.isEmpty()) {
                    throw new IllegalArgumentException("/help takes nothing after it");
                }
                return new Help();
            default:
                throw new IllegalArgumentException("unknown command /" + name
                        + " (/help lists them; start a line with // to send text beginning with /)");
        }
    }

    private static byte[] controlPayload(String text, String what) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        // RFC 6455 §5.5: "All control frames MUST have a payload length of 125 bytes or less".
        if (payload.length > 125) {
            throw new IllegalArgumentException("a " + what + " carries at most 125 bytes, not " + payload.length);
        }
        return payload;
    }

    private static Close close(String rest) {
        if (rest.isEmpty()) {
            return new Close(CloseCodes.NORMAL_CLOSURE, "");
        }
        String[] codeAndReason = rest.split(" ", 2);
        int code;
        try {
            code = Integer.parseInt(codeAndReason[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("/close takes a code, such as /close 1000 bye, not '" + codeAndReason[0] + "'");
        }
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException(code + " cannot be sent as a close code: use 1000-1003, 1007-1014 or 3000-4999");
        }
        String reason = codeAndReason.length > 1 ? codeAndReason[1].strip() : "";
        int bytes = reason.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > 123) {
            throw new IllegalArgumentException("a close reason takes at most 123 bytes, not " + bytes);
        }
        return new Close(code, reason);
    }

    private static Binary binary(String rest) {
        String hex = rest.replaceAll("\\s+", "");
        if (hex.isEmpty()) {
            throw new IllegalArgumentException("/binary takes the bytes in hex, such as /binary 01ff");
        }
        try {
            return new Binary(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("/binary takes an even number of hex digits, such as /binary 01ff, not '" + rest + "'");
        }
    }
}
