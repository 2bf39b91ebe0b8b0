package dev.weft.cli.web;

import dev.weft.api.handshake.HttpResponder;
import dev.weft.api.handshake.StaticResources;

/**
 * The demo page that {@code weft serve} answers plain HTTP requests with: {@code index.html},
 * {@code app.js}, {@code style.css} and {@code favicon.svg}, packaged beside this class. The page has a chat view (on
 * {@code /chat/ROOM}) and an echo view (on {@code /echo}), and needs nothing from the internet.
 */
public final class WebPage {

    private WebPage() {
    }

    /** A responder serving the page's files; {@code /} is {@code index.html}. Thread-safe. */
    public static HttpResponder responder() {
        return new StaticResources(WebPage.class, "dev/weft/cli/web");
    }
}
