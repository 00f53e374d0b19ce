package dev.tokentrail.viewer.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The UI's files, read from the jar once at start-up and served from a fixed map. There is no
 * path-to-file mapping at request time, so no request path can reach any other resource.
 */
public final class StaticAssets {

    /** The manifest of UI files under {@code web/app/}, one name per line. */
    static final String MANIFEST = "web/assets.txt";

    private record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> byPath = new LinkedHashMap<>();

    public StaticAssets(String uplotVersion) {
        add("/", "web/index.html");
        add("/login", "web/login.html");
        for (String name : new String(read(MANIFEST), StandardCharsets.UTF_8).split("\n")) {
            String n = name.strip();
            if (!n.isEmpty() && !n.startsWith("#")) {
                add("/app/" + n, "web/app/" + n);
            }
        }
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion + "/dist/";
        add("/vendor/uplot/uPlot.esm.js", uplot + "uPlot.esm.js");
        add("/vendor/uplot/uPlot.min.css", uplot + "uPlot.min.css");
        // Where a browser looks for an icon on a page that names none (a JSON answer opened
        // directly): the same SVG, behind the login like every other file.
        add("/favicon.ico", "web/app/icon.svg");
    }

    /** The paths served, for tests. */
    public java.util.Set<String> paths() {
        return byPath.keySet();
    }

    public void install(RoutesConfig routes) {
        byPath.forEach((path, a) -> routes.get(path, ctx -> serve(ctx, a)));
    }

    private static void serve(Context ctx, Asset a) {
        ctx.contentType(a.contentType()).result(a.bytes());
    }

    private void add(String path, String resource) {
        byPath.put(path, new Asset(read(resource), type(resource)));
    }

    private static String type(String name) {
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        if (name.endsWith(".png")) {
            return "image/png";
        }
        throw new IllegalArgumentException("no content type known for UI file " + name);
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("UI file missing from the jar: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
