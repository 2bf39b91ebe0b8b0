package dev.weft.cli.command;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Failures in words, with no Java class name. */
class FailuresTest {

    @Test
    void javaFailuresAreDescribedInWords() {
        assertEquals("unknown host", Failures.describe(new UnresolvedAddressException()));
        assertEquals("port 99999 is out of range (0 to 65535)", Failures.describe(
                assertThrows(IllegalArgumentException.class, () -> new InetSocketAddress("127.0.0.1", 99999))));
        assertEquals("not a valid URL: 'ws://a b' (illegal character in authority at index 5)",
                Failures.describe(assertThrows(URISyntaxException.class, () -> new URI("ws://a b"))));
        assertEquals("Connection refused",
                Failures.describe(new CompletionException(new ConnectException("Connection refused"))));
        assertEquals("the address is in use (is another server running there? --port 0 picks a free port)",
                Failures.describe(new BindException("Address already in use")));
        assertEquals("the connection closed", Failures.describe(new java.nio.channels.ClosedChannelException()));
        assertEquals("something odd", Failures.describe(new IOException("java.io.IOException: something odd")));
    }

    @Test
    void tlsMixUpsComeWithAHint() {
        assertEquals("the server's certificate is not trusted (trust it with --trust-cert FILE, or --insecure for a test server)",
                Failures.describe(new SSLHandshakeException("PKIX path building failed: unable to find valid certification path")));
        assertEquals("the server does not speak TLS there (ws:// rather than wss://?)",
                Failures.describe(new SSLException("Unsupported or unrecognized SSL message")));
        assertEquals("cannot connect to wss://127.0.0.1:1/: the server does not speak TLS there (ws:// rather than wss://?)",
                Failures.connectFailure(URI.create("wss://127.0.0.1:1/"), new IOException("TLS handshake with 127.0.0.1:1 "
                        + "failed: Unrecognized SSL message, plaintext connection?")));
    }

    @Test
    void anUnresolvedHostIsNamed() {
        assertEquals("cannot connect to ws://nowhere.invalid/echo: unknown host nowhere.invalid",
                Failures.connectFailure(URI.create("ws://nowhere.invalid/echo"), new UnresolvedAddressException()));
    }
}
