package dev.weft.testing;

import dev.weft.api.CloseCodes;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.testing.ServerContract.ServerUnderTest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.weft.testing.OnTheWire.utf8;

/**
 * The part of the {@link ServerContract} about connections that end badly: each timeout ends the
 * connection it is for, a peer that vanishes is reported to the handler as 1006 exactly once, and a
 * handler that throws costs only its own connection (1011).
 */
final class Endings {

    /**
     * The timeout a timeout check sets: short, so the check is quick, and long enough that the
     * check's own steps before it (an upgrade, say) never meet it. Nothing is timed against it.
     */
    private static final Duration SHORT = Duration.ofMillis(300);

    private Endings() {
    }

    static List<Check> checks(ServerUnderTest server, WebSocketConfig config) {
        List<Check> checks = new ArrayList<>();
        checks.add(Serving.check(server, "timeouts: a silent peer is aborted at idleTimeout; the handler sees 1006 (idle timeout)",
                config.toBuilder().idleTimeout(SHORT).build(), Endings::silent));
        checks.add(Serving.check(server, "timeouts: a head that never ends is closed at handshakeTimeout",
                config.toBuilder().handshakeTimeout(SHORT).build(), s -> headNeverEnds(s, "GET /echo HTTP/1.1\r\nHost: x\r\n")));
        checks.add(Serving.check(server, "timeouts: a connection that sends nothing is closed at handshakeTimeout",
                config.toBuilder().handshakeTimeout(SHORT).build(), s -> headNeverEnds(s, "")));
        checks.add(Serving.check(server, "timeouts: a message that never ends is closed with 1008 at messageTimeout",
                config.toBuilder().messageTimeout(SHORT).build(), Endings::messageNeverEnds));
        checks.add(Serving.check(server, "timeouts: a close the peer never answers is aborted at closeTimeout; "
                + "the handler sees 1006", config.toBuilder().closeTimeout(SHORT).build(), Endings::closeNeverAnswered));
        for (boolean reset : new boolean[] {false, true}) {
            checks.add(Serving.check(server, "ends: a peer that " + (reset ? "resets TCP" : "ends TCP")
                    + " in the middle of a frame: the handler sees 1006, once", config, s -> vanishes(s, reset)));
        }
        checks.add(Serving.check(server, "ends: a handler that throws closes its connection with 1011; "
                + "another connection is still served", config, Endings::handlerThrows));
        return checks;
    }

    private static void silent(Serving s) throws Exception {
        RawClient raw = s.upgraded();
        ContractHandler handler = s.handler();
        OnTheWire.ends(raw, "a silence past the idle timeout");
        handler.expectClose(CloseCodes.ABNORMAL_CLOSURE, "idle timeout");
    }

    private static void headNeverEnds(Serving s, String partialHead) throws Exception {
        RawClient raw = s.connect();
        raw.send(partialHead);
        OnTheWire.ends(raw, "a head unfinished past the handshake timeout");
    }

    private static void messageNeverEnds(Serving s) throws Exception {
        RawClient raw = s.upgraded();
        ContractHandler handler = s.handler();
        raw.send(raw.frame(false, Opcode.TEXT, utf8("the start of a message")));
        OnTheWire.closedWith(raw, CloseCodes.POLICY_VIOLATION);
        handler.expectClose(CloseCodes.POLICY_VIOLATION);
    }

    private static void closeNeverAnswered(Serving s) throws Exception {
        RawClient raw = s.upgraded();
        ContractHandler handler = s.handler();
        raw.send(raw.frame(true, Opcode.TEXT, utf8(ContractHandler.CLOSE)));
        OnTheWire.closeFrame(raw, CloseCodes.NORMAL_CLOSURE);
        OnTheWire.ends(raw, "a close frame left unanswered past the close timeout");
        handler.expectClose(CloseCodes.ABNORMAL_CLOSURE);
    }

    private static void vanishes(Serving s, boolean reset) throws Exception {
        RawClient raw = s.upgraded();
        ContractHandler handler = s.handler();
        handler.awaitOpen();
        // A binary frame declaring 10 bytes, of which 3 come.
        byte[] frame = raw.frame(true, Opcode.BINARY, new byte[10]);
        raw.send(Arrays.copyOf(frame, frame.length - 7));
        if (reset) {
            raw.socket().setSoLinger(true, 0);
        }
        raw.close();
        handler.expectClose(CloseCodes.ABNORMAL_CLOSURE);
        s.stop();
        if (!handler.closeCodes().equals(List.of(CloseCodes.ABNORMAL_CLOSURE))) {
            throw new AssertionError("the handler saw onClose with " + handler.closeCodes() + " where [1006] is right");
        }
    }

    private static void handlerThrows(Serving s) throws Exception {
        RawClient thrower = s.upgraded();
        ContractHandler throwing = s.handler();
        RawClient other = s.upgraded();
        thrower.send(thrower.frame(true, Opcode.TEXT, utf8(ContractHandler.THROW)));
        OnTheWire.closedWith(thrower, CloseCodes.INTERNAL_ERROR);
        throwing.expectClose(CloseCodes.INTERNAL_ERROR);
        other.send(other.frame(true, Opcode.TEXT, utf8("still served")));
        byte[] echoed = OnTheWire.message(other, Opcode.TEXT);
        if (!new String(echoed, StandardCharsets.UTF_8).equals("still served")) {
            throw new AssertionError("the other connection's message came back as " + new String(echoed,
                    StandardCharsets.UTF_8));
        }
    }
}
