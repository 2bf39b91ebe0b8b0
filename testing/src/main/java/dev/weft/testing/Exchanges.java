package dev.weft.testing;

import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.testing.ServerContract.ServerUnderTest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.weft.testing.OnTheWire.concat;
import static dev.weft.testing.OnTheWire.utf8;

/**
 * The traffic part of the {@link ServerContract}: messages echo byte for byte however the client
 * cuts its bytes into writes and frames, pings get their pongs, and both close handshakes end TCP.
 */
final class Exchanges {

    /** The sizes of the echoed messages: each length encoding of RFC 6455 §5.2, at its edges. */
    private static final int[] SIZES = {0, 1, 125, 126, 127, 65_535, 65_536, 1 << 20};

    private Exchanges() {
    }

    static List<Check> checks(ServerUnderTest server, WebSocketConfig config) {
        List<Check> checks = new ArrayList<>();
        for (int size : SIZES) {
            checks.add(Serving.check(server, "messages: text and binary of " + size + " bytes echo byte for byte",
                    config, s -> echoes(s, size)));
        }
        checks.add(Serving.check(server, "messages: text and binary in fragments, a code point split between two, "
                + "echo whole", config, Exchanges::fragmented));
        checks.add(Serving.check(server, "messages: the handshake and frames written a byte at a time are reassembled",
                config, Exchanges::byteAtATime));
        checks.add(Serving.check(server, "messages: frames in the same write as the handshake are read as frames",
                config, Exchanges::withTheHandshake));
        checks.add(Serving.check(server, "messages: ten pings and ten messages in one write are each answered, in order",
                config, Exchanges::batch));
        checks.add(Serving.check(server, "control: a ping gets a pong with the same payload, empty or of 125 bytes",
                config, Exchanges::pings));
        for (int code : new int[] {CloseCodes.NORMAL_CLOSURE, 4000}) {
            checks.add(Serving.check(server, "close: a close frame with " + code + " is answered with " + code
                    + ", then the server ends TCP", config, s -> peerCloses(s, code)));
        }
        checks.add(Serving.check(server, "close: an empty close frame is answered, then the server ends TCP; "
                + "the handler sees 1005", config, Exchanges::peerClosesEmpty));
        checks.add(Serving.check(server, "close: a close the handler starts, once answered, ends TCP; "
                + "the handler sees 1000", config, Exchanges::handlerCloses));
        return checks;
    }

    private static void echoes(Serving s, int size) throws Exception {
        RawClient raw = s.upgraded();
        byte[] text = utf8(text(size));
        raw.send(raw.frame(true, Opcode.TEXT, text));
        same(text, OnTheWire.message(raw, Opcode.TEXT), "the text message of " + size + " bytes");
        byte[] binary = new byte[size];
        new Random(size).nextBytes(binary);
        raw.send(raw.frame(true, Opcode.BINARY, binary));
        same(binary, OnTheWire.message(raw, Opcode.BINARY), "the binary message of " + size + " bytes");
    }

    private static void fragmented(Serving s) throws Exception {
        RawClient raw = s.upgraded();
        byte[] text = utf8("fragmented 🌍 text");
        int split = "fragmented ".length() + 2; // inside the four bytes of 🌍
        raw.send(concat(raw.frame(false, Opcode.TEXT, Arrays.copyOfRange(text, 0, 4)),
                raw.frame(false, Opcode.CONTINUATION, Arrays.copyOfRange(text, 4, split)),
                raw.frame(true, Opcode.CONTINUATION, Arrays.copyOfRange(text, split, text.length))));
        same(text, OnTheWire.message(raw, Opcode.TEXT), "the text message sent in three fragments");
        byte[] binary = {1, 2, 3};
        raw.send(raw.frame(false, Opcode.BINARY, new byte[] {1}));
        raw.send(raw.frame(false, Opcode.CONTINUATION, new byte[0]));
        raw.send(raw.frame(true, Opcode.CONTINUATION, new byte[] {2, 3}));
        same(binary, OnTheWire.message(raw, Opcode.BINARY), "the binary message sent in three fragments, one empty");
    }

    private static void byteAtATime(Serving s) throws Exception {
        RawClient raw = s.connect();
        for (byte b : utf8(RawClient.UPGRADE)) {
            raw.send(new byte[] {b});
        }
        String head = raw.readHead();
        if (OnTheWire.status(head) != 101) {
            throw new AssertionError("a valid upgrade written a byte at a time was answered: " + head);
        }
        byte[] frames = concat(raw.frame(false, Opcode.TEXT, utf8("frag")),
                raw.frame(true, Opcode.PING, utf8("p")),
                raw.frame(true, Opcode.CONTINUATION, utf8("mented 🌍")));
        for (byte b : frames) {
            raw.send(new byte[] {b});
        }
        same(utf8("p"), OnTheWire.message(raw, Opcode.PONG), "the pong to the ping between the fragments");
        same(utf8("fragmented 🌍"), OnTheWire.message(raw, Opcode.TEXT), "the message written a byte at a time");
    }

    private static void withTheHandshake(Serving s) throws Exception {
        RawClient raw = s.connect();
        raw.send(concat(utf8(RawClient.UPGRADE), raw.frame(true, Opcode.TEXT, utf8("Hello"))));
        String head = raw.readHead();
        if (OnTheWire.status(head) != 101) {
            throw new AssertionError("a valid upgrade followed by a frame was answered: " + head);
        }
        same(utf8("Hello"), OnTheWire.message(raw, Opcode.TEXT), "the message in the handshake's write");
    }

    private static void batch(Serving s) throws Exception {
        RawClient raw = s.upgraded();
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.write(raw.frame(true, Opcode.PING, utf8("ping " + i)));
            batch.write(raw.frame(true, Opcode.TEXT, utf8("text " + i)));
            expected.add("PONG ping " + i);
            expected.add("TEXT text " + i);
        }
        raw.send(batch.toByteArray());
        List<String> got = new ArrayList<>();
        for (String next : expected) {
            Frame f = raw.readFrame();
            byte[] payload = new byte[f.payloadLength()];
            f.payload().get(payload);
            String frame = f.opcode() + " " + new String(payload, StandardCharsets.UTF_8);
            if (!frame.equals(next)) {
                throw new AssertionError("expected " + next + " after " + got + " but got " + frame);
            }
            got.add(frame);
        }
    }

    private static void pings(Serving s) throws Exception {
        RawClient raw = s.upgraded();
        byte[] longest = new byte[125];
        new Random(125).nextBytes(longest);
        for (byte[] payload : new byte[][] {new byte[0], longest}) {
            raw.send(raw.frame(true, Opcode.PING, payload));
            same(payload, OnTheWire.message(raw, Opcode.PONG), "the pong to a ping of " + payload.length + " bytes");
        }
    }

    private static void peerCloses(Serving s, int code) throws Exception {
        RawClient raw = s.upgraded();
        ContractHandler handler = s.handler();
        raw.send(raw.frame(true, Opcode.CLOSE, OnTheWire.closePayload(code, utf8("bye"))));
        OnTheWire.closedWith(raw, code);
        handler.expectClose(code);
    }

    private static void peerClosesEmpty(Serving s) throws Exception {
        RawClient raw = s.upgraded();
        ContractHandler handler = s.handler();
        raw.send(raw.frame(true, Opcode.CLOSE, new byte[0]));
        Frame answer = raw.readFrame();
        if (answer.opcode() != Opcode.CLOSE) {
            throw new AssertionError("an empty close frame was answered with a " + answer.opcode() + " frame");
        }
        OnTheWire.ends(raw, "its close frame");
        handler.expectClose(CloseCodes.NO_STATUS_RECEIVED);
    }

    private static void handlerCloses(Serving s) throws Exception {
        RawClient raw = s.upgraded();
        ContractHandler handler = s.handler();
        raw.send(raw.frame(true, Opcode.TEXT, utf8(ContractHandler.CLOSE)));
        OnTheWire.closeFrame(raw, CloseCodes.NORMAL_CLOSURE);
        raw.send(raw.frame(true, Opcode.CLOSE, OnTheWire.closePayload(CloseCodes.NORMAL_CLOSURE, new byte[0])));
        OnTheWire.ends(raw, "the close handshake");
        handler.expectClose(CloseCodes.NORMAL_CLOSURE);
    }

    /** Text of exactly {@code bytes} UTF-8 bytes, mixing code points of one to four bytes. */
    private static String text(int bytes) {
        String[] alphabet = {"a", "é", "€", "🌍"};
        Random random = new Random(bytes);
        StringBuilder sb = new StringBuilder();
        int left = bytes;
        while (left > 0) {
            int width = left < 4 ? 1 : 1 + random.nextInt(4);
            sb.append(alphabet[width - 1]);
            left -= width;
        }
        return sb.toString();
    }

    private static void same(byte[] expected, byte[] actual, String what) {
        if (!Arrays.equals(expected, actual)) {
            int at = Arrays.mismatch(expected, actual);
            throw new AssertionError(what + " came back different: " + actual.length + " bytes where "
                    + expected.length + " were sent, first difference at byte " + at);
        }
    }
}
