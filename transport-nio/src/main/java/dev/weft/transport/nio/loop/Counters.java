package dev.weft.transport.nio.loop;

import dev.weft.api.CloseCodes;
import dev.weft.api.Role;
import dev.weft.api.metrics.CloseSide;
import dev.weft.api.metrics.ConnectionMetrics;
import dev.weft.api.metrics.MemoryUse;
import dev.weft.api.metrics.WebSocketMetrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The metrics listener every NIO server and client keeps for itself, whatever other listener it
 * was given: the writable side of {@link dev.weft.transport.nio.TransportStats}, which reads these.
 * Every connection counts into the same adders, so it is its own {@link ConnectionMetrics}.
 * Thread-safe.
 */
public final class Counters implements WebSocketMetrics, ConnectionMetrics {

    public final AtomicLong connectionsOpen = new AtomicLong();
    public final LongAdder connectionsTotal = new LongAdder();
    public final LongAdder messagesIn = new LongAdder();
    public final LongAdder messagesOut = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final LongAdder slicesDecoded = new LongAdder();
    public final ConcurrentHashMap<Integer, LongAdder> closes = new ConcurrentHashMap<>();
    public final LongAdder refusedAtConnectionCap = new LongAdder();
    public final LongAdder refusedAtAddressCap = new LongAdder();
    public final LongAdder refusedAtHandshakeCap = new LongAdder();
    public final LongAdder acceptFailures = new LongAdder();
    public final LongAdder closedByBudget = new LongAdder();
    /** What every connection's holdings are charged to; set as the server or client is built. */
    private volatile MemoryUse budget;

    /** The budget of {@link #memoryBudget}. */
    public MemoryUse budget() {
        return budget;
    }

    @Override
    public void memoryBudget(MemoryUse use) {
        this.budget = use;
    }

    @Override
    public ConnectionMetrics opened(Role role, String endpoint) {
        return this;
    }

    @Override
    public void socketOpened() {
        connectionsOpen.incrementAndGet();
        connectionsTotal.increment();
    }

    @Override
    public void socketClosed() {
        connectionsOpen.decrementAndGet();
    }

    @Override
    public void bytesRead(long bytes) {
        bytesIn.add(bytes);
    }

    @Override
    public void bytesWritten(long bytes) {
        bytesOut.add(bytes);
    }

    @Override
    public void refused(Refusal cap) {
        switch (cap) {
            case CONNECTION_CAP -> refusedAtConnectionCap.increment();
            case ADDRESS_CAP -> refusedAtAddressCap.increment();
            case HANDSHAKE_CAP -> refusedAtHandshakeCap.increment();
        }
    }

    @Override
    public void acceptFailed() {
        acceptFailures.increment();
    }

    @Override
    public void messageReceived() {
        messagesIn.increment();
    }

    @Override
    public void messageSent() {
        messagesOut.increment();
    }

    @Override
    public void sliceDecoded() {
        slicesDecoded.increment();
    }

    @Override
    public void failed(int code) {
        if (code != CloseCodes.INTERNAL_ERROR) {
            protocolErrors.increment();
        }
    }

    @Override
    public void closedByBudget() {
        closedByBudget.increment();
    }

    @Override
    public void closed(int code, CloseSide side) {
        closes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }
}
