package dev.weft.cli.command;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft serve}'s connection caps, on either transport, each seen by {@code weft connect} over 127.0.0.1. */
class ServeCapsTest {

    private static final Pattern LISTENING =
            Pattern.compile("listening on ws://(127\\.0\\.0\\.1:\\d+) \\((nio, 1 event loop|blocking, \\w+ threads)\\)");

    @ParameterizedTest
    @ValueSource(strings = {"nio", "blocking"})
    void overMaxConnectionsAConnectIsAnswered503(String transport) throws Exception {
        CliRun serve = serve(transport, "--max-connections", "1");
        try {
            String url = "ws://" + address(serve) + "/echo";
            PipedOutputStream types = new PipedOutputStream();
            CliRun first = CliRun.start(new PipedInputStream(types), "connect", url);
            first.err.awaitStartingWith("connected to ", WAIT);

            CliRun second = CliRun.run("connect", url);
            assertEquals(2, second.exitCode());
            assertEquals(List.of("weft: handshake failed: server answered 503 Service Unavailable"), second.err.lines());

            types.close();
            assertEquals(0, first.exitCode(), first.err.text());
        } finally {
            stop(serve);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "blocking"})
    void overMaxConnectionsPerAddressAConnectIsClosedWithoutAnAnswer(String transport) throws Exception {
        CliRun serve = serve(transport, "--max-connections-per-address", "1");
        try {
            String url = "ws://" + address(serve) + "/echo";
            PipedOutputStream types = new PipedOutputStream();
            CliRun first = CliRun.start(new PipedInputStream(types), "connect", url);
            first.err.awaitStartingWith("connected to ", WAIT);

            assertRefusedWithoutAnAnswer(url);

            types.close();
            assertEquals(0, first.exitCode(), first.err.text());
        } finally {
            stop(serve);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "blocking"})
    void overMaxHandshakesAConnectIsClosedWithoutAnAnswer(String transport) throws Exception {
        CliRun serve = serve(transport, "--max-handshakes", "1");
        try {
            String address = address(serve);
            String[] hostPort = address.split(":");
            try (Socket silent = new Socket()) {
                // Connected and silent: its handshake is in progress until the handshake timeout.
                silent.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
                assertRefusedWithoutAnAnswer("ws://" + address + "/echo");
            }
        } finally {
            stop(serve);
        }
    }

    @Test
    void negativeCapsAreUsageErrors() throws Exception {
        for (String option : List.of("--max-connections", "--max-connections-per-address", "--max-handshakes")) {
            CliRun serve = CliRun.run("serve", "--port", "0", option, "-1");
            assertEquals(2, serve.exitCode(), option);
            assertTrue(serve.err.text().contains(option + " must not be negative (0: no cap): -1"), serve.err.text());
        }
    }

    @Test
    void helpNamesTheCapsAndTheirDefaults() throws Exception {
        String help = CliRun.run("serve", "--help").out.text().replaceAll("\\s+", " ");
        assertTrue(help.contains("--max-connections=N Serve at most N connections at once"), help);
        assertTrue(help.contains("(default: 0, no cap)"), help);
        assertTrue(help.contains("--max-connections-per-address=N"), help);
        assertTrue(help.contains("--max-handshakes=N"), help);
        assertTrue(help.contains("(default: 1024; 0: no cap)"), help);
    }

    private static void assertRefusedWithoutAnAnswer(String url) throws Exception {
        CliRun refused = CliRun.run("connect", url);
        assertEquals(2, refused.exitCode());
        assertEquals(1, refused.err.lines().size(), refused.err.text());
        // A close (FIN) if the request had not arrived when the server closed, else a reset.
        String line = refused.err.lines().get(0);
        assertTrue(line.equals("weft: cannot connect to " + url + ": Connection reset")
                || line.startsWith("weft: handshake failed: the server closed the connection during the opening handshake"), line);
    }

    private static CliRun serve(String transport, String... caps) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--transport", transport));
        if (transport.equals("nio")) {
            args.addAll(List.of("--threads", "1"));
        }
        args.addAll(List.of(caps));
        CliRun serve = CliRun.start("", args.toArray(String[]::new));
        serve.out.awaitStartingWith("listening on ", WAIT);
        return serve;
    }

    private static String address(CliRun serve) {
        String line = serve.out.lines().get(0);
        Matcher m = LISTENING.matcher(line);
        assertTrue(m.matches(), line);
        return m.group(1);
    }

    private static void stop(CliRun serve) throws Exception {
        serve.subcommand("serve", ServeCommand.class).stop();
        assertEquals(0, serve.exitCode(), serve.err.text());
    }
}
