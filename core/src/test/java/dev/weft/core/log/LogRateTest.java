package dev.weft.core.log;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The peer log's rate: a flood of bad peers yields a few lines a second, and the count of the rest. */
class LogRateTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void atMostTheRatePerSecondThenTheNextLineCountsWhatWasLeftOut() {
        LogRate rate = new LogRate(3, 0);
        long t = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(0, rate.admit(t + i));
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(LogRate.LEAVE_OUT, rate.admit(t + 10 + i));
        }
        assertEquals(1000, rate.admit(SECOND), "the first line of the next second counts the rest");
        assertEquals(0, rate.admit(SECOND + 1));
        assertEquals(0, rate.admit(SECOND + 2));
        assertEquals(LogRate.LEAVE_OUT, rate.admit(SECOND + 3));
    }

    @Test
    void aQuietPeriodStartsAFreshSecond() {
        LogRate rate = new LogRate(1, 0);
        assertEquals(0, rate.admit(5));
        assertEquals(LogRate.LEAVE_OUT, rate.admit(6));
        assertEquals(1, rate.admit(60 * SECOND));
        assertEquals(LogRate.LEAVE_OUT, rate.admit(60 * SECOND + 1));
    }
}
