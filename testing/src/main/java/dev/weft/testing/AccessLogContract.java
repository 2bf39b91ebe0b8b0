package dev.weft.testing;

import dev.weft.api.CloseCodes;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.testing.ServerContract.ServerUnderTest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What a Weft server with its access log on writes, as checks a transport's tests run: one line
 * per connection on {@code dev.weft.access} with the connection's own counts, one line (not two)
 * for a connection closed for a protocol violation, and a refused handshake on
 * {@code dev.weft.peer} with its status. The server under test must be started with its access
 * log on ({@code accessLog(true)}). Lines are told apart by the raw client's port, so other
 * connections of the process do not disturb a check.
 */
public final class AccessLogContract {

    private static final WebSocketConfig BASE = WebSocketConfig.builder().extensions(List.of()).build();

    private final ServerUnderTest server;

    private AccessLogContract(ServerUnderTest server) {
        this.server = server;
    }

    /** The contract for the servers {@code server} starts, each with its access log on. */
    public static AccessLogContract of(ServerUnderTest server) {
        return new AccessLogContract(Objects.requireNonNull(server));
    }

    /** Every check: a clean close, a protocol violation, a refused handshake. */
    public List<Check> checks() {
        return List.of(
                Serving.check(server, "access log: a closed connection's line has its counts", BASE,
                        AccessLogContract::cleanClose),
                Serving.check(server, "access log: a protocol violation makes one line", BASE,
                        AccessLogContract::violation),
                Serving.check(server, "access log: a refused handshake is logged with its status", BASE,
                        AccessLogContract::refusal));
    }

    private static void cleanClose(Serving s) throws Exception {
        try (LogLines access = LogLines.of("dev.weft.access"); LogLines peer = LogLines.of("dev.weft.peer")) {
            RawClient raw = s.upgraded();
            ContractHandler handler = s.handler();
            String me = "127.0.0.1:" + raw.socket().getLocalPort() + " ";
            byte[] hello = raw.frame(true, Opcode.TEXT, "hello".getBytes(StandardCharsets.UTF_8)); // 11 bytes
            raw.send(OnTheWire.concat(hello, hello));
            OnTheWire.message(raw, Opcode.TEXT);
            OnTheWire.message(raw, Opcode.TEXT);
            byte[] close = raw.frame(true, Opcode.CLOSE, OnTheWire.closePayload(CloseCodes.NORMAL_CLOSURE,
                    OnTheWire.utf8("bye"))); // 11 bytes
            raw.send(close);
            OnTheWire.closedWith(raw, CloseCodes.NORMAL_CLOSURE);
            handler.expectClose(CloseCodes.NORMAL_CLOSURE, "bye"); // called after the line is written
            String line = access.only(me);
            for (String field : List.of("path=/echo", "subprotocol=-", "extensions=-", "messages_in=2", "bytes_in=33",
                    "messages_out=2", "bytes_out=18", "close=1000", "reason=\"bye\"", "closed_by=remote")) {
                if (!line.contains(" " + field)) {
                    throw new AssertionError("the access line lacks " + field + ": " + line);
                }
            }
            peer.none(me);
        }
    }

    private static void violation(Serving s) throws Exception {
        try (LogLines access = LogLines.of("dev.weft.access"); LogLines peer = LogLines.of("dev.weft.peer")) {
            RawClient raw = s.upgraded();
            ContractHandler handler = s.handler();
            String me = "127.0.0.1:" + raw.socket().getLocalPort() + " ";
            raw.send(new byte[] {(byte) 0x81, 0x01, 'x'}); // unmasked
            OnTheWire.closedWith(raw, CloseCodes.PROTOCOL_ERROR);
            handler.expectClose(CloseCodes.PROTOCOL_ERROR);
            String line = access.only(me);
            if (!line.contains(" close=1002 ") || !line.contains(" closed_by=local")) {
                throw new AssertionError("the access line does not show a 1002 close by this end: " + line);
            }
            peer.none(me);
        }
    }

    private static void refusal(Serving s) throws Exception {
        try (LogLines peer = LogLines.of("dev.weft.peer")) {
            RawClient raw = s.connect();
            String me = "127.0.0.1:" + raw.socket().getLocalPort() + " ";
            raw.send(RawClient.UPGRADE.replace("GET /echo ", "GET /nowhere "));
            int status = OnTheWire.status(raw.readHead());
            if (status != 404) {
                throw new AssertionError("an upgrade to a path with no endpoint was answered " + status);
            }
            String line = peer.only(me); // logged before the answer was written
            if (!line.contains("refused: HTTP 404, ")) {
                throw new AssertionError("the refusal's line does not give its status: " + line);
            }
        }
    }
}
