package dev.weft.cli.command;

import dev.weft.api.handshake.HandshakeException;

import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** One-line descriptions of failures, for messages on standard error. */
final class Failures {

    private Failures() {
    }

    /** The failure itself, out of the wrappers that futures put around it. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** What went wrong, in a few words: the message, or the kind of failure if it has none. */
    static String describe(Throwable t) {
        Throwable cause = unwrap(t);
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /**
     * Why a connection to {@code uri} could not be opened: {@code handshake failed: server answered
     * 404 Not Found}, {@code cannot connect to ws://127.0.0.1:9/: Connection refused}...
     */
    static String connectFailure(URI uri, Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof HandshakeException) {
            return "handshake failed: " + describe(cause);
        }
        if (cause instanceof IllegalArgumentException) {
            // The URI itself is the problem (wss:// without TLS, no host...), and the message says how.
            return describe(cause);
        }
        if (cause instanceof UnknownHostException) {
            return "cannot connect to " + uri + ": unknown host " + describe(cause);
        }
        return "cannot connect to " + uri + ": " + describe(cause);
    }
}
