package dev.weft.cli.command;

import dev.weft.api.extension.ExtensionFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code --extensions LIST} option, mixed into the commands that open connections: which of the
 * extensions installed in the jar (found with {@code ServiceLoader}) to offer or accept.
 */
final class ExtensionsOption {

    @Option(names = "--extensions", paramLabel = "LIST", split = ",",
            description = "Extensions to use, by name, comma-separated, or 'none'.")
    List<String> names;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The chosen extensions, in the order named.
     *
     * @param allByDefault whether no option means every installed extension (a server) or none (a client)
     * @throws ParameterException naming an extension that is not installed
     */
    List<ExtensionFactory> select(boolean allByDefault) {
        List<ExtensionFactory> installed = ExtensionFactory.installed();
        if (names == null) {
            return allByDefault ? installed : List.of();
        }
        if (names.size() == 1 && names.get(0).equals("none")) {
            return List.of();
        }
        List<ExtensionFactory> chosen = new ArrayList<>();
        for (String name : names) {
            ExtensionFactory factory = installed.stream().filter(f -> f.name().equals(name)).findFirst()
                    .orElseThrow(() -> new ParameterException(command.commandLine(), "no installed extension is called '"
                            + name + "' (installed: " + describe(installed) + ")"));
            chosen.add(factory);
        }
        return List.copyOf(chosen);
    }

    /** The names of these extensions, or {@code none}. */
    static String describe(List<ExtensionFactory> factories) {
        return factories.isEmpty() ? "none" : factories.stream().map(ExtensionFactory::name).collect(Collectors.joining(", "));
    }
}
