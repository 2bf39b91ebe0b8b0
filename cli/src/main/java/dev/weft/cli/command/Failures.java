package dev.weft.cli.command;

import dev.weft.api.handshake.HandshakeException;

import java.io.EOFException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.UnrecoverableKeyException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * One-line descriptions of failures, for messages on standard error: in words, never a Java class
 * name or a JDK message that only a Java programmer can read, and with a hint where one helps.
 */
final class Failures {

    /** A class name a message quotes, such as {@code java.io.IOException: }, with what follows it kept. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)(?::\\s*)?");
    private static final Pattern PORT_OUT_OF_RANGE = Pattern.compile("port out of range:\\s*(-?\\d+)");

    private Failures() {
    }

    /** The failure itself, out of the wrappers that futures put around it. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** What went wrong, in a few words. */
    static String describe(Throwable t) {
        Throwable cause = unwrap(t);
        String message = cause.getMessage() == null ? "" : CLASS_NAME.matcher(cause.getMessage()).replaceAll("").strip();
        var port = PORT_OUT_OF_RANGE.matcher(message);
        if (port.find()) {
            return "port " + port.group(1) + " is out of range (0 to 65535)";
        }
        if (cause instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + message;
        }
        if (cause instanceof URISyntaxException e) {
            return "not a valid URL: '" + e.getInput() + "' (" + lowerFirst(e.getReason()) + " at index " + e.getIndex() + ")";
        }
        if (cause instanceof NoSuchFileException e) {
            return "no such file: " + e.getFile();
        }
        if (cause instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (cause instanceof BindException) {
            return message.toLowerCase(Locale.ROOT).contains("in use")
                    ? "the address is in use (is another server running there? --port 0 picks a free port)"
                    : message.isEmpty() ? "cannot bind" : message;
        }
        if (cause instanceof ConnectException) {
            return message.isEmpty() ? "Connection refused" : message; // as every tool says it
        }
        if (cause instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
            return "timed out" + (message.isEmpty() ? "" : ": " + message);
        }
        if (cause instanceof ClosedChannelException || cause instanceof EOFException) {
            return "the connection closed";
        }
        // A transport may wrap the JDK's TLS failure in one of its own: look through the chain.
        if (mentions(cause, "PKIX path")) {
            return "the server's certificate is not trusted (trust it with --trust-cert FILE, or --insecure for a test server)";
        }
        if (mentions(cause, "unrecognized ssl message")) {
            return "the server does not speak TLS there (ws:// rather than wss://?)";
        }
        if (hasCause(cause, UnrecoverableKeyException.class) || message.contains("password was incorrect")) {
            return "wrong password, or not a PKCS12 or JKS keystore";
        }
        return message.isEmpty() ? words(cause) : message;
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
        if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
            return "cannot connect to " + uri + ": unknown host " + uri.getHost();
        }
        if (cause instanceof IllegalArgumentException) {
            // The URI itself is the problem (wss:// without TLS, no host, a bad port...), and the message says how.
            return describe(cause);
        }
        return "cannot connect to " + uri + ": " + describe(cause);
    }

    /** Whether the message of {@code t} or of a cause of it contains {@code words}, whatever their case. */
    private static boolean mentions(Throwable t, String words) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && c.getMessage().toLowerCase(Locale.ROOT).contains(words.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** A failure with no message, named in words: {@code UnresolvedAddressException} is "unresolved address". */
    private static String words(Throwable t) {
        String name = t.getClass().getSimpleName().replaceAll("(Exception|Error)$", "");
        return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    private static String lowerFirst(String s) {
        // "Illegal character" reads as a clause inside the sentence; an acronym ("TLS ...") keeps its case.
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }
}
