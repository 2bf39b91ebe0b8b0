package dev.weft.transport.nio.loop;

import dev.weft.api.CloseCodes;
import dev.weft.core.handshake.ConnectionCaps;
import dev.weft.core.session.MemoryBudget;
import dev.weft.core.session.SessionMetrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a server's or client's loops and sessions count, and the memory budget they share: the
 * writable side of {@link dev.weft.transport.nio.TransportStats}, which reads these. Thread-safe:
 * every loop counts into the same adders.
 */
public final class Counters implements SessionMetrics, ConnectionCaps.Refusals {

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
    /** What every connection's holdings are charged to. */
    public final MemoryBudget budget;

    public Counters(MemoryBudget budget) {
        this.budget = budget;
    }

    @Override
    public void messageReceived() {
        messagesIn.increment();
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
    public void closed(int code) {
        closes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    @Override
    public void refused(ConnectionCaps.Cap cap) {
        switch (cap) {
            case CONNECTIONS -> refusedAtConnectionCap.increment();
            case PER_ADDRESS -> refusedAtAddressCap.increment();
            case HANDSHAKES -> refusedAtHandshakeCap.increment();
        }
    }

    public void connectionOpened() {
        connectionsOpen.incrementAndGet();
        connectionsTotal.increment();
    }

    public void connectionClosed() {
        connectionsOpen.decrementAndGet();
    }
}
