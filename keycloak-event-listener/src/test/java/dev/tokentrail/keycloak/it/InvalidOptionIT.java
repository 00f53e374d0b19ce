package dev.tokentrail.keycloak.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * An invalid option stops the real Keycloak's start, and the operator reads which option: the
 * value comes in the environment form an orchestrator uses, the same distribution and providers
 * as {@link KeycloakFlowsIT} (so no second rebuild), and no Keycloak runs beside it.
 */
@ExtendWith(KeycloakExtension.Exclusive.class)
@ResourceLock(KeycloakExtension.HOME)
class InvalidOptionIT {

    static final String CLI_FORM = "--spi-events-listener--tokentrail--queue-size";
    static final String ENV_FORM = "KC_SPI_EVENTS_LISTENER__TOKENTRAIL__QUEUE_SIZE";

    @Test
    void a_non_numeric_queue_size_in_the_environment_stops_keycloak_naming_the_option(
            KeycloakExtension.Prepared kc) throws Exception {
        Path dataRoot = kc.target().resolve("it-invalid-data");
        delete(dataRoot);
        KeycloakServer.Exit exit = KeycloakServer.startExpectingExit(kc.home(),
                kc.target().resolve("keycloak-invalid-option.log"), List.of(),
                Map.of(ENV_FORM, "lots",
                        "KC_SPI_EVENTS_LISTENER__TOKENTRAIL__DATA_ROOT", dataRoot.toString(),
                        "JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1"),
                Duration.ofMinutes(4));
        System.out.println("Keycloak with an invalid queue size exited with " + exit.code() + " after "
                + exit.elapsed().toMillis() + " ms");
        String tail = tail(exit.output());

        assertThat(exit.becameReady()).as("Keycloak became ready despite the invalid option:\n%s", tail).isFalse();
        assertThat(exit.leftBehind()).as("processes of the failed start still alive").isEmpty();
        assertThat(exit.code()).as("exit code (Integer.MIN_VALUE: still running after the timeout)\n%s", tail)
                .isNotEqualTo(Integer.MIN_VALUE).isNotZero();
        // Keycloak prints the cause as one of its "ERROR:" lines: the operator sees it without --verbose.
        List<String> errorLines = exit.output().lines().filter(l -> l.startsWith("ERROR:")).toList();
        assertThat(errorLines).as("Keycloak's ERROR lines\n%s", tail)
                .anySatisfy(l -> assertThat(l).contains(CLI_FORM, ENV_FORM, "'lots'", "not a whole number"));
        // It stopped at the listener's init: no shard was opened, nothing was served.
        assertThat(dataRoot).doesNotExist();
        assertThat(exit.output().contains("Listening on:")).as("Keycloak listened:\n%s", tail).isFalse();
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void delete(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
