package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.api.Utf8TextHandler;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * Sends every message back as it came, text as text and binary as binary, byte for byte: what
 * the Autobahn|Testsuite asks of a testee, as a server ({@code /echo}) and as a client. It keeps
 * no state of a connection's, so a server shares one among all its connections.
 */
final class EchoHandler implements Utf8TextHandler {

    /** The one a server's connections share. */
    static final EchoHandler SHARED = new EchoHandler(status -> { });

    private static final System.Logger LOG = System.getLogger(EchoHandler.class.getName());

    private final Consumer<CloseStatus> onClosed;

    /** @param onClosed told how a connection closed */
    EchoHandler(Consumer<CloseStatus> onClosed) {
        this.onClosed = onClosed;
    }

    @Override
    public void onOpen(Connection connection) {
        LOG.log(DEBUG, () -> "echo: open, from " + connection.remoteAddress() + ", extensions: "
                + (connection.extensions().isEmpty() ? "none" : connection.extensions().stream()
                        .map(Object::toString).collect(Collectors.joining(", "))));
    }

    // Text is taken as the UTF-8 bytes that came and sent back as they are, never decoded, and
    // nothing waits for a send: an echo allocates only its message's copy.
    @Override
    public void onUtf8Text(Connection connection, ByteBuffer utf8) {
        connection.trySendUtf8Text(utf8);
    }

    @Override
    public void onBinary(Connection connection, ByteBuffer data) {
        connection.trySendBinary(data);
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        LOG.log(DEBUG, () -> "echo: " + connection.remoteAddress() + " failed: " + error.getMessage());
    }

    @Override
    public void onClose(Connection connection, int code, String reason) {
        CloseStatus status = new CloseStatus(code, reason);
        LOG.log(DEBUG, () -> "echo: closed " + status + ", " + connection.remoteAddress());
        onClosed.accept(status);
    }
}
