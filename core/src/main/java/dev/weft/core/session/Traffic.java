package dev.weft.core.session;

import dev.weft.api.metrics.CloseSide;
import dev.weft.api.metrics.ConnectionMetrics;

/**
 * One connection's own counts of messages and bytes each way, kept where the engine reports its
 * events: every event goes on to the connection's metrics listener, so the listener and the
 * access log count the same messages. Bytes are frame bytes (headers included) as the engine took
 * them from and handed them to the transport: after TLS, not counting the opening handshake.
 *
 * <p>Plain fields, incremented on the session's thread (the loop, or the blocking transport's
 * serialised session calls): no allocation and no atomic per message.
 */
final class Traffic implements ConnectionMetrics {

    private final ConnectionMetrics listener;
    long messagesIn;
    long messagesOut;
    long bytesIn;
    long bytesOut;

    Traffic(ConnectionMetrics listener) {
        this.listener = listener;
    }

    void received(int bytes) {
        bytesIn += bytes;
    }

    void sent(long bytes) {
        bytesOut += bytes;
    }

    @Override
    public void messageReceived() {
        messagesIn++;
        listener.messageReceived();
    }

    @Override
    public void messageSent() {
        messagesOut++;
        listener.messageSent();
    }

    @Override
    public void sliceDecoded() {
        listener.sliceDecoded();
    }

    @Override
    public void failed(int code) {
        listener.failed(code);
    }

    @Override
    public void writeQueueFull(long queuedBytes) {
        listener.writeQueueFull(queuedBytes);
    }

    @Override
    public void writeQueueDrained() {
        listener.writeQueueDrained();
    }

    @Override
    public void writeQueuePeak(long bytes) {
        listener.writeQueuePeak(bytes);
    }

    @Override
    public void budgetPaused() {
        listener.budgetPaused();
    }

    @Override
    public void closedByBudget() {
        listener.closedByBudget();
    }

    @Override
    public void closed(int code, CloseSide side) {
        listener.closed(code, side);
    }
}
