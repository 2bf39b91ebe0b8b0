package dev.weft.cli.connect;

import java.util.Map;

/**
 * How lines look on a terminal: {@code >} before what was sent, {@code <} before what arrived, in
 * colour unless colour is off. Colour is ANSI SGR sequences, which JLine turns into what the
 * terminal understands.
 */
public final class Style {

    private static final String RESET = "\033[0m";
    private static final String GREEN = "\033[32m";
    private static final String CYAN = "\033[36m";
    private static final String YELLOW = "\033[33m";
    private static final String RED = "\033[31m";

    private final boolean colour;

    private Style(boolean colour) {
        this.colour = colour;
    }

    /** Markers, in colour if {@code colour}. */
    public static Style of(boolean colour) {
        return new Style(colour);
    }

    /**
     * Whether to colour: only on a terminal, and neither with {@code --no-color} nor with
     * {@code NO_COLOR} set to anything but empty (no-color.org), nor on a terminal that says it is
     * {@code dumb}.
     */
    public static boolean colourFor(boolean terminal, boolean noColorOption, Map<String, String> environment) {
        String noColor = environment.get("NO_COLOR");
        return terminal && !noColorOption && (noColor == null || noColor.isEmpty())
                && !"dumb".equals(environment.get("TERM"));
    }

    /** The prompt, {@code > }: what is typed after it is sent. */
    public String prompt() {
        return paint(GREEN, ">") + " ";
    }

    /** A line about something sent: {@code > ping: hello}. */
    String sent(String line) {
        return paint(GREEN, ">") + " " + line;
    }

    /** A line about something that arrived: {@code < hello}. */
    String received(String line) {
        return paint(CYAN, "<") + " " + line;
    }

    /** A line about the connection itself: {@code closed: 1000}. */
    String notice(String line) {
        return paint(YELLOW, line);
    }

    /** A line about a failure: {@code weft: ...}. */
    String error(String line) {
        return paint(RED, line);
    }

    private String paint(String colourCode, String text) {
        return colour ? colourCode + text + RESET : text;
    }
}
