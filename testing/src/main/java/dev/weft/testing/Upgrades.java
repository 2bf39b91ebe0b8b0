package dev.weft.testing;

import dev.weft.api.WebSocketConfig;
import dev.weft.testing.ServerContract.ServerUnderTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The opening handshake part of the {@link ServerContract}: a valid upgrade is answered 101 with
 * the accept key of RFC 6455 §1.3, and each bad request gets its HTTP status and the end of the
 * connection.
 */
final class Upgrades {

    /** A request that is not a valid upgrade: {@code replace} in the valid one, replaced {@code with}. */
    private record Bad(String label, String replace, String with, int status) {
    }

    private static final List<Bad> BAD = List.of(
            new Bad("a request without Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    "X-Nothing: 1", 400),
            new Bad("a key that is not 16 bytes in base64", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Key: c2hvcnQ=", 400),
            new Bad("Sec-WebSocket-Version 8", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8", 426),
            new Bad("a request without Upgrade", "Upgrade: websocket", "X-Nothing: 1", 400),
            new Bad("Connection without Upgrade", "Connection: Upgrade", "Connection: keep-alive", 400),
            new Bad("a POST", "GET /echo", "POST /echo", 405),
            new Bad("an unknown path", "GET /echo", "GET /nowhere", 404),
            new Bad("a head over maxHandshakeHeadSize", "\r\n\r\n", "\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", 431),
            new Bad("garbage instead of an HTTP head", RawClient.UPGRADE, "\u0016\u0003\u0001 not http at all\r\n\r\n", 400));

    private Upgrades() {
    }

    static List<Check> checks(ServerUnderTest server, WebSocketConfig config) {
        List<Check> checks = new ArrayList<>();
        checks.add(Serving.check(server, "upgrade: a valid request gets 101 with the accept key of RFC 6455 §1.3",
                config, Upgrades::accepted));
        for (Bad bad : BAD) {
            checks.add(Serving.check(server, "upgrade: " + bad.label + " gets " + bad.status + " and the connection ends",
                    config, s -> refused(s, bad)));
        }
        return checks;
    }

    private static void accepted(Serving s) throws Exception {
        RawClient raw = s.connect();
        raw.send(RawClient.UPGRADE);
        String head = raw.readHead();
        if (!head.startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                || !head.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
                || !head.toLowerCase(Locale.ROOT).contains("\r\nupgrade: websocket\r\n")) {
            throw new AssertionError("not the 101 of RFC 6455 §1.3: " + head);
        }
        s.handler().awaitOpen();
    }

    private static void refused(Serving s, Bad bad) throws Exception {
        String request = RawClient.UPGRADE.replace(bad.replace, bad.with);
        if (request.equals(RawClient.UPGRADE)) {
            throw new IllegalStateException("the table's request is the valid one: " + bad);
        }
        RawClient raw = s.connect();
        raw.send(request);
        String head = raw.readHead();
        if (OnTheWire.status(head) != bad.status || !head.contains("\r\nConnection: close\r\n")) {
            throw new AssertionError("expected " + bad.status + " with Connection: close but got " + head);
        }
        if (bad.status == 426 && !head.contains("\r\nSec-WebSocket-Version: 13\r\n")) {
            throw new AssertionError("a 426 names the version the server speaks (RFC 6455 §4.4): " + head);
        }
        if (bad.status == 405 && !head.contains("\r\nAllow: GET\r\n")) {
            throw new AssertionError("a 405 names the method allowed (RFC 9110 §15.5.6): " + head);
        }
        OnTheWire.endsAfterBody(raw, "its " + bad.status);
    }
}
