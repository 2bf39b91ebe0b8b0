package dev.weft.cli.connect;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/** How bytes are written out for a person or a script: hex (the default) or base64 ({@code --base64}). */
public enum BinaryFormat {
    HEX, BASE64;

    /** How many bytes of a binary message a person is shown; JSON carries them all. */
    static final int SUMMARY_BYTES = 16;

    /** {@code hex} or {@code base64}: the name of the JSON field that carries bytes. */
    String key() {
        return this == HEX ? "hex" : "base64";
    }

    /** The bytes from the position to the limit, all of them; the buffer is left as it was. */
    String encode(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return this == HEX ? HexFormat.of().formatHex(bytes) : Base64.getEncoder().encodeToString(bytes);
    }

    /** {@code <binary 3 bytes: 0102ff>}, or with {@code ...} after the first 16 bytes. */
    public String summary(ByteBuffer data) {
        int n = data.remaining();
        ByteBuffer shown = data.duplicate().limit(data.position() + Math.min(n, SUMMARY_BYTES));
        return "<binary " + n + " bytes: " + encode(shown) + (n > SUMMARY_BYTES ? "..." : "") + ">";
    }

    /**
     * A ping's or a pong's payload for a person: as text when it is printable UTF-8 (as typed after
     * {@code /ping}), else as {@link #encode} writes it.
     */
    String payload(ByteBuffer data) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(data.duplicate()).toString();
            if (text.chars().noneMatch(Character::isISOControl)) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // Not text: shown as bytes.
        }
        return encode(data);
    }
}
