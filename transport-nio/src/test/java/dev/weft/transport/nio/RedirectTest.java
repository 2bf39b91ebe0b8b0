package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.Headers;
import dev.weft.testing.CannedHttpServer;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redirects answered to the NIO client's upgrade: followed only when asked, and only so far. */
class RedirectTest {

    private static String redirect(int status, String location) {
        return "HTTP/1.1 " + status + " Redirect\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void aRedirectFailsTheConnectUnlessAskedForWithItsStatusAndLocation() throws Exception {
        try (CannedHttpServer old = CannedHttpServer.start(target -> redirect(301, "/new"));
             WebSocketClient client = Echo.client()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client
                    .connect(URI.create("ws://127.0.0.1:" + old.port() + "/old"), Recorder.recording())
                    .get(30, TimeUnit.SECONDS));
            HandshakeException refusal = assertInstanceOf(HandshakeException.class, e.getCause());
            assertEquals(301, refusal.status());
            assertEquals("/new", refusal.headers().first("Location").orElseThrow());
            assertEquals(List.of("/old"), old.targets());
        }
    }

    @Test
    void relativeAndAbsoluteRedirectsAreFollowedToTheServer() throws Exception {
        try (WebSocketServer server = Echo.server();
             CannedHttpServer old = CannedHttpServer.start(target -> target.equals("/a/first")
                     ? redirect(302, "second?x=1")
                     : redirect(308, "ws://127.0.0.1:" + server.port() + "/echo"));
             WebSocketClient client = WebSocketClient.builder().config(Echo.CONFIG).followRedirects(2).build()) {
            Recorder recorder = Recorder.recording();
            Connection c = client.connect(URI.create("ws://127.0.0.1:" + old.port() + "/a/first"),
                    Headers.of("X-Trace", "7"), recorder).get(30, TimeUnit.SECONDS);
            assertEquals(List.of("/a/first", "/a/second?x=1"), old.targets());
            assertEquals("/echo", c.handshakeRequest().target());
            assertEquals("7", c.handshakeRequest().headers().first("X-Trace").orElseThrow());
            c.sendText("here");
            assertEquals("here", recorder.nextText());
            c.close();
            assertEquals(1000, recorder.closeCode());
        }
    }

    @Test
    void oneRedirectOverTheLimitFailsSayingSo() throws Exception {
        try (CannedHttpServer loop = CannedHttpServer.start(target -> redirect(307, "/again"));
             WebSocketClient client = WebSocketClient.builder().followRedirects(2).build()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client
                    .connect(URI.create("ws://127.0.0.1:" + loop.port() + "/"), Recorder.recording())
                    .get(30, TimeUnit.SECONDS));
            HandshakeException refusal = assertInstanceOf(HandshakeException.class, e.getCause());
            assertEquals(307, refusal.status());
            assertTrue(refusal.getMessage().contains("over the limit of 2"), refusal.getMessage());
            assertEquals(List.of("/", "/again", "/again"), loop.targets());
        }
    }
}
