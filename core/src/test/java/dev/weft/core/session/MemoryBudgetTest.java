package dev.weft.core.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The budget's policy, with holders that only record what they are told. */
class MemoryBudgetTest {

    private static final class FakeHolder implements MemoryBudget.Holder {
        final List<String> told = new ArrayList<>();

        @Override
        public void pauseForBudget(boolean paused) {
            told.add(paused ? "pause" : "resume");
        }

        @Override
        public void evict(int code, String reason) {
            told.add("evict:" + code);
        }
    }

    private final MemoryBudget budget = new MemoryBudget(1000);
    private final FakeHolder a = new FakeHolder();
    private final FakeHolder b = new FakeHolder();
    private final FakeHolder c = new FakeHolder();
    private final MemoryBudget.Share shareA = budget.open(a);
    private final MemoryBudget.Share shareB = budget.open(b);
    private final MemoryBudget.Share shareC = budget.open(c);

    @Test
    void withinTheLimitNothingHappensAndTheTotalIsTheSumOfTheShares() {
        shareA.update(400);
        shareB.update(300);
        shareC.update(300);
        shareA.update(100);
        assertEquals(700, budget.heldBytes());
        assertEquals(List.of(), a.told);
        assertEquals(List.of(), b.told);
    }

    @Test
    void overTheLimitTheLargestHoldersPauseUntilThoseReadingHoldAtMostHalf() {
        shareA.update(500);
        shareB.update(300);
        shareC.update(150);
        shareC.update(250); // 1050: A (500) pauses, leaving 550 reading; then B (300), leaving 250
        assertEquals(List.of("pause"), a.told);
        assertEquals(List.of("pause"), b.told);
        assertEquals(List.of(), c.told);
        assertEquals(2, budget.pausedConnections());
    }

    @Test
    void stillOverWhilePausedTheLargestIsEvictedOnceAndTheRestLaterResume() {
        shareA.update(900);
        shareB.update(200); // 1100: A pauses
        assertEquals(List.of("pause"), a.told);
        shareB.update(250); // 1150, still over with A paused: A is evicted
        assertEquals(List.of("pause", "evict:1013"), a.told);
        shareB.update(260); // A is on its way out: its 900 no longer count, so nothing more happens
        assertEquals(List.of(), b.told);
        assertEquals(1, budget.evictions());

        shareA.close(); // A's memory is back: 260 of 1000, below three quarters
        assertEquals(260, budget.heldBytes());
        assertEquals(0, budget.pausedConnections());
    }

    @Test
    void pausedHoldersResumeOnceTheTotalFallsToThreeQuarters() {
        shareA.update(600);
        shareB.update(300);
        shareC.update(200); // 1100: A pauses (500 left reading)
        assertEquals(List.of("pause"), a.told);
        shareC.update(100); // 1000: not yet
        assertEquals(List.of("pause"), a.told);
        shareB.update(50); // 750: three quarters
        assertEquals(List.of("pause", "resume"), a.told);
        assertEquals(0, budget.pausedConnections());
    }

    @Test
    void aClosedShareGivesBackAllAndLaterReportsAreIgnored() {
        shareA.update(700);
        shareA.close();
        shareA.update(5000);
        shareA.close();
        assertEquals(0, budget.heldBytes());
    }

    @Test
    void aBudgetMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(0));
    }
}
