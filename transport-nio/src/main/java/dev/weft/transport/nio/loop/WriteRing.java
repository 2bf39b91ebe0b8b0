package dev.weft.transport.nio.loop;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A write queue's bookkeeping, kept in arrays so that queuing a write allocates nothing: the
 * buffers waiting, in order, each marked if it is a stage; and the futures of the writes, each with
 * the count of queued bytes at which its write ends. Both grow as needed. Loop thread only.
 */
final class WriteRing {

    private ByteBuffer[] buffers = new ByteBuffer[8];
    private boolean[] staged = new boolean[8];
    private int first;
    private int count;

    private long[] ends = new long[8];
    @SuppressWarnings("unchecked")
    private CompletableFuture<Void>[] futures = new CompletableFuture[8];
    private int firstFuture;
    private int futureCount;

    /** Whether it holds neither buffers nor futures. */
    boolean isEmpty() {
        return count == 0 && futureCount == 0;
    }

    /** The number of buffers. */
    int size() {
        return count;
    }

    /** Buffer {@code i}, counted from the first. */
    ByteBuffer buffer(int i) {
        return buffers[slot(i)];
    }

    /** Whether buffer {@code i} is a stage. */
    boolean isStage(int i) {
        return staged[slot(i)];
    }

    /** Replaces buffer {@code i}. */
    void replace(int i, ByteBuffer buffer, boolean stage) {
        buffers[slot(i)] = buffer;
        staged[slot(i)] = stage;
    }

    /** Appends a buffer. */
    void add(ByteBuffer buffer, boolean stage) {
        if (count == buffers.length) {
            growBuffers();
        }
        int slot = slot(count++);
        buffers[slot] = buffer;
        staged[slot] = stage;
    }

    /** Removes the first buffer. */
    void poll() {
        buffers[first] = null;
        first = (first + 1) & (buffers.length - 1);
        count--;
    }

    /** Puts up to {@code gather.length} buffers, first to last, into {@code gather}; returns how many. */
    int fill(ByteBuffer[] gather) {
        int k = Math.min(count, gather.length);
        for (int i = 0; i < k; i++) {
            gather[i] = buffer(i);
        }
        return k;
    }

    /** Appends the future of a write that ends once {@code end} bytes have been written. */
    void addFuture(long end, CompletableFuture<Void> future) {
        if (futureCount == futures.length) {
            growFutures();
        }
        int slot = (firstFuture + futureCount++) & (futures.length - 1);
        ends[slot] = end;
        futures[slot] = future;
    }

    /** Removes and returns the first future if its write ends within {@code written} bytes; else null. */
    CompletableFuture<Void> pollFuture(long written) {
        if (futureCount == 0 || ends[firstFuture] > written) {
            return null;
        }
        CompletableFuture<Void> future = futures[firstFuture];
        futures[firstFuture] = null;
        firstFuture = (firstFuture + 1) & (futures.length - 1);
        futureCount--;
        return future;
    }

    private int slot(int i) {
        return (first + i) & (buffers.length - 1);
    }

    private void growBuffers() {
        ByteBuffer[] moreBuffers = new ByteBuffer[buffers.length * 2];
        boolean[] moreStaged = new boolean[moreBuffers.length];
        for (int i = 0; i < count; i++) {
            moreBuffers[i] = buffers[slot(i)];
            moreStaged[i] = staged[slot(i)];
        }
        buffers = moreBuffers;
        staged = moreStaged;
        first = 0;
    }

    @SuppressWarnings("unchecked")
    private void growFutures() {
        long[] moreEnds = new long[ends.length * 2];
        CompletableFuture<Void>[] moreFutures = new CompletableFuture[moreEnds.length];
        for (int i = 0; i < futureCount; i++) {
            int slot = (firstFuture + i) & (futures.length - 1);
            moreEnds[i] = ends[slot];
            moreFutures[i] = futures[slot];
        }
        ends = moreEnds;
        futures = moreFutures;
        firstFuture = 0;
    }
}
