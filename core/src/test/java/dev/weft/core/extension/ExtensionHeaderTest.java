package dev.weft.core.extension;

import dev.weft.api.extension.ExtensionParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtensionHeaderTest {

    private static final ExtensionParameters FOO = ExtensionParameters.of("foo");

    @Test
    void parsesNamesAndParametersInOrder() {
        List<ExtensionParameters> parsed = ExtensionHeader.parse(List.of(
                "permessage-deflate; client_max_window_bits; server_max_window_bits=10, x-webkit-deflate-frame"));

        assertEquals(List.of(
                ExtensionParameters.of("permessage-deflate").with("client_max_window_bits").with("server_max_window_bits", "10"),
                ExtensionParameters.of("x-webkit-deflate-frame")), parsed);
    }

    @Test
    void severalHeaderLinesAreOneList() {
        // RFC 6455 §9.1: "Sec-WebSocket-Extensions: foo" and "Sec-WebSocket-Extensions: bar; baz=2"
        // "is exactly equivalent to" "Sec-WebSocket-Extensions: foo, bar; baz=2".
        List<ExtensionParameters> split = ExtensionHeader.parse(List.of("foo", "bar; baz=2"));
        List<ExtensionParameters> joined = ExtensionHeader.parse(List.of("foo, bar; baz=2"));

        assertEquals(List.of(FOO, ExtensionParameters.of("bar").with("baz", "2")), split);
        assertEquals(joined, split);
    }

    @Test
    void parsesTheRfcExample() {
        assertEquals(List.of(
                        ExtensionParameters.of("mux").with("max-channels", "4").with("flow-control"),
                        ExtensionParameters.of("deflate-stream")),
                ExtensionHeader.parse(List.of("mux; max-channels=4; flow-control, deflate-stream")));
    }

    @Test
    void allowsWhitespaceAroundEverySeparator() {
        assertEquals(List.of(ExtensionParameters.of("foo").with("a", "1").with("b"), ExtensionParameters.of("bar")),
                ExtensionHeader.parse(List.of(" \tfoo ;a = 1 ;\tb , bar\t")));
    }

    @Test
    void unquotesQuotedValuesAndTheirEscapes() {
        assertEquals(List.of(ExtensionParameters.of("foo").with("a", "10").with("b", "x-y").with("c", "z")),
                ExtensionHeader.parse(List.of("foo; a=\"10\"; b=\"x\\-y\"; c=\"\\z\"")));
    }

    @Test
    void skipsEmptyListElements() {
        // RFC 9110 §5.6.1.2: "A recipient MUST parse and ignore a reasonable number of empty list elements".
        List<ExtensionParameters> fooBar = List.of(FOO, ExtensionParameters.of("bar"));
        assertEquals(fooBar, ExtensionHeader.parse(List.of("foo,,bar")));
        assertEquals(fooBar, ExtensionHeader.parse(List.of(", foo , , bar ,")));
        assertEquals(List.of(), ExtensionHeader.parse(List.of("", " , ")));
    }

    @Test
    void formatsAsCommaSeparatedElements() {
        List<ExtensionParameters> elements = List.of(
                ExtensionParameters.of("permessage-deflate").with("client_max_window_bits", "10").with("server_no_context_takeover"),
                FOO);

        String formatted = ExtensionHeader.format(elements);

        assertEquals("permessage-deflate; client_max_window_bits=10; server_no_context_takeover, foo", formatted);
        assertEquals(elements, ExtensionHeader.parse(List.of(formatted)));
        assertEquals("", ExtensionHeader.format(List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "foo; a=1, bar; b, baz",
            "x-webkit-deflate-frame",
            "permessage-deflate; client_max_window_bits",
    })
    void formatUndoesParse(String canonical) {
        assertEquals(canonical, ExtensionHeader.format(ExtensionHeader.parse(List.of(canonical))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            ";",                      // missing name
            "; a=1",                  // missing name before parameters
            "=1",                     // missing name
            "fo(o",                   // name is not a token
            "foo bar",                // two tokens without a separator
            "foo=1",                  // a value on the extension name
            "foo;",                   // trailing ';'
            "foo; ",                  // trailing ';' and whitespace
            "foo;;a",                 // empty parameter
            "foo; =1",                // parameter without a name
            "foo; a=",                // '=' without a value
            "foo; a= , bar",          // '=' without a value, before another element
            "foo; a b",               // two tokens in one parameter
            "foo; a=b c",             // two tokens in one value
            "foo; a=\"b",             // unterminated quoted string
            "foo; a=\"b\\",           // backslash at the end of an unterminated quoted string
            "foo; a=\"\"",            // empty quoted value is not a token
            "foo; a=\"b c\"",         // quoted value with a space is not a token
            "foo; a=\"b,c\"",         // quoted value with a separator is not a token
            "foo; a=\"b\\\"c\"",      // escaped quote is not a token character
            "foo; a=\"b\"c",          // text after the closing quote
            "foo; a=b; b=é",          // value outside US-ASCII
    })
    void refusesMalformedValues(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExtensionHeader.parse(List.of("ok", value)));
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }
}
