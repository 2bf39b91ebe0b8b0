package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft testee-client} against a small stand-in for the Autobahn|Testsuite fuzzing server:
 * it asks for the case count, runs each case with a few messages that must come back exactly,
 * one case at a time, then asks for the reports. On either client transport.
 */
class TesteeClientCommandTest {

    private static final int CASES = 3;

    /** What the stand-in saw, in order: requests, messages echoed, closes it started. */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @ParameterizedTest
    @ValueSource(strings = {"nio", "blocking"})
    void runsEveryCaseInTurnAndEchoesExactly(String transport) throws Exception {
        try (WebSocketServer fuzzer = fakeFuzzingServer()) {
            String url = "ws://127.0.0.1:" + fuzzer.port();
            CliRun testee = CliRun.run("testee-client", url, "--transport", transport);

            assertEquals(0, testee.exitCode(), testee.err.text());
            List<String> expected = new ArrayList<>();
            expected.add("GET /getCaseCount");
            for (int n = 1; n <= CASES; n++) {
                expected.add("GET /runCase?case=" + n + "&agent=weft");
                expected.add("echo " + n + " text: case " + n + ": héllo ✓");
                expected.add("echo " + n + " binary: 00ff80" + String.format("%02x", n));
                expected.add("echo " + n + " text: ");
                expected.add("close " + n);
            }
            expected.add("GET /updateReports?agent=weft");
            assertEquals(expected, events);

            List<String> err = testee.err.lines();
            assertEquals("running 3 cases from " + url + " as agent weft", err.get(0));
            for (int n = 1; n <= CASES; n++) {
                assertTrue(err.get(n).startsWith("case " + n + "/3: closed 1000 ("), err.get(n));
            }
            assertEquals("reports updated (1000)", err.get(CASES + 1));
        }
    }

    @Test
    void theAgentNameIsSentEncoded() throws Exception {
        try (WebSocketServer fuzzer = fakeFuzzingServer()) {
            CliRun testee = CliRun.run("testee-client", "ws://127.0.0.1:" + fuzzer.port() + "/", "--agent", "weft 0.1&x");

            assertEquals(0, testee.exitCode(), testee.err.text());
            assertEquals("GET /updateReports?agent=weft+0.1%26x", events.get(events.size() - 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "blocking"})
    void noFuzzingServerMeansStatusTwo(String transport) throws Exception {
        try (WebSocketServer elsewhere = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1)
                .endpoint("/other", request -> EchoHandler.SHARED).build().start()) {
            CliRun testee = CliRun.run("testee-client", "ws://127.0.0.1:" + elsewhere.port(), "--transport", transport);

            assertEquals(2, testee.exitCode());
            assertEquals(List.of("weft: cannot get the case count from ws://127.0.0.1:" + elsewhere.port()
                    + "/getCaseCount: server answered 404 Not Found"), testee.err.lines());
        }
    }

    private WebSocketServer fakeFuzzingServer() {
        return WebSocketServer.builder().bind("127.0.0.1", 0).threads(2)
                .endpoint("/getCaseCount", request -> new WebSocketHandler() {
                    @Override
                    public void onOpen(Connection c) {
                        events.add("GET " + request.target());
                        c.sendText(Integer.toString(CASES));
                        c.close();
                    }
                })
                .endpoint("/runCase", this::runCase)
                .endpoint("/updateReports", request -> new WebSocketHandler() {
                    @Override
                    public void onOpen(Connection c) {
                        events.add("GET " + request.target());
                        c.close();
                    }
                })
                .build().start();
    }

    /** Sends a text, a binary and an empty text message, and closes once all three came back. */
    private WebSocketHandler runCase(HandshakeRequest request) {
        int n = Integer.parseInt(request.query().orElseThrow().replaceAll("case=(\\d+).*", "$1"));
        return new WebSocketHandler() {
            private int echoes;

            @Override
            public void onOpen(Connection c) {
                events.add("GET " + request.target());
                c.sendText("case " + n + ": héllo ✓");
                c.sendBinary(ByteBuffer.wrap(new byte[] {0, (byte) 0xff, (byte) 0x80, (byte) n}));
                c.sendText("");
            }

            @Override
            public void onText(Connection c, String text) {
                echoed(c, "text: " + text);
            }

            @Override
            public void onBinary(Connection c, ByteBuffer data) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                echoed(c, "binary: " + HexFormat.of().formatHex(bytes));
            }

            private void echoed(Connection c, String what) {
                events.add("echo " + n + " " + what);
                if (++echoes == 3) {
                    // Recorded before closing: the testee can only start the next case after this.
                    events.add("close " + n);
                    c.close();
                }
            }
        };
    }

    static {
        // The stand-in's texts are not ASCII, on purpose: they must come back byte for byte.
        assert "héllo ✓".getBytes(StandardCharsets.UTF_8).length == 10;
    }
}
