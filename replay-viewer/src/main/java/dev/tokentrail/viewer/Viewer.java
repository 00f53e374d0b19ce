package dev.tokentrail.viewer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.store.RecordCodec;
import dev.tokentrail.viewer.api.ApiRoutes;
import dev.tokentrail.viewer.api.LiveTail;
import dev.tokentrail.viewer.api.StaticAssets;
import dev.tokentrail.viewer.audit.AuditEntry;
import dev.tokentrail.viewer.audit.AuditLog;
import dev.tokentrail.viewer.auth.WebSecurity;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Properties;

/** A running viewer: HTTP server, reader, live tail and audit log. {@link #close()} stops all of it. */
public final class Viewer implements AutoCloseable {

    private final ViewerOptions options;
    private final ReplayReader reader;
    private final LiveTail tail;
    private final WebSecurity security;
    private final Javalin app;

    private Viewer(ViewerOptions options, ReplayReader reader, LiveTail tail, WebSecurity security, Javalin app) {
        this.options = options;
        this.reader = reader;
        this.tail = tail;
        this.security = security;
        this.app = app;
    }

    public static Viewer start(ViewerOptions options) {
        Clock clock = Clock.systemUTC();
        ObjectMapper json = RecordCodec.mapper();
        Properties build = buildProperties();
        String version = build.getProperty("version", "dev");
        ServerConfig server = options.server();
        ReplayReader reader = ReplayReader.open(server.dataRoot());
        LiveTail tail = null;
        try {
            AuditLog audit = new AuditLog(server.dataRoot(), json, Fingerprinter.forRoot(server.dataRoot()));
            tail = new LiveTail(reader, json, options.live().refreshInterval(), options.live().tailLag(), clock);
            WebSecurity security = new WebSecurity(options.security(), server, json, clock);
            security.onLogin(who -> audit.record(new AuditEntry(clock.instant(), who.name(), who.via(), "login",
                    "session started", -1)));
            StaticAssets assets = new StaticAssets(build.getProperty("uplot.version"));
            ApiRoutes api = new ApiRoutes(reader, audit, json, tail, security::activeSessions, version, clock);
            LiveTail liveTail = tail;
            Javalin app = Javalin.create(config -> {
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
            return new Viewer(options, reader, liveTail, security, app);
        } catch (RuntimeException e) {
            if (tail != null) {
                tail.close();
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
            tail.close();
            app.stop();
        } finally {
            reader.close();
        }
    }
}
