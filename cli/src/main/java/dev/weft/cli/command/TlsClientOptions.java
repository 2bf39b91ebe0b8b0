package dev.weft.cli.command;

import dev.weft.api.tls.ClientTls;
import dev.weft.transport.nio.NetworkLayer;
import dev.weft.transport.tls.Tls;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** How a client command trusts a {@code wss://} server: the system's trust store unless told otherwise. */
final class TlsClientOptions {

    @Option(names = "--trust-cert", paramLabel = "FILE",
            description = "For wss://, trust this certificate (PEM or DER) instead of the system's; "
                    + "the host name is still checked.")
    Path trustCertificate;

    @Option(names = {"-k", "--insecure"},
            description = "For wss://, trust any certificate and skip the host-name check (development only).")
    boolean insecure;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The NIO transport's TLS layer for {@code wss://} URLs.
     *
     * @throws ParameterException for contradictory options
     * @throws IOException if the certificate file cannot be read
     * @throws GeneralSecurityException if it is not a certificate
     */
    NetworkLayer.Factory layer() throws IOException, GeneralSecurityException {
        return Tls.client(tls());
    }

    /**
     * The TLS configuration for {@code wss://} URLs, whichever transport connects.
     *
     * @throws ParameterException for contradictory options
     * @throws IOException if the certificate file cannot be read
     * @throws GeneralSecurityException if it is not a certificate
     */
    ClientTls tls() throws IOException, GeneralSecurityException {
        if (insecure && trustCertificate != null) {
            throw new ParameterException(command.commandLine(), "--insecure and --trust-cert cannot be used together");
        }
        return insecure ? ClientTls.insecure()
                : trustCertificate != null ? ClientTls.trusting(trustCertificate) : ClientTls.defaults();
    }
}
