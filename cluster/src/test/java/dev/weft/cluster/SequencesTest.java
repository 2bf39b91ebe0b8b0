package dev.weft.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sequence numbers: what this node publishes, and the gaps in what others do. */
class SequencesTest {

    private final Sequences sequences = new Sequences();

    @Test
    void eachChannelCountsFromOne() {
        assertEquals(1, sequences.next("a"));
        assertEquals(2, sequences.next("a"));
        assertEquals(1, sequences.next("b"));
        assertEquals(3, sequences.next("a"));
    }

    @Test
    void consecutiveNumbersAreNoGap() {
        for (long s = 1; s <= 100; s++) {
            assertEquals(0, sequences.heard("n", "c", s));
        }
    }

    @Test
    void aGapCountsTheNumbersSkipped() {
        assertEquals(0, sequences.heard("n", "c", 1));
        assertEquals(0, sequences.heard("n", "c", 2));
        assertEquals(2, sequences.heard("n", "c", 5));
        assertEquals(0, sequences.heard("n", "c", 6));
        assertEquals(993, sequences.heard("n", "c", 1000));
    }

    @Test
    void theFirstNumberHeardIsNoGapWhateverItIs() {
        assertEquals(0, sequences.heard("n", "c", 500));
        assertEquals(0, sequences.heard("n", "c", 501));
    }

    @Test
    void oneStartsANewCount() {
        sequences.heard("n", "c", 10);
        assertEquals(0, sequences.heard("n", "c", 1));
        assertEquals(0, sequences.heard("n", "c", 2));
        assertEquals(1, sequences.heard("n", "c", 4));
    }

    @Test
    void aRepeatOrAStepBackIsNoGapAndCountsFromThere() {
        sequences.heard("n", "c", 10);
        assertEquals(0, sequences.heard("n", "c", 10));
        assertEquals(0, sequences.heard("n", "c", 7));
        assertEquals(0, sequences.heard("n", "c", 8));
        assertEquals(1, sequences.heard("n", "c", 10));
    }

    @Test
    void zeroIsNotCountedAndLeavesTheCountAlone() {
        sequences.heard("n", "c", 3);
        assertEquals(0, sequences.heard("n", "c", 0));
        assertEquals(0, sequences.heard("n", "c", 0));
        assertEquals(0, sequences.heard("n", "c", 4));
        assertEquals(1, sequences.heard("n", "c", 6));
    }

    @Test
    void nodesAndChannelsAreCountedApart() {
        sequences.heard("a", "c", 1);
        sequences.heard("b", "c", 7);
        sequences.heard("a", "d", 20);
        assertEquals(0, sequences.heard("a", "c", 2));
        assertEquals(0, sequences.heard("b", "c", 8));
        assertEquals(0, sequences.heard("a", "d", 21));
        assertEquals(1, sequences.heard("b", "c", 10));
    }

    @Test
    void forgetStartsAChannelAfresh() {
        sequences.heard("a", "c", 1);
        sequences.heard("b", "c", 1);
        sequences.heard("a", "d", 1);
        sequences.forget("c");
        assertEquals(0, sequences.heard("a", "c", 50));
        assertEquals(0, sequences.heard("b", "c", 60));
        assertEquals(1, sequences.heard("a", "d", 3), "another channel is remembered");
    }

    @Test
    void forgetIsExactAboutTheChannelName() {
        sequences.heard("a", "room:x", 1);
        sequences.heard("a", "room:x y", 1);
        sequences.forget("x");
        sequences.forget("room:x y");
        assertEquals(1, sequences.heard("a", "room:x", 3));
        assertEquals(0, sequences.heard("a", "room:x y", 3));
    }
}
