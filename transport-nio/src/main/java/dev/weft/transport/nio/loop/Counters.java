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
    /** Messages and bytes, counted per message and per read and write: by each thread in a lane of its own. */
    public final Lanes traffic = new Lanes();
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
        traffic.add(Lanes.Count.BYTES_IN, bytes);
    }

    @Override
    public void bytesWritten(long bytes) {
        traffic.add(Lanes.Count.BYTES_OUT, bytes);
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
        traffic.add(Lanes.Count.MESSAGES_IN, 1);
    }

    @Override
    public void messageSent() {
        traffic.add(Lanes.Count.MESSAGES_OUT, 1);
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
