package dev.tokentrail.viewer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A webhook receiver on a free loopback port (the JDK's HttpServer) answering 503 to its first {@code failures} POSTs. */
public final class Receiver implements AutoCloseable {

    public final List<String> bodies = new CopyOnWriteArrayList<>();
    public final AtomicInteger attempts = new AtomicInteger();
    private final HttpServer server;

    public Receiver(int failures) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int n = attempts.incrementAndGet();
            boolean ok = n > failures && "POST".equals(ex.getRequestMethod())
                    && "application/json".equals(ex.getRequestHeaders().getFirst("Content-Type"));
            if (ok) {
                bodies.add(body);
            }
            ex.sendResponseHeaders(ok ? 204 : 503, -1);
            ex.close();
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
