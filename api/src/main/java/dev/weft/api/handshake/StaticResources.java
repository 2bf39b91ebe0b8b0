package dev.weft.api.handshake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link HttpResponder} that serves files packaged with the application (class-path resources
 * under one base), for GET and HEAD. {@code /} serves {@code index.html}. Files are read once and
 * kept in memory: meant for a few small files, such as a demo page. Thread-safe.
 */
public final class StaticResources implements HttpResponder {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");

    private final ClassLoader loader;
    private final String base;
    private final ConcurrentHashMap<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    /**
     * @param owner a class whose class loader holds the resources
     * @param base the resource folder, such as {@code "dev/weft/cli/web"} (no leading slash)
     */
    public StaticResources(Class<?> owner, String base) {
        this.loader = owner.getClassLoader();
        this.base = base.endsWith("/") ? base : base + "/";
    }

    @Override
    public ByteBuffer respond(HandshakeRequest request) {
        boolean head = request.method().equals("HEAD");
        if (!head && !request.method().equals("GET")) {
            return HttpResponses.text(405, Headers.of("Allow", "GET, HEAD"), "only GET and HEAD are served here", head);
        }
        String path = request.path().equals("/") ? "/index.html" : request.path();
        // Never leave the base folder, whatever the request says.
        if (path.contains("..") || path.contains("\\") || path.contains("//")) {
            return HttpResponses.text(404, Headers.empty(), "not found", head);
        }
        Optional<byte[]> body = cache.computeIfAbsent(path.substring(1), this::load);
        if (body.isEmpty()) {
            return HttpResponses.text(404, Headers.empty(), "not found: " + request.path(), head);
        }
        String ext = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        Headers headers = Headers.of(
                "Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"),
                "Content-Length", Integer.toString(body.get().length),
                "Cache-Control", "no-cache",
                "Connection", "close");
        return HttpResponses.of(200, headers, head ? new byte[0] : body.get());
    }

    private Optional<byte[]> load(String name) {
        try (InputStream in = loader.getResourceAsStream(base + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + base + name, e);
        }
    }
}
