package dev.weft.transport.tls;

import dev.weft.api.Role;

import javax.net.ssl.SSLException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;

/**
 * Turns an {@link SSLException} into a sentence a user can act on: the JDK's messages ("PKIX path
 * building failed: ...") name the mechanism, not the problem. The JDK's message is kept at the end.
 * Stateless.
 */
final class TlsFailures {

    /** The alerts a server answers a client's certificate (or the lack of one) with. */
    private static final List<String> CERTIFICATE_REFUSALS = List.of("bad_certificate", "certificate_required", "certificate_unknown");

    private TlsFailures() {
    }

    /**
     * @param local which end the failing side is
     * @param peer the peer as {@code host:port}
     * @param host the host name the client connected to (the one its certificate check used)
     * @param handshaking whether the handshake was still going on
     */
    static String describe(SSLException e, Role local, String peer, String host, boolean handshaking) {
        String prefix = handshaking ? "TLS handshake with " + peer + " failed" : "TLS failed on the connection with " + peer;
        String certificate = local == Role.CLIENT ? "the server's certificate" : "the client's certificate";
        String problem;
        if (causedBy(e, CertPathBuilderException.class) || causedBy(e, CertPathValidatorException.class)) {
            problem = certificate + " is not trusted";
        } else if (local == Role.CLIENT && isHostNameMismatch(e)) {
            problem = certificate + " is not valid for the host name " + host;
        } else if (local == Role.CLIENT && isClientCertificateRefusal(e)) {
            problem = "the server wants a client certificate it trusts";
        } else {
            return prefix + ": " + e.getMessage();
        }
        return prefix + ": " + problem + " (" + e.getMessage() + ")";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A server that asked for a client certificate got none, or none it trusts: the client learns it
     * only from the alert, such as "Received fatal alert: bad_certificate" (RFC 8446 §6.2).
     */
    private static boolean isClientCertificateRefusal(SSLException e) {
        String message = e.getMessage();
        return message != null && CERTIFICATE_REFUSALS.stream().anyMatch(alert -> message.endsWith("fatal alert: " + alert));
    }

    /**
     * The JDK checks names (RFC 6125) in a trust manager and reports a mismatch only as a
     * {@link CertificateException} with a message such as "No subject alternative names matching IP
     * address 127.0.0.1 found" or "No name matching example.com found".
     */
    private static boolean isHostNameMismatch(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof CertificateException && message != null
                    && (message.startsWith("No subject alternative") || message.startsWith("No name matching"))) {
                return true;
            }
        }
        return false;
    }
}
