package dev.tokentrail.index.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprinterTest {

    @TempDir
    Path tmp;

    @Test
    void sameRootGivesTheSameFingerprintAcrossInstances() {
        Path root = tmp.resolve("data");
        String a = Fingerprinter.forRoot(root).fingerprint(TokenCases.T1);
        String b = Fingerprinter.forRoot(root).fingerprint(TokenCases.T1);
        assertThat(a).isEqualTo(b).hasSize(22).matches("[A-Za-z0-9_-]{22}");
    }

    @Test
    void twoRootsHaveTwoKeysAndDifferentFingerprints() throws Exception {
        Path r1 = tmp.resolve("one");
        Path r2 = tmp.resolve("two");
        Fingerprinter f1 = Fingerprinter.forRoot(r1);
        Fingerprinter f2 = Fingerprinter.forRoot(r2);
        assertThat(Files.readAllBytes(r1.resolve(Fingerprinter.KEY_FILE)))
                .isNotEqualTo(Files.readAllBytes(r2.resolve(Fingerprinter.KEY_FILE)));
        assertThat(f1.fingerprint("short-api-key")).isNotEqualTo(f2.fingerprint("short-api-key"));
        assertThat(f1.fingerprint(TokenCases.T1)).isNotEqualTo(f2.fingerprint(TokenCases.T1));
    }

    @Test
    void theFingerprintIsKeyedNotAPlainHash() throws Exception {
        var sha = java.security.MessageDigest.getInstance("SHA-256").digest("abc".getBytes());
        String plain = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(java.util.Arrays.copyOf(sha, 16));
        assertThat(Fingerprinter.forRoot(tmp).fingerprint("abc")).isNotEqualTo(plain);
    }

    @Test
    void keyFileIsOwnerOnly() throws Exception {
        Fingerprinter.forRoot(tmp);
        Path key = tmp.resolve(Fingerprinter.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.size(key)).isEqualTo(32);
    }

    @Test
    void aDataRootAndTheShardsItCreatesAreOwnerOnlyWhileAnExistingRootKeepsItsPermissions() throws Exception {
        Path root = tmp.resolve("new-root/nested");
        Fingerprinter.forRoot(root);
        try (var writer = dev.tokentrail.index.store.ShardWriter.open(
                dev.tokentrail.index.store.ShardConfig.of(root, "gateway", "gw-1"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(writer.directory())))
                    .isEqualTo("rwx------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.getParent())))
                .isEqualTo("rwx------");
        // A root the administrator made group-readable (a viewer in the same group) stays so.
        Path shared = tmp.resolve("shared");
        Files.createDirectory(shared, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        Fingerprinter.forRoot(shared);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwxr-x---");
    }

    @Test
    void concurrentFirstUseFromManyThreadsYieldsOneKey() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path root = tmp.resolve("race-" + round);
            int threads = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return Fingerprinter.forRoot(root).fingerprint("same-token");
                    }));
                }
                start.countDown();
                List<String> fps = new ArrayList<>();
                for (Future<String> f : results) {
                    fps.add(f.get());
                }
                assertThat(fps).as("round %d", round).containsOnly(fps.get(0));
                assertThat(fps.get(0)).isEqualTo(Fingerprinter.forRoot(root).fingerprint("same-token"));
                try (Stream<Path> files = Files.list(root)) {
                    assertThat(files.map(p -> p.getFileName().toString()).toList())
                            .as("no temporary key files left behind").containsExactly(Fingerprinter.KEY_FILE);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aTruncatedKeyFileIsAClearErrorNotANewKey() throws Exception {
        Fingerprinter.forRoot(tmp);
        Path key = tmp.resolve(Fingerprinter.KEY_FILE);
        Files.write(key, new byte[5]);
        assertThatThrownBy(() -> Fingerprinter.forRoot(tmp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("5 bytes");
        assertThat(Files.size(key)).isEqualTo(5); // nothing overwritten
    }

    @Test
    void referenceIsTheVisibleMarkerOfTheFingerprintAndToStringHidesTheKey() throws Exception {
        Fingerprinter fp = Fingerprinter.forRoot(tmp);
        assertThat(fp.reference("x")).isEqualTo("«token:" + fp.fingerprint("x") + "»");
        byte[] key = Files.readAllBytes(tmp.resolve(Fingerprinter.KEY_FILE));
        assertThat(fp.toString()).doesNotContain(java.util.Base64.getEncoder().encodeToString(key))
                .doesNotContain(java.util.HexFormat.of().formatHex(key));
    }

    @Test
    void fingerprintsAreThreadSafe() throws Exception {
        Fingerprinter fp = Fingerprinter.forRoot(tmp);
        String expected = fp.fingerprint(TokenCases.T1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(pool.submit(() -> {
                    for (int k = 0; k < 2000; k++) {
                        if (!fp.fingerprint(TokenCases.T1).equals(expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : all) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
