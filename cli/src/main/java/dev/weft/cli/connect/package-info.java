/**
 * The parts of {@code weft connect}: what it prints for each event (for a person, with markers and
 * colour on a terminal, or as JSON lines for a script), the slash commands typed at its prompt, and
 * the prompt itself, a JLine line editor redrawn around arriving messages.
 */
package dev.weft.cli.connect;
