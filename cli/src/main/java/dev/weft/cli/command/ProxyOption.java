package dev.weft.cli.command;

import dev.weft.api.HttpProxy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code --proxy} option of the client commands, and the proxy variables of the environment
 * they honour without it, as curl and most command-line tools do: {@code https_proxy} (or
 * {@code HTTPS_PROXY}) for {@code wss://}, {@code http_proxy} (or {@code HTTP_PROXY}) for
 * {@code ws://}, and {@code no_proxy} (or {@code NO_PROXY}) for the hosts to reach directly.
 */
final class ProxyOption {

    @Option(names = "--proxy", paramLabel = "URI",
            description = "Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, with a CONNECT "
                    + "tunnel (TLS for wss:// runs inside it). Without it, https_proxy (wss://) or http_proxy "
                    + "(ws://) is used, unless no_proxy names the host; upper-case names too.")
    String proxy;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The proxy to reach {@code url} through: {@code --proxy}, else what the environment says.
     *
     * @throws ParameterException if the proxy given is not an {@code http://} URI
     */
    Optional<HttpProxy> forTarget(URI url) {
        if (proxy != null) {
            return Optional.of(parse(proxy, "--proxy"));
        }
        return fromEnvironment(url, System.getenv());
    }

    /** The proxy {@code env} names for {@code url}, as curl reads the variables. */
    Optional<HttpProxy> fromEnvironment(URI url, Map<String, String> env) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String name = scheme.equals("wss") || scheme.equals("https") ? "https_proxy" : "http_proxy";
        Optional<String> variable = variable(env, name);
        if (variable.isEmpty() || url.getHost() == null || exempt(url.getHost(), variable(env, "no_proxy").orElse(""))) {
            return Optional.empty();
        }
        String value = variable.get();
        // Like curl, a proxy written without a scheme is an HTTP proxy.
        return Optional.of(parse(value.contains("://") ? value : "http://" + value, name));
    }

    /** The lower-case variable if set and not empty, else the upper-case one. */
    private static Optional<String> variable(Map<String, String> env, String lowerCase) {
        String value = env.get(lowerCase);
        if (value == null || value.isBlank()) {
            value = env.get(lowerCase.toUpperCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /**
     * Whether {@code noProxy} (comma-separated: {@code *}, host names, domains with or without a
     * leading dot, IP addresses) names {@code host} or one of its parent domains.
     */
    static boolean exempt(String host, String noProxy) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String element : noProxy.split(",")) {
            String e = element.trim().toLowerCase(Locale.ROOT);
            if (e.startsWith(".")) {
                e = e.substring(1);
            }
            if (e.startsWith("[") && e.endsWith("]")) {
                e = e.substring(1, e.length() - 1);
            }
            if (e.equals("*") || !e.isEmpty() && (h.equals(e) || h.endsWith("." + e))) {
                return true;
            }
        }
        return false;
    }

    private HttpProxy parse(String uri, String from) {
        try {
            return HttpProxy.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), from + ": " + e.getMessage());
        }
    }
}
