package dev.weft.core.session;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks on another executor one at a time, in submission order: a connection's handler
 * callbacks keep their order and never overlap, whatever pool runs them. Thread-safe.
 */
final class SerialExecutor implements Executor {

    private final Executor executor;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        } finally {
            scheduled.set(false);
            // A task added after the last poll but before the flag was cleared.
            schedule();
        }
    }
}
