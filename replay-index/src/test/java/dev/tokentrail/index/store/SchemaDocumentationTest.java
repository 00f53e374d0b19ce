package dev.tokentrail.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SchemaDocumentationTest {

    @Test
    void moduleReadmeShowsExactlyTheSchemaTheCodeWrites() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).as("replay-index/README.md must contain Schema.markdownTable() verbatim")
                .contains(Schema.markdownTable());
    }

    @Test
    void fieldNamesAreUnique() {
        assertThat(java.util.Arrays.stream(Schema.values()).map(Schema::field)).doesNotHaveDuplicates();
    }
}
