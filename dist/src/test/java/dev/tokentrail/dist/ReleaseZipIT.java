package dev.tokentrail.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The release zip an operator downloads: one piece per component, runnable as shipped. */
class ReleaseZipIT {

    @Test
    void holds_the_provider_jar_the_policy_zip_the_runnable_viewer_and_the_docs() throws Exception {
        Path release = Path.of(System.getProperty("tokentrail.release.dir"));
        Path target = release.getParent();
        Path zip;
        try (var files = Files.list(target)) {
            zip = files.filter(p -> p.getFileName().toString().matches("tokentrail-.+\\.zip")).findFirst().orElseThrow();
        }
        String base = zip.getFileName().toString().replace(".zip", "") + "/";
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<String> names = Collections.list(z.entries()).stream().map(ZipEntry::getName).toList();
            assertThat(names).contains(base + "viewer/tokentrail-viewer.jar", base + "docs/INSTALL.md",
                    base + "docs/CONFIGURATION.md", base + "docs/keycloak-event-listener.md",
                    base + "docs/replay-viewer.md", base + "README.md");
            assertThat(names).anyMatch(n -> n.matches(java.util.regex.Pattern.quote(base)
                    + "keycloak/keycloak-event-listener-.+\\.jar"));
            String policyZip = names.stream().filter(n -> n.matches(java.util.regex.Pattern.quote(base)
                    + "gravitee/gateway-policy-.+-plugin\\.zip")).findFirst().orElseThrow(() ->
                    new AssertionError("no gravitee/gateway-policy-*-plugin.zip in " + names));
            assertThat(names).as("the JWT plan comes from Gravitee, not from us")
                    .noneMatch(n -> n.contains("gravitee-policy-jwt"));
            // The plugin zip as Gravitee's plugin registry reads it: descriptor, policy jar, lib/ with replay-index.
            Path inner = Files.createTempFile("tt-policy", ".zip");
            try (var in = z.getInputStream(z.getEntry(policyZip))) {
                Files.copy(in, inner, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            try (ZipFile p = new ZipFile(inner.toFile())) {
                List<String> entries = Collections.list(p.entries()).stream().map(ZipEntry::getName).toList();
                assertThat(entries).anyMatch(n -> n.startsWith("lib/replay-index-"))
                        .anyMatch(n -> n.startsWith("lib/lucene-core-")).noneMatch(n -> n.contains("jackson"))
                        .contains("schemas/schema-form.json");
                assertThat(entries).anyMatch(n -> n.matches("gateway-policy-[^/]+\\.jar"));
            } finally {
                Files.delete(inner);
            }
            String reference = new String(z.getInputStream(z.getEntry(base + "docs/CONFIGURATION.md")).readAllBytes());
            assertThat(reference).contains("`data-root`").contains("--oidc-issuer");
        }
        try (JarFile viewer = new JarFile(release.resolve("viewer/tokentrail-viewer.jar").toFile())) {
            assertThat(viewer.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("dev.tokentrail.viewer.ViewerMain");
            assertThat(viewer.getEntry("dev/tokentrail/index/query/ReplayReader.class")).isNotNull();
            assertThat(viewer.getEntry("dev/tokentrail/dist/Sandbox.class")).as("sandbox is not shipped").isNull();
        }
        Path kcJar;
        try (var jars = Files.list(release.resolve("keycloak"))) {
            kcJar = jars.findFirst().orElseThrow();
        }
        try (JarFile provider = new JarFile(kcJar.toFile())) {
            assertThat(provider.getEntry("META-INF/services/org.keycloak.events.EventListenerProviderFactory")).isNotNull();
        }
    }
}
