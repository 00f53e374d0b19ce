package dev.tokentrail.keycloak.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts one real Keycloak for the whole IT run (kept in the root store, so JUnit stops it
 * after the last test class), with the built shaded jar, the rollback trigger and the test realm.
 *
 * <p>Every IT that runs Keycloak uses the one unpacked distribution, so at most one Keycloak
 * runs at a time: a class that needs its own start holds {@link #HOME} (JUnit's resource lock)
 * and registers {@link Exclusive}, which stops the shared server first (a later class that
 * wants it gets it started again). All starts install the same providers, so Keycloak rebuilds
 * (the slow part of a first start) only once per run.
 */
public final class KeycloakExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

    /** The resource lock of the unpacked distribution (its data/, lib/quarkus/ and providers/). */
    public static final String HOME = "tokentrail.keycloak.home";

    /** The distribution with the IT's providers and realm installed: what every start of the run uses. */
    public record Prepared(Path home, Path target) {}

    private static Prepared prepared;

    /**
     * Installs the built shaded jar, the rollback trigger and the test realm, once per JVM:
     * copying the same jars again would look like a new provider set and cost another rebuild.
     */
    public static synchronized Prepared prepare() throws IOException {
        if (prepared == null) {
            Path home = KeycloakServer.home();
            Path target = KeycloakServer.providerJar().getParent();
            KeycloakServer.installProviders(home, List.of(KeycloakServer.providerJar(),
                    KeycloakServer.testProviderJar(target, "org.keycloak.events.EventListenerProviderFactory",
                            RollbackTriggerListenerFactory.class)));
            Path imports = Files.createDirectories(home.resolve("data/import"));
            try (var in = KeycloakExtension.class.getResourceAsStream("/it-realm.json")) {
                Files.write(imports.resolve("tokentrail-it-realm.json"), in.readAllBytes());
            }
            prepared = new Prepared(home, target);
        }
        return prepared;
    }

    /** Stops the shared server if it runs; the next class that asks for it starts it again. */
    static void stopShared(ExtensionContext context) {
        Running r = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).remove(Running.class, Running.class);
        if (r != null) {
            r.close();
        }
    }

    /**
     * For a class that starts Keycloak itself: no shared server runs beside it, and it gets the
     * {@link Prepared} distribution as a parameter. Use with {@code @ResourceLock(KeycloakExtension.HOME)}.
     */
    public static final class Exclusive implements BeforeAllCallback, ParameterResolver {
        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            stopShared(context);
            prepare();
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == Prepared.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            try {
                return prepare();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** The running server and where the listener writes. */
    public record Running(KeycloakServer server, Path dataRoot) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    private static Running running(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> start(), Running.class);
    }

    private static Running start() {
        try {
            Prepared prep = prepare();
            Path home = prep.home();
            Path target = prep.target();
            Path dataRoot = target.resolve("it-data");
            if (Files.exists(dataRoot)) {
                try (Stream<Path> s = Files.walk(dataRoot)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            KeycloakServer server = KeycloakServer.start(home, target.resolve("keycloak-it.log"), List.of(
                    "--spi-events-listener--tokentrail--data-root=" + dataRoot,
                    "--spi-events-listener--tokentrail--node-name=it-node",
                    "--spi-events-listener--tokentrail--metrics-log-interval=5s"),
                    Map.of("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1"), Duration.ofMinutes(4));
            System.out.println("Keycloak ready in " + server.startTime().toMillis() + " ms at " + server.baseUrl());
            return new Running(server, dataRoot);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start Keycloak for the IT: " + e.getMessage(), e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Running.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return running(e);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Running r = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).get(Running.class, Running.class);
        if (r != null) {
            System.err.println("---- Keycloak log tail (" + r.server().log() + ") ----\n" + r.server().logTail(60));
        }
    }
}
