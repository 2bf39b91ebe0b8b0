package dev.weft.transport.blocking.socket;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads a blocking connection runs on: virtual threads where the JDK has them (Java 21 and
 * later), platform threads otherwise. Weft is built for Java 17, whose class library has no
 * virtual-thread API, so it is found at run time through a method handle: one lookup when this
 * class loads, then an ordinary call per thread. (A multi-release jar would need a second javac in
 * the build; a method handle needs nothing.)
 */
public final class Threads {

    /** The JDK's virtual-thread builder, reached through method handles; null before Java 21. */
    private record VirtualApi(MethodHandle ofVirtual, MethodHandle name, MethodHandle factory) {
    }

    private static final VirtualApi VIRTUAL = findVirtualApi();

    private Threads() {
    }

    /** Whether this JVM has virtual threads. */
    public static boolean virtualThreadsAvailable() {
        return VIRTUAL != null;
    }

    /**
     * An executor for work that comes and goes (timer tasks, a client's connections), never bounded:
     * a new virtual thread per task where there are virtual threads, else platform daemon threads
     * reused while they are idle for less than a minute.
     */
    public static Executor perTask(String namePrefix) {
        if (virtualThreadsAvailable()) {
            ThreadFactory factory = virtualFactory(namePrefix);
            return task -> factory.newThread(task).start();
        }
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonFactory(namePrefix));
    }

    /**
     * A pool of at most {@code maxThreads} platform daemon threads that hands each task to a free
     * thread or refuses it ({@link java.util.concurrent.RejectedExecutionException}); idle threads end
     * after a minute. What a server runs connections on where there are no virtual threads.
     */
    public static ExecutorService boundedPool(String namePrefix, int maxThreads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(maxThreads, maxThreads, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemonFactory(namePrefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * One platform daemon thread with a queue of {@code queued} tasks, refusing more
     * ({@link java.util.concurrent.RejectedExecutionException}); the thread ends after a minute idle.
     */
    public static ExecutorService singleThreadWithQueue(String name, int queued) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(queued), daemonFactory(name + "-"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Platform daemon threads named {@code prefix} and a number. */
    public static ThreadFactory daemonFactory(String prefix) {
        AtomicLong next = new AtomicLong();
        return task -> {
            Thread thread = new Thread(task, prefix + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** {@code Thread.ofVirtual().name(prefix, 0).factory()}. */
    private static ThreadFactory virtualFactory(String prefix) {
        try {
            Object builder = VIRTUAL.ofVirtual().invoke();
            builder = VIRTUAL.name().invoke(builder, prefix, 0L);
            return (ThreadFactory) VIRTUAL.factory().invoke(builder);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot make virtual threads", e);
        }
    }

    private static VirtualApi findVirtualApi() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            VirtualApi api = new VirtualApi(
                    lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)),
                    lookup.findVirtual(ofVirtual, "name", MethodType.methodType(ofVirtual, String.class, long.class)),
                    lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class)));
            api.ofVirtual().invoke(); // Java 19 and 20 have the API only as a preview, refused unless enabled
            return api;
        } catch (Throwable e) {
            return null; // before Java 21
        }
    }
}
