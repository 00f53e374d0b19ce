package dev.tokentrail.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the release's {@code docs/}: the install guide, a configuration reference cut from the
 * module READMEs' option sections (so it cannot drift from them), and the READMEs themselves.
 * Run by the build: {@code Docs <repo root> <out dir> <version>}.
 */
public final class Docs {

    /** Module README, the heading of its options section, and the title used in the reference. */
    record Source(String module, String heading, String title) {
    }

    static final List<Source> OPTION_SECTIONS = List.of(
            new Source("keycloak-event-listener", "## Options", "Keycloak event listener (`tokentrail`)"),
            new Source("replay-viewer", "### Options", "Viewer (`tokentrail-viewer.jar`)"),
            // Read when the module's README is there: gateway-policy is still on its branch.
            new Source("gateway-policy", "## Configuration options", "Gravitee policy (`tokentrail-capture`)"));

    private Docs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: Docs <repo root> <out dir> <version>");
        }
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        String version = args[2];
        Files.writeString(out.resolve("CONFIGURATION.md"), configurationReference(root, version));
        try (var in = Docs.class.getResourceAsStream("INSTALL.md")) {
            Files.writeString(out.resolve("INSTALL.md"),
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replace("@VERSION@", version));
        }
        for (String module : List.of("replay-index", "keycloak-event-listener", "gateway-policy", "replay-viewer")) {
            Path readme = root.resolve(module).resolve("README.md");
            if (Files.exists(readme)) {
                Files.copy(readme, out.resolve(module + ".md"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static String configurationReference(Path root, String version) throws IOException {
        StringBuilder b = new StringBuilder("# Tokentrail " + version + ": configuration reference\n\n"
                + "Generated at build time from each module's README (the option sections, verbatim).\n"
                + "Install steps: INSTALL.md. Background on each component: the `<module>.md` files.\n");
        int found = 0;
        for (Source s : OPTION_SECTIONS) {
            Path readme = root.resolve(s.module()).resolve("README.md");
            if (!Files.exists(readme)) {
                continue;
            }
            String section = section(Files.readString(readme), s.heading());
            if (section == null) {
                throw new IllegalStateException(readme + " has no '" + s.heading() + "' section: the configuration"
                        + " reference is built from it. Restore the heading or update Docs.OPTION_SECTIONS.");
            }
            b.append("\n## ").append(s.title()).append("\n\n").append(section.strip()).append('\n');
            found++;
        }
        if (found == 0) {
            throw new IllegalStateException("no module README found under " + root);
        }
        return b.toString();
    }

    /** The body under {@code heading} up to the next heading of the same or a higher level; null if absent. */
    static String section(String markdown, String heading) {
        int level = heading.indexOf(' ');
        List<String> lines = markdown.lines().toList();
        List<String> body = new ArrayList<>();
        boolean in = false;
        boolean fenced = false;
        for (String line : lines) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            }
            if (!fenced && line.startsWith("#")) {
                int l = line.indexOf(' ');
                if (in && l > 0 && l <= level && line.substring(0, l).chars().allMatch(c -> c == '#')) {
                    break;
                }
                if (line.strip().equals(heading)) {
                    in = true;
                    continue;
                }
            }
            if (in) {
                body.add(line);
            }
        }
        return in ? String.join("\n", body) : null;
    }
}
