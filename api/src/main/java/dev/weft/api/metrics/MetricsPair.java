package dev.weft.api.metrics;

import dev.weft.api.Role;

/** Two listeners told of each event in turn: what {@link WebSocketMetrics#andThen} makes. */
final class MetricsPair implements WebSocketMetrics {

    private final WebSocketMetrics first;
    private final WebSocketMetrics second;

    MetricsPair(WebSocketMetrics first, WebSocketMetrics second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void socketOpened() {
        first.socketOpened();
        second.socketOpened();
    }

    @Override
    public void socketClosed() {
        first.socketClosed();
        second.socketClosed();
    }

    @Override
    public void brokerMissed(long messages) {
        first.brokerMissed(messages);
        second.brokerMissed(messages);
    }

    @Override
    public void brokerPublishDropped() {
        first.brokerPublishDropped();
        second.brokerPublishDropped();
    }

    @Override
    public void brokerArrivalDropped() {
        first.brokerArrivalDropped();
        second.brokerArrivalDropped();
    }

    @Override
    public void bytesRead(long bytes) {
        first.bytesRead(bytes);
        second.bytesRead(bytes);
    }

    @Override
    public void bytesWritten(long bytes) {
        first.bytesWritten(bytes);
        second.bytesWritten(bytes);
    }

    @Override
    public void refused(Refusal cap) {
        first.refused(cap);
        second.refused(cap);
    }

    @Override
    public void acceptFailed() {
        first.acceptFailed();
        second.acceptFailed();
    }

    @Override
    public void handshakeRefused(int status) {
        first.handshakeRefused(status);
        second.handshakeRefused(status);
    }

    @Override
    public void memoryBudget(MemoryUse budget) {
        first.memoryBudget(budget);
        second.memoryBudget(budget);
    }

    @Override
    public ConnectionMetrics opened(Role role, String endpoint) {
        ConnectionMetrics a = first.opened(role, endpoint);
        ConnectionMetrics b = second.opened(role, endpoint);
        if (b == ConnectionMetrics.NONE) {
            return a;
        }
        return a == ConnectionMetrics.NONE ? b : new Connection(a, b);
    }

    /** The two listeners of one connection. */
    private record Connection(ConnectionMetrics first, ConnectionMetrics second) implements ConnectionMetrics {

        @Override
        public void messageReceived() {
            first.messageReceived();
            second.messageReceived();
        }

        @Override
        public void messageSent() {
            first.messageSent();
            second.messageSent();
        }

        @Override
        public void sliceDecoded() {
            first.sliceDecoded();
            second.sliceDecoded();
        }

        @Override
        public void failed(int code) {
            first.failed(code);
            second.failed(code);
        }

        @Override
        public void writeQueueFull(long queuedBytes) {
            first.writeQueueFull(queuedBytes);
            second.writeQueueFull(queuedBytes);
        }

        @Override
        public void writeQueueDrained() {
            first.writeQueueDrained();
            second.writeQueueDrained();
        }

        @Override
        public void writeQueuePeak(long bytes) {
            first.writeQueuePeak(bytes);
            second.writeQueuePeak(bytes);
        }

        @Override
        public void budgetPaused() {
            first.budgetPaused();
            second.budgetPaused();
        }

        @Override
        public void closedByBudget() {
            first.closedByBudget();
            second.closedByBudget();
        }

        @Override
        public void closed(int code, CloseSide side) {
            first.closed(code, side);
            second.closed(code, side);
        }
    }
}
