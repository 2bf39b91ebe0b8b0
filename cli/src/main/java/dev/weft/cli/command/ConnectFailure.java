package dev.weft.cli.command;

import dev.weft.api.handshake.HandshakeException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.URI;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;

/**
 * Why {@code weft connect} could not connect, in one line with a hint for the mistakes people make:
 * nothing listening, {@code ws://} to a TLS server or {@code wss://} to a plain one, a self-signed
 * certificate. Other failures are described as {@link Failures#connectFailure} does.
 */
final class ConnectFailure {

    private ConnectFailure() {
    }

    /** {@code cannot connect to wss://127.0.0.1:8443/: the server's certificate is not trusted (...)}. */
    static String describe(URI url, Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        String secure = "wss".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()) ? "wss" : "ws";
        String cannot = "cannot connect to " + url + ": ";
        if (causedBy(cause, CertPathBuilderException.class) || causedBy(cause, CertPathValidatorException.class)) {
            return cannot + "the server's certificate is not trusted (for a self-signed one, add --trust-cert FILE "
                    + "with the server's certificate, or --insecure for development only)";
        }
        if (isHostNameMismatch(cause)) {
            return cannot + "the server's certificate is not valid for " + url.getHost()
                    + " (connect with a name the certificate lists, or --insecure for development only)";
        }
        if (secure.equals("wss") && causedBy(cause, SSLException.class)
                && String.valueOf(find(cause, SSLException.class).getMessage()).contains("SSL message")) {
            return cannot + "the server does not speak TLS (for a plain server, use ws://)";
        }
        if (secure.equals("ws") && cause instanceof HandshakeException h && h.status() == 0) {
            return Failures.connectFailure(url, cause) + " (if the server speaks TLS, use wss://)";
        }
        if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).startsWith("Connection refused")) {
            int port = url.getPort() >= 0 ? url.getPort() : secure.equals("wss") ? 443 : 80;
            return cannot + "connection refused (is a server listening on " + url.getHost() + ":" + port + "?)";
        }
        return Failures.connectFailure(url, failure);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return find(e, type) != null;
    }

    /** The first of {@code e} and its causes that is a {@code type}, or null. */
    private static Throwable find(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    /** The JDK reports a name its certificate check did not find only in the message of a {@link CertificateException}. */
    private static boolean isHostNameMismatch(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof CertificateException && (message.startsWith("no subject alternative") || message.startsWith("no name matching"))) {
                return true;
            }
        }
        return false;
    }
}
