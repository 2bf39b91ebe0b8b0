package dev.weft.cli.connect;

/**
 * Where {@code weft connect} writes its lines: {@link #out} for what the connection carried (what a
 * script reads from standard output), {@link #err} for what is said about it. Thread-safe.
 */
public interface Lines {

    /** A line of output proper. */
    void out(String line);

    /** A status or error line. */
    void err(String line);
}
