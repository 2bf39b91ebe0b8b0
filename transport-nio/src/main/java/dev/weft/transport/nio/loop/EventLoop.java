package dev.weft.transport.nio.loop;

import dev.weft.core.session.LoopFuture;
import dev.weft.core.session.Scheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;

/**
 * One selector thread: it owns a set of channels for their whole life, runs every task and timer
 * for them, and is the {@link Scheduler} of their sessions. Connections on one loop never need a
 * lock among themselves.
 *
 * <p>Tasks from other threads go into a lock-free queue; the selector is woken at most once per
 * batch of tasks (the wake-up is coalesced). The loop holds one direct read buffer, shared by all
 * its connections, so an idle connection holds no read buffer.
 */
public final class EventLoop implements Scheduler {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    /** Marks where the tasks of one turn of the loop end. */
    private static final Runnable END_OF_TURN = () -> { };
    private static final AtomicBoolean outOfMemoryLogged = new AtomicBoolean();

    /** Something registered with the selector: told when its key is ready. */
    public interface Ready {
        void onReady(SelectionKey key);
    }

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final PriorityQueue<LoopTimer> timers = new PriorityQueue<>();
    private final ByteBuffer readBuffer;
    private final ByteBuffer[] gather = new ByteBuffer[64];
    private final Stages stages = new Stages();
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private long timerSequence;
    private volatile boolean running = true;

    public EventLoop(String name, int readBufferSize) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.readBuffer = ByteBuffer.allocateDirect(readBufferSize);
        this.thread = new Thread(this::run, name);
    }

    public void start() {
        thread.start();
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inEventLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        LoopTimer timer = new LoopTimer(System.nanoTime() + Math.max(0, delayNanos), timerSequence++, task);
        timers.add(timer);
        return timer;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    /** The loop's shared read buffer; use it on the loop thread only, and leave nothing in it. */
    ByteBuffer readBuffer() {
        return readBuffer.clear();
    }

    /** What the loop lends its connections' write queues; on the loop thread only. */
    Stages stages() {
        return stages;
    }

    /** A scratch array for gathering writes, on the loop thread only. */
    ByteBuffer[] gatherArray() {
        return gather;
    }

    /** Registers a channel on this loop; call on the loop thread. */
    public SelectionKey register(SelectableChannel channel, int ops, Ready ready) throws IOException {
        return channel.register(selector, ops, ready);
    }

    /** Stops the loop after the tasks already queued; channels still registered are closed. */
    public void shutdown() {
        execute(() -> running = false);
    }

    /** Waits for the loop thread to end. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(unit.toMillis(timeout));
        return !thread.isAlive();
    }

    private void run() {
        LoopFuture.enterLoop(); // a future waited on here would never complete: refuse at once
        try {
            while (running) {
                select();
                runTasks();
                runTimers();
            }
        } catch (ClosedSelectorException e) {
            LOG.log(ERROR, "selector closed under event loop " + thread.getName(), e);
        } finally {
            closeAll();
        }
    }

    /** Waits for ready channels, or until a task or the next timer is due, and serves each ready one. */
    private void select() {
        // Ready keys go straight to dispatch, not through the selected-key set, whose bookkeeping
        // (a hash-set entry per ready key) would cost every wake-up.
        try {
            if (!tasks.isEmpty()) {
                selector.selectNow(dispatch);
                return;
            }
            LoopTimer next = timers.peek();
            if (next == null) {
                selector.select(dispatch);
            } else {
                long waitMillis = TimeUnit.NANOSECONDS.toMillis(next.due - System.nanoTime() + 999_999);
                if (waitMillis <= 0) {
                    selector.selectNow(dispatch);
                } else {
                    selector.select(dispatch, waitMillis);
                }
            }
        } catch (IOException e) {
            LOG.log(ERROR, "select failed on " + thread.getName(), e);
        }
    }

    private void dispatch(SelectionKey key) {
        try {
            if (key.isValid()) {
                ((Ready) key.attachment()).onReady(key);
            }
        } catch (RuntimeException | Error e) {
            // One connection's bug, or memory running out while serving it, must not stop the loop
            // that serves the others; the connection fails through its session, which tells the
            // handler and gives back what it held.
            logFailure("serving " + key.attachment(), e);
            try {
                if (key.attachment() instanceof NioConnection connection) {
                    connection.fail(new IOException("unexpected failure serving the connection: " + e, e));
                }
            } catch (RuntimeException | Error again) {
                logFailure("failing " + key.attachment(), again);
            } finally {
                closeQuietly(key);
            }
        }
    }

    /** Logs an unexpected failure at ERROR; an {@link OutOfMemoryError} only the first time. */
    private void logFailure(String doing, Throwable e) {
        boolean first = !(e instanceof OutOfMemoryError) || outOfMemoryLogged.compareAndSet(false, true);
        LOG.log(first ? ERROR : DEBUG, "unexpected failure " + doing + " on " + thread.getName(), e);
    }

    private void runTasks() {
        // Cleared before draining, so a task added meanwhile wakes the next select.
        wakeupPending.set(false);
        if (tasks.isEmpty()) {
            return;
        }
        // Only the tasks queued so far: one that queues another (a decoder going on with its next
        // slice) lets the loop select, and serve its other connections, first.
        tasks.add(END_OF_TURN);
        for (Runnable task; (task = tasks.poll()) != END_OF_TURN; ) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                logFailure("running a task", e);
            }
        }
    }

    private void runTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().due - now <= 0) {
            LoopTimer timer = timers.poll();
            Runnable task = timer.task;
            if (task != null) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    logFailure("running a timer", e);
                }
            }
        }
    }

    private void closeAll() {
        for (SelectionKey key : selector.keys()) {
            // A connection still here is told, so its handler sees its close (1006).
            if (key.attachment() instanceof NioConnection connection) {
                connection.fail(new IOException("the event loop " + thread.getName() + " stopped"));
            } else {
                closeQuietly(key);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(ERROR, "cannot close the selector of " + thread.getName(), e);
        }
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // Already failing; nothing more to do with this channel.
        }
    }

    @Override
    public String toString() {
        return thread.getName();
    }

    private static final class LoopTimer implements Timer, Comparable<LoopTimer> {
        final long due;
        final long order;
        /** Null once cancelled: a cancelled timer waits in the heap until due, and must not keep its task's objects alive. */
        Runnable task;

        LoopTimer(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        @Override
        public void cancel() {
            task = null;
        }

        @Override
        public int compareTo(LoopTimer o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
        }
    }
}
