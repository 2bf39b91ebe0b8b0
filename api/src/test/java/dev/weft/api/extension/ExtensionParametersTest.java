package dev.weft.api.extension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checked accessors: the faults RFC 7692 §7.1 names for an offer or a response, each refused. */
class ExtensionParametersTest {

    private static final ExtensionParameters ELEMENT = ExtensionParameters.of("x-test")
            .with("Flag").with("bits", "12");

    @Test
    void requireOnlyTakesKnownNamesInAnyCase() {
        assertSame(ELEMENT, ELEMENT.requireOnly("flag", "BITS", "unused"));
    }

    @Test
    void requireOnlyRefusesAnUnknownParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ELEMENT.requireOnly("flag"));
        assertTrue(e.getMessage().contains("bits") && e.getMessage().contains("x-test"), e.getMessage());
    }

    @Test
    void requireOnlyRefusesARepeatedParameter() {
        ExtensionParameters twice = ELEMENT.with("FLAG");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> twice.requireOnly("flag", "bits"));
        assertTrue(e.getMessage().contains("more than once"), e.getMessage());
    }

    @Test
    void flagIsPresenceWithoutAValue() {
        assertTrue(ELEMENT.flag("flag"));
        assertFalse(ELEMENT.flag("other"));
        assertThrows(IllegalArgumentException.class, () -> ELEMENT.flag("bits"));
    }

    @Test
    void integerReadsADecimalInRange() {
        assertEquals(OptionalInt.of(12), ELEMENT.integer("bits", 8, 15));
        assertEquals(OptionalInt.empty(), ELEMENT.integer("other", 8, 15));
        assertEquals(OptionalInt.of(8), ExtensionParameters.of("x").with("b", "8").integer("b", 8, 15));
        assertEquals(OptionalInt.of(15), ExtensionParameters.of("x").with("b", "15").integer("b", 8, 15));
    }

    @Test
    void integerNeedsAValue() {
        assertThrows(IllegalArgumentException.class, () -> ELEMENT.integer("flag", 8, 15));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "16", "08", "012", "0", "1x", "99999999999999999999", "-9"})
    void integerRefusesWhatIsNotADecimalWithoutLeadingZeroesInRange(String value) {
        ExtensionParameters element = ExtensionParameters.of("x").with("b", value);
        assertThrows(IllegalArgumentException.class, () -> element.integer("b", 8, 15));
    }
}
