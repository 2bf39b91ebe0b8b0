package dev.weft.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One named check of a contract kit ({@link ExtensionContract}, {@link ServerContract}): what it
 * checks, and a body that throws {@link AssertionError} (or any exception) when the thing checked
 * breaks the contract. With JUnit 5, a check is one dynamic test:
 * {@code DynamicTest.dynamicTest(check.name(), check::run)}.
 *
 * @param name what it checks, such as {@code "round trip of 126 bytes: ... [as given]"}
 * @param body the check, which throws {@link AssertionError} when the contract is broken
 */
public record Check(String name, Runnable body) {

    public Check {
        Objects.requireNonNull(name);
        Objects.requireNonNull(body);
    }

    /**
     * Runs the check.
     *
     * @throws AssertionError if this part of the contract is broken
     */
    public void run() {
        body.run();
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Runs every check, going on past failures: a contract kit's {@code verify()}.
     *
     * @param who what is checked, for the message: {@code "x-my-ext breaks the extension contract"}
     * @throws AssertionError naming each check that failed and why, with the failures suppressed in it
     */
    static void runAll(String who, List<Check> checks) {
        List<String> failed = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        for (Check check : checks) {
            try {
                check.run();
            } catch (AssertionError | RuntimeException e) {
                failed.add(check.name() + ": " + e.getMessage());
                causes.add(e);
            }
        }
        if (!failed.isEmpty()) {
            AssertionError error = new AssertionError(who + ":\n  " + String.join("\n  ", failed));
            causes.forEach(error::addSuppressed);
            throw error;
        }
    }
}
