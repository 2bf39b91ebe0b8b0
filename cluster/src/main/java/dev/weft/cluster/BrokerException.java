package dev.weft.cluster;

/** A broker could not do what was asked: most often, its engine could not be reached at start. */
public class BrokerException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the engine (its URI without credentials) */
    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what failed, naming the engine */
    public BrokerException(String message) {
        super(message);
    }
}
