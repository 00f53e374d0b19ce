package dev.tokentrail.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./sandbox.sh}: the whole stack on this machine with a demo realm, the scripted scenario
 * played once, then everything a newcomer needs printed; Ctrl-C (or SIGTERM, SIGHUP: the JVM's
 * shutdown hooks) stops it all, also while it is still starting.
 */
public final class Sandbox {

    /** Fixed ports, so the printed URLs and curl commands stay the same from run to run. */
    static final Map<String, Integer> PORTS = Map.of("keycloak", 8180, "keycloak.management", 9180,
            "backend", 8490, "viewer", 8470, "gateway", 8482);

    private Sandbox() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Progress progress = Progress.console();
        Stack.Config config = Stack.Config.fromSystemProperties(PORTS);
        Stack stack = new Stack();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println("\nStopping the sandbox ...");
            long s0 = System.nanoTime();
            stack.close();
            System.out.printf("Stopped everything in %.1f s. Trails stay in %s%n", (System.nanoTime() - s0) / 1e9,
                    config.workDir().resolve("data"));
            stopped.countDown();
        }, "sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        progress.say("Starting the Tokentrail sandbox on 127.0.0.1 (logs: " + config.workDir().resolve("logs") + ")");
        Path data = config.workDir().resolve("data");
        if (holdsEarlierRuns(data)) {
            progress.say("The data root " + data + " keeps the trails and findings of earlier runs"
                    + " (./sandbox.sh --fresh starts from an empty one)");
        }
        try {
            stack.start(config, progress);
        } catch (Exception e) {
            if (!removeHook(hook)) {
                return; // stopped (Ctrl-C, SIGTERM, SIGHUP) while starting: the hook stops what was started
            }
            System.err.println("\nThe sandbox could not start: " + e.getMessage());
            stack.close();
            throw e;
        }
        Duration startup = Duration.ofNanos(System.nanoTime() - t0);
        progress.say("\nPlaying the demo scenario:");
        Scenario.Result result;
        try {
            result = Scenario.play(stack, progress);
        } catch (Exception | Error e) {
            if (!removeHook(hook)) {
                return;
            }
            System.err.println("\nThe demo scenario failed: " + e.getMessage() + "\nLogs: " + stack.logs());
            stack.close();
            throw e;
        }
        progress.say(banner(stack, result, startup));
        stopped.await();
    }

    /** False when the JVM is already shutting down (the hook runs, or has run). */
    private static boolean removeHook(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    private static boolean holdsEarlierRuns(Path data) {
        try (Stream<Path> entries = Files.list(data)) {
            return entries.anyMatch(Files::isDirectory);
        } catch (IOException e) {
            return false;
        }
    }

    static String banner(Stack s, Scenario.Result result, Duration startup) {
        DemoRealm r = s.realm();
        String token = s.realmUrl() + "/protocol/openid-connect/token";
        return """

                ==========================================================================================
                 Tokentrail sandbox is up (started in %d s).   Ctrl-C stops everything.
                ==========================================================================================

                 Viewer     %s
                            log in through Keycloak as   auditor / %s
                 Demo user  alice / %s   (no tokentrail-auditor role: the viewer refuses her, try it)
                 Keycloak   %s/admin   admin / %s   realm %s
                 API        %s/orders   (Gravitee 4.10 gateway, JWT plan on Keycloak's keys, Tokentrail capture)
                 Data root  %s

                 What to look at: in the viewer, search for alice's first token id
                     %s
                 and open its timeline: issued -> her API calls -> refreshed -> logged out -> the replay of
                 that token from 127.0.0.2 after the logout, which the gateway let through; the Findings
                 screen shows it as USE_AFTER_LOGOUT with its replay window. The service account's token:
                     %s

                 Make your own calls (copy and paste):

                   TOKEN=$(curl -s %s \\
                       -d grant_type=password -d client_id=%s -d client_secret=%s \\
                       -d username=alice -d password=%s \\
                     | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                   curl -s -H "Authorization: Bearer $TOKEN" %s/orders

                   curl -s %s \\
                       -d grant_type=client_credentials -d client_id=%s -d client_secret=%s

                 Then paste $TOKEN (echo $TOKEN) into the viewer's search box: it shows its whole trail.
                 Demo passwords and secrets are new on every run; they are never written to the data root.
                """.formatted(startup.toSeconds(), s.viewerUrl(), r.auditorPassword(), r.alicePassword(), s.keycloakUrl(),
                r.adminPassword(), DemoRealm.NAME, s.apiUrl(), s.dataRoot(), result.access1Jti(), result.serviceJti(),
                token, DemoRealm.WEB_CLIENT, r.webSecret(), r.alicePassword(), s.apiUrl(), token,
                DemoRealm.SERVICE_CLIENT, r.serviceSecret());
    }
}
