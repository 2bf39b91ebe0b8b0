package dev.weft.cli.connect;

import dev.weft.cli.connect.ConnectEvents.Direction;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConnectEventsTest {

    /** Lines kept in order, each marked with the stream it went to. */
    private static final class Recorded implements Lines {
        final List<String> lines = new ArrayList<>();

        @Override
        public void out(String line) {
            lines.add("out " + line);
        }

        @Override
        public void err(String line) {
            lines.add("err " + line);
        }
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jsonIsOneObjectALineForEveryEvent() {
        Recorded r = new Recorded();
        ConnectEvents json = ConnectEvents.json(r, BinaryFormat.HEX);
        json.text(Direction.SENT, "say \"hi\"\n");
        json.text(Direction.RECEIVED, "wörld");
        json.binary(Direction.RECEIVED, ByteBuffer.wrap(new byte[] {1, 2, -1}));
        json.ping(Direction.RECEIVED, bytes("hb"));
        json.pong(Direction.SENT, ByteBuffer.allocate(0));
        json.close(true, 4000, "not today");
        json.error("the close handshake did not complete");
        json.note("reconnecting to ws://x/: attempt 1 in 500 ms (Connection refused)");
        assertEquals(List.of(
                "out {\"event\":\"text\",\"direction\":\"sent\",\"text\":\"say \\\"hi\\\"\\u000a\"}",
                "out {\"event\":\"text\",\"direction\":\"received\",\"text\":\"wörld\"}",
                "out {\"event\":\"binary\",\"direction\":\"received\",\"hex\":\"0102ff\"}",
                "out {\"event\":\"ping\",\"direction\":\"received\",\"hex\":\"6862\"}",
                "out {\"event\":\"pong\",\"direction\":\"sent\",\"hex\":\"\"}",
                "out {\"event\":\"close\",\"by\":\"server\",\"code\":4000,\"reason\":\"not today\"}",
                "out {\"event\":\"error\",\"message\":\"the close handshake did not complete\"}",
                "err reconnecting to ws://x/: attempt 1 in 500 ms (Connection refused)"), r.lines);
    }

    @Test
    void jsonCarriesBinaryInBase64WhenAsked() {
        Recorded r = new Recorded();
        ConnectEvents.json(r, BinaryFormat.BASE64).binary(Direction.SENT, ByteBuffer.wrap(new byte[] {1, 2, -1}));
        assertEquals(List.of("out {\"event\":\"binary\",\"direction\":\"sent\",\"base64\":\"AQL/\"}"), r.lines);
    }

    @Test
    void forPipesMessagesArePrintedAsTheyAreAndTheRestGoesToStandardError() {
        Recorded r = new Recorded();
        ConnectEvents plain = ConnectEvents.human(r, BinaryFormat.HEX, null);
        plain.text(Direction.SENT, "not shown: it was typed");
        plain.text(Direction.RECEIVED, "hello");
        plain.binary(Direction.RECEIVED, ByteBuffer.wrap(new byte[] {1, 2, -1}));
        plain.ping(Direction.RECEIVED, bytes("hb"));
        plain.pong(Direction.SENT, bytes("hb"));
        plain.close(false, 1000, "");
        plain.close(false, 1006, "");
        plain.close(true, 1001, "server shutting down");
        plain.error("boom");
        assertEquals(List.of(
                "out hello",
                "out <binary 3 bytes: 0102ff>",
                "err received ping: hb",
                "err sent pong: hb",
                "err closed: 1006",
                "err closed: 1001 server shutting down",
                "err weft: boom"), r.lines);
    }

    @Test
    void onATerminalWhatArrivesIsMarkedAndEveryCloseIsShown() {
        Recorded r = new Recorded();
        ConnectEvents marked = ConnectEvents.human(r, BinaryFormat.BASE64, Style.of(false));
        marked.text(Direction.SENT, "typed");
        marked.text(Direction.RECEIVED, "hello");
        marked.binary(Direction.RECEIVED, ByteBuffer.wrap(new byte[] {1, 2, -1}));
        marked.ping(Direction.SENT, ByteBuffer.allocate(0));
        marked.pong(Direction.RECEIVED, ByteBuffer.allocate(0));
        marked.close(false, 1000, "");
        assertEquals(List.of(
                "out < hello",
                "out < <binary 3 bytes: AQL/>",
                "out > ping",
                "out < pong",
                "err closed: 1000"), r.lines);
    }
}
