package dev.tokentrail.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsTest {

    @Test
    void cuts_a_section_up_to_the_next_heading_of_its_level_ignoring_headings_in_code() {
        String md = "# M\n## Install\nx\n## Options\n| a | b |\n```\n## not a heading\n```\n### Sub\ny\n## Next\nz\n";
        assertThat(Docs.section(md, "## Options"))
                .isEqualTo("| a | b |\n```\n## not a heading\n```\n### Sub\ny");
        assertThat(Docs.section(md, "## Missing")).isNull();
    }

    @Test
    void the_reference_holds_each_present_modules_options_and_skips_absent_modules(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("keycloak-event-listener"));
        Files.writeString(root.resolve("keycloak-event-listener/README.md"), "# k\n## Options\n| data-root |\n## Other\n");
        Files.createDirectories(root.resolve("replay-viewer"));
        Files.writeString(root.resolve("replay-viewer/README.md"), "# v\n## Run\n### Options\n| --data |\n### Client\n");
        String ref = Docs.configurationReference(root, "9.9");
        assertThat(ref).contains("# Tokentrail 9.9").contains("| data-root |").contains("| --data |")
                .doesNotContain("Other").doesNotContain("Client").doesNotContain("Gravitee");
    }

    @Test
    void a_readme_that_lost_its_options_heading_fails_the_build_with_a_clear_message(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("replay-viewer"));
        Files.writeString(root.resolve("replay-viewer/README.md"), "# v\n## Run\n");
        assertThatThrownBy(() -> Docs.configurationReference(root, "1"))
                .hasMessageContaining("has no '### Options' section");
    }
}
