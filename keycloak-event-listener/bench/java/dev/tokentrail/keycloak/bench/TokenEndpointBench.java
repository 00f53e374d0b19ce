package dev.tokentrail.keycloak.bench;

import dev.tokentrail.keycloak.it.KeycloakServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Client-credentials token endpoint throughput of ONE Keycloak build in ONE run, three realms
 * that differ only in what happens to their events:
 * <ul>
 *   <li>{@code bench-none}: no event listener, no event store (the baseline);</li>
 *   <li>{@code bench-tokentrail}: the tokentrail listener;</li>
 *   <li>{@code bench-db}: Keycloak's own database event store, CLIENT_LOGIN saved.</li>
 * </ul>
 * Load comes from {@code wrk} (Debian package) with a Lua script for the form POST. Rounds are
 * interleaved (none, tokentrail, db, none, ...) so drift (JIT, GC, neighbours) hits all three;
 * the median of the rounds is reported. Not a test: it prints ratios and writes
 * {@code target/bench-results.md}.
 *
 * <p>Arguments: {@code --seconds=20 --rounds=3 --warmup=15 --connections=16 --threads=2}.
 */
public final class TokenEndpointBench {

    private static final String SECRET = "bench-secret-Lk29";
    private static final List<String> MODES = List.of("none", "tokentrail", "db");

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("seconds", "20", "rounds", "3", "warmup", "15",
                "connections", "16", "threads", "2"));
        for (String arg : args) {
            for (String part : arg.trim().split("\\s+")) {
                if (part.startsWith("--") && part.contains("=")) {
                    a.put(part.substring(2, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
                }
            }
        }
        requireWrk();
        Path home = KeycloakServer.home();
        Path target = KeycloakServer.providerJar().getParent();
        Path dataRoot = target.resolve("bench-data");
        wipe(dataRoot);
        KeycloakServer.installProviders(home, List.of(KeycloakServer.providerJar()));
        Path imports = home.resolve("data/import");
        wipe(imports);
        Files.createDirectories(imports);
        Files.writeString(imports.resolve("bench-none.json"), realm("bench-none", "[]", false));
        Files.writeString(imports.resolve("bench-tokentrail.json"), realm("bench-tokentrail", "[\"tokentrail\"]", false));
        Files.writeString(imports.resolve("bench-db.json"), realm("bench-db", "[]", true));
        Path lua = target.resolve("bench-post.lua");
        Files.writeString(lua, """
                wrk.method = "POST"
                wrk.body = "grant_type=client_credentials&client_id=svc&client_secret=%s"
                wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
                done = function(summary, latency, requests)
                  io.write(string.format("RESULT requests=%%d duration_us=%%d non2xx=%%d socket_errors=%%d p50_us=%%d p99_us=%%d\\n",
                    summary.requests, summary.duration, summary.errors.status,
                    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
                    latency:percentile(50), latency:percentile(99)))
                end
                """.formatted(SECRET));

        System.out.println("Starting Keycloak (same build for all three realms) ...");
        try (KeycloakServer kc = KeycloakServer.start(home, target.resolve("keycloak-bench.log"), List.of(
                "--spi-events-listener--tokentrail--data-root=" + dataRoot,
                "--spi-events-listener--tokentrail--node-name=bench"), Map.of(), Duration.ofMinutes(5))) {
            System.out.printf("Keycloak ready in %d ms%n", kc.startTime().toMillis());
            int seconds = Integer.parseInt(a.get("seconds"));
            int rounds = Integer.parseInt(a.get("rounds"));
            int warmup = Integer.parseInt(a.get("warmup"));
            for (String mode : MODES) {
                Result w = wrk(kc, lua, mode, warmup, a);
                System.out.printf("warm-up %-10s %8.1f req/s%n", mode, w.rps());
            }
            Map<String, List<Result>> results = new LinkedHashMap<>();
            for (int r = 1; r <= rounds; r++) {
                for (String mode : MODES) {
                    Result res = wrk(kc, lua, mode, seconds, a);
                    results.computeIfAbsent(mode, k -> new ArrayList<>()).add(res);
                    System.out.printf("round %d %-10s %8.1f req/s  p50 %5.1f ms  p99 %5.1f ms  non-2xx %d%n", r, mode,
                            res.rps(), res.p50us() / 1000.0, res.p99us() / 1000.0, res.non2xx());
                }
            }
            String metrics = get(kc.managementUrl() + "/metrics");
            long stored = dbEvents(kc);
            report(target, a, kc, results, metrics, stored);
        }
    }

    record Result(double rps, long requests, long non2xx, long socketErrors, long p50us, long p99us) {
    }

    private static Result wrk(KeycloakServer kc, Path lua, String mode, int seconds, Map<String, String> a)
            throws IOException, InterruptedException {
        String url = kc.baseUrl() + "/realms/bench-" + mode + "/protocol/openid-connect/token";
        Process p = new ProcessBuilder("wrk", "-t" + a.get("threads"), "-c" + a.get("connections"),
                "-d" + seconds + "s", "--timeout", "10s", "-s", lua.toString(), url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Matcher m = Pattern.compile("RESULT requests=(\\d+) duration_us=(\\d+) non2xx=(\\d+) socket_errors=(\\d+)"
                + " p50_us=(\\d+) p99_us=(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk gave no result:\n" + out);
        }
        long requests = Long.parseLong(m.group(1));
        long non2xx = Long.parseLong(m.group(3));
        double rps = (requests - non2xx) / (Long.parseLong(m.group(2)) / 1e6);
        return new Result(rps, requests, non2xx, Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                Long.parseLong(m.group(6)));
    }

    private static double median(List<Result> rs) {
        List<Double> v = rs.stream().map(Result::rps).sorted().toList();
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static void report(Path target, Map<String, String> a, KeycloakServer kc, Map<String, List<Result>> results,
                               String metrics, long stored) throws IOException {
        double none = median(results.get("none"));
        double tt = median(results.get("tokentrail"));
        double db = median(results.get("db"));
        StringBuilder sb = new StringBuilder();
        sb.append("# Keycloak token endpoint benchmark (client credentials)\n\n");
        sb.append(String.format(Locale.ROOT, "wrk -t%s -c%s, %s rounds x %ss interleaved after %ss warm-up each;"
                        + " %d cores; Keycloak start %d ms%n%n", a.get("threads"), a.get("connections"), a.get("rounds"),
                a.get("seconds"), a.get("warmup"), Runtime.getRuntime().availableProcessors(), kc.startTime().toMillis()));
        sb.append("| realm | median req/s | rounds |\n|---|---|---|\n");
        for (var e : results.entrySet()) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %s |%n", e.getKey(), median(e.getValue()),
                    e.getValue().stream().map(r -> String.format(Locale.ROOT, "%.1f", r.rps())).toList()));
        }
        sb.append(String.format(Locale.ROOT, "%ntokentrail / none = %.3f (target >= 0.97)%n", tt / none));
        sb.append(String.format(Locale.ROOT, "tokentrail / db   = %.3f (target >= 1.0)%n", tt / db));
        sb.append("\nlistener counters after the run: ").append(counters(metrics)).append('\n');
        sb.append("database store rows for bench-db (admin API, first page): ").append(stored).append('\n');
        System.out.println("\n" + sb);
        Files.writeString(target.resolve("bench-results.md"), sb.toString());
    }

    private static String counters(String metrics) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(tokentrail_events_(?:offered|indexed|dropped|failed)_total)\\{[^}]*} (\\S+)")
                .matcher(metrics);
        while (m.find()) {
            out.add(m.group(1) + "=" + m.group(2));
        }
        return String.join(", ", out);
    }

    /** Proves the DB-store realm really stored events (else the comparison would be meaningless). */
    private static long dbEvents(KeycloakServer kc) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        var token = http.send(HttpRequest.newBuilder(URI.create(kc.baseUrl()
                        + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username="
                        + KeycloakServer.ADMIN_USER + "&password=" + KeycloakServer.ADMIN_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(token);
        if (!m.find()) {
            return -1;
        }
        String events = http.send(HttpRequest.newBuilder(URI.create(kc.baseUrl()
                        + "/admin/realms/bench-db/events?type=CLIENT_LOGIN&max=100"))
                .header("Authorization", "Bearer " + m.group(1)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return Pattern.compile("\"type\":\"CLIENT_LOGIN\"").matcher(events).results().count();
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String realm(String name, String listeners, boolean dbStore) {
        return """
                {
                  "realm": "%s",
                  "enabled": true,
                  "sslRequired": "none",
                  "eventsListeners": %s,
                  "eventsEnabled": %s,
                  "enabledEventTypes": ["CLIENT_LOGIN"],
                  "eventsExpiration": 3600,
                  "clients": [{
                    "clientId": "svc",
                    "enabled": true,
                    "publicClient": false,
                    "clientAuthenticatorType": "client-secret",
                    "secret": "%s",
                    "standardFlowEnabled": false,
                    "directAccessGrantsEnabled": false,
                    "serviceAccountsEnabled": true
                  }]
                }
                """.formatted(name, listeners, dbStore, SECRET);
    }

    private static void requireWrk() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("The benchmark needs wrk as its load generator: apt-get install -y wrk");
        }
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
