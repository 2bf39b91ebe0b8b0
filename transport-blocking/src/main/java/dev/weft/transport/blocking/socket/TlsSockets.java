package dev.weft.transport.blocking.socket;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Puts TLS on a connected socket for a client. */
public final class TlsSockets {

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");

    private final SSLContext context;
    private final SSLParameters base;

    private TlsSockets(SSLContext context, SSLParameters base) {
        this.context = context;
        this.base = base;
    }

    public static TlsSockets client(SSLContext context, SSLParameters base) {
        return new TlsSockets(context, base);
    }

    /** Runs the TLS handshake over {@code socket} within {@code timeout}, checking the host name. */
    public Socket secure(Socket socket, String host, int port, Duration timeout) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
        SSLParameters p = base != null ? base : context.getDefaultSSLParameters();
        p.setProtocols(Arrays.stream(p.getProtocols()).filter(PROTOCOLS::contains).toArray(String[]::new));
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!IP_LITERAL.matcher(host).matches()) {
            p.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(p);
        ssl.setSoTimeout((int) timeout.toMillis());
        ssl.startHandshake();
        ssl.setSoTimeout(0);
        return ssl;
    }
}
