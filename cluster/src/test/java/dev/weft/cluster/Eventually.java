package dev.weft.cluster;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Waits for a condition that other threads make true, checking it until a generous deadline: a
 * deadline that only a broken build reaches, never a sleep that a slow machine outruns.
 */
final class Eventually {

    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private Eventually() {
    }

    static void until(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("still not so after 30 s: " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }
}
