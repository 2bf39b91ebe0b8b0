package dev.weft.core.handshake;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.HttpResponses;
import dev.weft.core.handshake.ServerOpening.Answer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where {@link Routes} sends a request, with no driver and no socket. */
class RoutesTest {

    private static final WebSocketConfig CONFIG = WebSocketConfig.builder().extensions(List.of()).build();

    private final Endpoint echo = endpoint("/echo");
    private final Endpoint chat = endpoint("/chat/*");
    private final Endpoint lobby = endpoint("/chat/lobby");
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final Routes routes = new Routes(List.of(echo, chat, lobby),
            request -> HttpResponses.text(200, Headers.empty(), "page", false), shuttingDown::get);

    @Test
    void anExactPathBeatsAPrefixAndAPrefixMatchesItsSubpaths() {
        assertSame(lobby.opening(), routes.route(upgrade("/chat/lobby"), false));
        assertSame(chat.opening(), routes.route(upgrade("/chat/other"), false));
        assertSame(chat.opening(), routes.route(upgrade("/chat"), false));
        assertSame(echo.opening(), routes.route(upgrade("/echo"), false));
    }

    @Test
    void overTheConnectionCapEveryRequestGets503WithRetryAfter() {
        Answer answer = assertInstanceOf(Answer.class, routes.route(upgrade("/echo"), true));
        assertEquals(503, answer.status());
        assertEquals("HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 37\r\n"
                + "Connection: close\r\n"
                + "Retry-After: 5\r\n"
                + "\r\n"
                + "the server is at its connection limit", Wire.text(answer.responseBytes()));
    }

    @Test
    void aPathNoEndpointClaimsIsPlainHttpWithoutAnUpgradeAnd404WithOne() {
        Answer page = assertInstanceOf(Answer.class, routes.route(plain("/index.html"), false));
        assertEquals(0, page.status());
        assertEquals("page", Wire.text(page.responseBytes()).split("\r\n\r\n")[1]);

        Answer missing = assertInstanceOf(Answer.class, routes.route(upgrade("/chatter"), false));
        assertEquals(404, missing.status());
    }

    @Test
    void whileShuttingDownAnEndpointAnswers503() {
        shuttingDown.set(true);
        Answer answer = assertInstanceOf(Answer.class, routes.route(upgrade("/echo"), false));
        assertEquals(503, answer.status());
    }

    @Test
    void anEndpointPathStartsWithASlash() {
        assertThrows(IllegalArgumentException.class, () -> endpoint("echo"));
    }

    private static Endpoint endpoint(String pattern) {
        return Endpoint.of(pattern, new ServerHandshake(CONFIG, List.of()), CONFIG, request -> new WebSocketHandler() {
        });
    }

    private static HandshakeRequest upgrade(String path) {
        return new HandshakeRequest("GET", path, "HTTP/1.1", Headers.of("Upgrade", "websocket"));
    }

    private static HandshakeRequest plain(String path) {
        return new HandshakeRequest("GET", path, "HTTP/1.1", Headers.empty());
    }
}
