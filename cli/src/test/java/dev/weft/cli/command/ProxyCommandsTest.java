package dev.weft.cli.command;

import dev.weft.api.HttpProxy;
import dev.weft.testing.ConnectProxy;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --proxy} on {@code weft connect} and {@code weft bench}, and the proxy variables of the environment. */
class ProxyCommandsTest {

    private static WebSocketServer server;
    private static String target;

    @BeforeAll
    static void startServer() {
        server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).endpoint("/echo", request -> EchoHandler.SHARED)
                .build().start();
        target = "127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "blocking"})
    void connectGoesThroughTheProxyWithItsCredentials(String transport) throws Exception {
        try (ConnectProxy proxy = ConnectProxy.requiring("weft", "s3 cret")) {
            CliRun connect = CliRun.start("hello via proxy\n", "connect", "ws://" + target + "/echo",
                    "--transport", transport, "--proxy", "http://weft:s3%20cret@127.0.0.1:" + proxy.port());
            assertEquals(0, connect.exitCode(), connect.err.text());
            assertEquals("hello via proxy\n", connect.out.text());
            assertEquals(List.of("CONNECT " + target), proxy.requests().stream()
                    .map(r -> r.method() + " " + r.target()).toList());
        }
    }

    @Test
    void aRefusingProxyIsNamedWithItsStatus() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.refusing(403, "Forbidden")) {
            String url = "ws://" + target + "/echo";
            CliRun connect = CliRun.start("never sent\n", "connect", url, "--proxy", "http://127.0.0.1:" + proxy.port());
            assertEquals(2, connect.exitCode());
            assertEquals(List.of("weft: cannot connect to " + url + ": the proxy 127.0.0.1:" + proxy.port()
                    + " refused the tunnel to " + target + ": 403 Forbidden"), connect.err.lines());
        }
    }

    @Test
    void benchGoesThroughTheProxy() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start()) {
            CliRun bench = CliRun.run("bench", "ws://" + target + "/echo", "--connections", "2", "--duration", "0.3",
                    "--warmup", "0", "--json", "--proxy", "http://127.0.0.1:" + proxy.port());
            assertEquals(0, bench.exitCode(), bench.err.text());
            assertEquals(2, proxy.requests().size());
        }
    }

    @Test
    void aProxyThatIsNotAnHttpUriIsAUsageError() throws Exception {
        CliRun connect = CliRun.run("connect", "ws://" + target + "/echo", "--proxy", "socks5://user:hunter2@corp:1080");
        assertEquals(2, connect.exitCode());
        assertTrue(connect.err.text().contains("--proxy: not a proxy URI"), connect.err.text());
        assertFalse(connect.err.text().contains("hunter2"), "the password is not repeated");
    }

    @Test
    void theEnvironmentNamesAProxyPerSchemeUnlessNoProxyExemptsTheHost() {
        ProxyOption option = new ProxyOption();
        Map<String, String> env = Map.of("https_proxy", "http://user:pw@secure.corp:3129", "HTTP_PROXY", "plain.corp:3128",
                "NO_PROXY", "internal.example, .lan,10.0.0.7");
        assertEquals(Optional.of(HttpProxy.of("secure.corp", 3129).withCredentials("user", "pw")),
                option.fromEnvironment(URI.create("wss://echo.example/"), env));
        assertEquals(Optional.of(HttpProxy.of("plain.corp", 3128)),
                option.fromEnvironment(URI.create("ws://echo.example/"), env));
        for (String direct : new String[] {"ws://internal.example/", "wss://api.internal.example/", "ws://printer.lan/",
            "ws://10.0.0.7:9000/"}) {
            assertEquals(Optional.empty(), option.fromEnvironment(URI.create(direct), env), direct);
        }
        assertEquals(Optional.empty(), option.fromEnvironment(URI.create("ws://echo.example/"), Map.of()));
        assertEquals(Optional.empty(), option.fromEnvironment(URI.create("ws://echo.example/"),
                Map.of("http_proxy", "http://corp:3128", "no_proxy", "*")));
        // The lower-case name is read first, as curl does.
        assertEquals(Optional.of(HttpProxy.of("lower", 1)), option.fromEnvironment(URI.create("ws://echo.example/"),
                Map.of("http_proxy", "http://lower:1", "HTTP_PROXY", "http://upper:2")));
    }
}
