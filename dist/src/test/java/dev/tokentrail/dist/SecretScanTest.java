package dev.tokentrail.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScanTest {

    @Test
    void finds_a_secret_anywhere_in_any_file_below_the_root_and_names_where(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("keycloak-x"));
        byte[] segment = new byte[5000];
        byte[] secret = "s3cret-Value".getBytes();
        System.arraycopy(secret, 0, segment, segment.length - secret.length, secret.length); // at the very end
        Files.write(root.resolve("keycloak-x/_0.cfs"), segment);
        Files.writeString(root.resolve("clean.txt"), "nothing here but s3cret-Valu");

        SecretScan.Result r = SecretScan.scan(root, Map.of("the secret", "s3cret-Value", "absent", "zzz-not-there"));

        assertThat(r.files()).isEqualTo(2);
        assertThat(r.bytes()).isEqualTo(5000 + 28);
        assertThat(r.leaks()).containsExactly("the secret in keycloak-x/_0.cfs");
    }
}
