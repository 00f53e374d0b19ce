package dev.tokentrail.dist;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The API behind the gateway: {@code GET /orders} and {@code GET /orders/{id}} answer small JSON
 * documents, {@code POST /orders} answers 201 with the number of body bytes it received. It checks
 * only that a bearer token is present: validating it is the gateway's job (a JWT plan against
 * Keycloak's JWKS, {@link GatewayComponent}). Every request body is read to its end (and counted,
 * never kept) before the answer: a server that answers while the client is still sending makes the
 * gateway fail the call (502, "Request already complete").
 */
final class DemoBackend implements Component {

    private final int port;
    private HttpServer server;

    DemoBackend(int port) {
        this.port = port;
    }

    @Override
    public String name() {
        return "demo backend";
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void start(Progress progress) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "demo-backend");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
        progress.say(String.format("  %-40s ready", "demo backend"));
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            long received = drain(x.getRequestBody());
            String auth = x.getRequestHeaders().getFirst("Authorization");
            String path = x.getRequestURI().getPath();
            if (path.equals("/health")) {
                reply(x, 200, "{\"status\":\"up\"}");
            } else if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                x.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                reply(x, 401, "{\"error\":\"bearer token required\"}");
            } else if (path.equals("/orders") && x.getRequestMethod().equals("GET")) {
                reply(x, 200, "{\"orders\":[{\"id\":\"o-1001\",\"item\":\"coffee beans\",\"total\":18.50},"
                        + "{\"id\":\"o-1002\",\"item\":\"grinder\",\"total\":129.00}]}");
            } else if (path.equals("/orders") && x.getRequestMethod().equals("POST")) {
                reply(x, 201, "{\"id\":\"o-" + (1003 + (System.nanoTime() & 0xff)) + "\",\"received\":"
                        + received + "}");
            } else if (path.matches("/orders/o-\\d{1,6}")) {
                reply(x, 200, "{\"id\":\"" + path.substring(8) + "\",\"status\":\"shipped\"}");
            } else {
                reply(x, 404, "{\"error\":\"no such resource\"}");
            }
        }
    }

    /** Reads the request body to its end; returns its length. */
    static long drain(InputStream body) throws IOException {
        return body.transferTo(OutputStream.nullOutputStream());
    }

    private static void reply(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
