package dev.tokentrail.viewer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.store.RecordCodec;
import dev.tokentrail.index.store.ShardConfig;
import dev.tokentrail.index.store.ShardWriter;
import dev.tokentrail.viewer.api.ApiRoutes;
import dev.tokentrail.viewer.api.LiveTail;
import dev.tokentrail.viewer.api.StaticAssets;
import dev.tokentrail.viewer.audit.AuditEntry;
import dev.tokentrail.viewer.audit.AuditLog;
import dev.tokentrail.viewer.auth.WebSecurity;
import dev.tokentrail.viewer.findings.FindingsService;
import dev.tokentrail.viewer.findings.Webhook;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/** A running viewer: HTTP server, reader, live tail, its own shard (audit, findings) and the findings task. {@link #close()} stops all of it. */
public final class Viewer implements AutoCloseable {

    /** The viewer's shard is {@code <root>/viewer-<node>}. */
    public static final String SHARD_COMPONENT = "viewer";

    private final ViewerOptions options;
    private final ReplayReader reader;
    private final LiveTail tail;
    private final WebSecurity security;
    private final Javalin app;
    private final ShardWriter shard;
    private final FindingsService findings;
    private final List<Route> routes;

    /** One HTTP route as the router registered it; the path keeps its {@code {param}} placeholders. */
    record Route(HandlerType method, String path) {
    }

    private Viewer(ViewerOptions options, ReplayReader reader, LiveTail tail, WebSecurity security, Javalin app,
                   ShardWriter shard, FindingsService findings, List<Route> routes) {
        this.options = options;
        this.reader = reader;
        this.tail = tail;
        this.security = security;
        this.app = app;
        this.shard = shard;
        this.findings = findings;
        this.routes = List.copyOf(routes);
    }

    public static Viewer start(ViewerOptions options) {
        Clock clock = Clock.systemUTC();
        ObjectMapper json = RecordCodec.mapper();
        Properties build = buildProperties();
        String version = build.getProperty("version", "dev");
        ServerConfig server = options.server();
        ReplayReader reader = ReplayReader.open(server.dataRoot());
        LiveTail tail = null;
        ShardWriter shard = null;
        FindingsService findings = null;
        try {
            // The viewer's own shard: its audit trail and the findings it evaluates.
            shard = ShardWriter.open(ShardConfig.of(server.dataRoot(), SHARD_COMPONENT, server.node()));
            AuditLog audit = new AuditLog(shard, reader, Fingerprinter.forRoot(server.dataRoot()), server.node());
            tail = new LiveTail(reader, json, options.live().refreshInterval(), options.live().tailLag(),
                    options.live().tailMaxPerTick(), clock);
            WebSecurity security = new WebSecurity(options.security(), server, json, clock);
            security.onLogin(who -> audit.record(new AuditEntry(clock.instant(), who.name(), who.via(), "login",
                    "session started", -1)));
            StaticAssets assets = new StaticAssets(build.getProperty("uplot.version"));
            FindingsOptions fo = options.findings();
            String viewerUrl = options.security().oidc() != null
                    ? stripSlash(options.security().oidc().publicUrl().toString()) : null;
            Webhook webhook = fo.webhook() == null ? null : new Webhook(fo.webhook(), fo.webhookQueue(),
                    fo.webhookAttempts(), fo.webhookBackoff(), json, viewerUrl);
            findings = new FindingsService(reader, shard, fo, server.node(), webhook, clock);
            ApiRoutes api = new ApiRoutes(reader, audit, findings, json, tail, security::activeSessions, version, clock);
            LiveTail liveTail = tail;
            List<Route> routes = new CopyOnWriteArrayList<>();
            Javalin app = Javalin.create(config -> {
                // Before any route: the router reports every endpoint it adds, whoever adds it.
                config.events.handlerAdded(h -> routes.add(new Route(h.getHttpMethod(), h.getPath())));
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jsonMapper(new JacksonJsonMapper(json));
                config.http.maxRequestSize = 1_000_000;
                config.jetty.modifyHttpConfiguration(http -> {
                    http.setSendServerVersion(false);
                    http.setSendXPoweredBy(false);
                });
                security.install(config.routes);
                assets.install(config.routes);
                api.install(config.routes);
            });
            app.start(server.host(), server.port());
            if (webhook != null && viewerUrl == null) {
                webhook.linkTo("http://" + ViewerOptions.hostForUrl(server.host()) + ":" + app.port());
            }
            return new Viewer(options, reader, liveTail, security, app, shard, findings, routes);
        } catch (RuntimeException e) {
            if (findings != null) {
                findings.close();
            }
            if (tail != null) {
                tail.close();
            }
            if (shard != null) {
                shard.close();
            }
            reader.close();
            throw e;
        }
    }

    private static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = Viewer.class.getResourceAsStream("/tokentrail-viewer.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The findings task: for tests and scripts that need its first pass done. */
    public FindingsService findings() {
        return findings;
    }

    /**
     * Every route the router registered, including before-handlers ({@link HandlerType#BEFORE}):
     * lets tests check each one is guarded without keeping their own list of them.
     */
    List<Route> routes() {
        return routes;
    }

    public int port() {
        return app.port();
    }

    /** The base URL to reach the viewer, without a trailing slash. */
    public String baseUrl() {
        return "http://" + ViewerOptions.hostForUrl(options.server().host()) + ":" + port();
    }

    /** Local mode's access token, null in OIDC mode. */
    public String localToken() {
        return security.localToken();
    }

    public String loginHint() {
        return security.loginHint(baseUrl());
    }

    @Override
    public void close() {
        try {
            findings.close();
            tail.close();
            app.stop();
        } finally {
            try {
                shard.close();
            } finally {
                reader.close();
            }
        }
    }
}
