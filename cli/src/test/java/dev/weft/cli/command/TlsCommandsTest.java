package dev.weft.cli.command;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft serve} with a self-signed certificate, and {@code weft connect} over wss://. */
class TlsCommandsTest {

    private static final Pattern LISTENING = Pattern.compile("listening on wss://127\\.0\\.0\\.1:(\\d+) \\(nio, 1 event loop\\)");
    private static final Pattern TRUST = Pattern.compile(".*'weft connect --trust-cert (\\S+)'.*");

    private static CliRun serve;
    private static String url;
    private static String certificate;

    @BeforeAll
    static void startServer() throws Exception {
        serve = CliRun.start("", "serve", "--tls-self-signed", "--port", "0", "--threads", "1");
        Matcher listening = LISTENING.matcher(serve.out.awaitStartingWith("listening on ", WAIT));
        assertTrue(listening.matches(), serve.out.text());
        url = "wss://127.0.0.1:" + listening.group(1) + "/echo";
        Matcher trust = TRUST.matcher(serve.err.awaitStartingWith("self-signed certificate", WAIT));
        assertTrue(trust.matches(), serve.err.text());
        certificate = trust.group(1);
    }

    @AfterAll
    static void stopServer() throws Exception {
        serve.subcommand("serve", ServeCommand.class).stop();
        assertEquals(0, serve.exitCode());
    }

    @Test
    void connectRoundTripsWithInsecure() throws Exception {
        CliRun connect = CliRun.start("hello\nsecure ✓\n", "connect", url, "--insecure");
        assertEquals(0, connect.exitCode(), connect.err.text());
        assertEquals("hello\nsecure ✓\n", connect.out.text());
        assertEquals(List.of("connected to " + url + " (subprotocol: none, extensions: none)"), connect.err.lines());
    }

    @Test
    void connectRoundTripsTrustingTheServersCertificate() throws Exception {
        CliRun connect = CliRun.start("pinned\n", "connect", url, "--trust-cert", certificate);
        assertEquals(0, connect.exitCode(), connect.err.text());
        assertEquals("pinned\n", connect.out.text());
    }

    @Test
    void anUntrustedCertificateFailsWithAClearMessage() throws Exception {
        CliRun connect = CliRun.start("never sent\n", "connect", url);
        assertEquals(2, connect.exitCode());
        assertEquals(1, connect.err.lines().size(), connect.err.text());
        String message = connect.err.lines().get(0);
        assertTrue(message.startsWith("weft: cannot connect to " + url + ": "), message);
        assertTrue(message.contains("not trusted"), message);
    }

    @Test
    void insecureAndTrustCertAreExclusive() throws Exception {
        CliRun connect = CliRun.start("", "connect", url, "--insecure", "--trust-cert", certificate);
        assertEquals(2, connect.exitCode());
        assertTrue(connect.err.text().contains("cannot be used together"), connect.err.text());
    }
}
