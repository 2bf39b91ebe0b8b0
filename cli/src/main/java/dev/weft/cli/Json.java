package dev.weft.cli;

import java.util.Locale;

/** The little JSON the command line writes: string literals, for its one-line reports. */
public final class Json {

    private Json() {
    }

    /** {@code value} as a JSON string literal. */
    public static String quote(String value) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
