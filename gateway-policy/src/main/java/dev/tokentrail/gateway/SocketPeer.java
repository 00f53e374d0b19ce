package dev.tokentrail.gateway;

import io.gravitee.gateway.reactive.api.context.http.HttpBaseRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP peer of a request: what the socket says, not what headers claim.
 *
 * <p>Gravitee 4.10's policy API offers only {@code remoteAddress()}, which follows
 * {@code X-Forwarded-For} when a client sends one, so a client can put any address there. The
 * gateway's request object keeps the Vert.x request it wraps; this reads the connection's remote
 * address from it. If a future gateway changes that shape, the peer is reported only when no
 * {@code X-Forwarded-For} was sent (then remoteAddress() is the socket) and left empty otherwise:
 * better unknown than wrong.
 */
final class SocketPeer {

    private static final Logger LOG = LoggerFactory.getLogger(SocketPeer.class);
    private static final ConcurrentMap<Class<?>, Field> FIELDS = new ConcurrentHashMap<>();
    private static final ConcurrentMap<Class<?>, Method> DELEGATES = new ConcurrentHashMap<>();
    private static final Field NONE;
    private static volatile boolean warned;

    static {
        try {
            NONE = SocketPeer.class.getDeclaredField("warned");
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SocketPeer() {
    }

    static String of(HttpBaseRequest request, boolean forwardedForPresent) {
        try {
            Field f = FIELDS.computeIfAbsent(request.getClass(), SocketPeer::findNativeRequest);
            if (f != NONE) {
                Object nat = f.get(request);
                HttpServerRequest vertx = unwrap(nat);
                if (vertx != null && vertx.connection() != null) {
                    SocketAddress a = vertx.connection().remoteAddress();
                    if (a != null) {
                        return a.hostAddress() != null ? a.hostAddress() : a.host();
                    }
                }
            }
        } catch (Exception | LinkageError e) {
            if (!warned) {
                warned = true;
                LOG.warn("Tokentrail cannot read the socket peer from {}: {}", request.getClass().getName(), e.toString());
            }
        }
        return forwardedForPresent ? null : request.remoteAddress();
    }

    private static HttpServerRequest unwrap(Object nat) throws ReflectiveOperationException {
        if (nat instanceof HttpServerRequest r) {
            return r;
        }
        if (nat != null) {
            // The Rx-generated wrapper (io.vertx.rxjava3.core.http.HttpServerRequest) exposes its delegate.
            Method m = DELEGATES.get(nat.getClass());
            if (m == null) {
                m = nat.getClass().getMethod("getDelegate");
                DELEGATES.put(nat.getClass(), m);
            }
            Object d = m.invoke(nat);
            if (d instanceof HttpServerRequest r) {
                return r;
            }
        }
        return null;
    }

    private static Field findNativeRequest(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals("nativeRequest")) {
                    try {
                        f.setAccessible(true);
                        return f;
                    } catch (RuntimeException e) {
                        return NONE;
                    }
                }
            }
        }
        if (!warned) {
            warned = true;
            LOG.warn("Tokentrail cannot find the socket peer in {}; peers are recorded only without X-Forwarded-For",
                    type.getName());
        }
        return NONE;
    }
}
