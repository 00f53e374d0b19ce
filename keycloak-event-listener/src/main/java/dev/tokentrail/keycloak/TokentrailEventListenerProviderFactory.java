package dev.tokentrail.keycloak;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.mask.MaskingPolicy;
import dev.tokentrail.index.store.ShardLockedException;
import dev.tokentrail.index.store.ShardWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The {@code tokentrail} event listener: one per Keycloak node. Opens the node's one shard
 * writer ({@code <data-root>/keycloak-<node-name>}) at start, and drains and closes it at
 * shutdown. Bad options or a shard held by another process stop Keycloak's start with a
 * message naming what to fix.
 */
public final class TokentrailEventListenerProviderFactory implements EventListenerProviderFactory {

    private static final Logger LOG = Logger.getLogger(TokentrailEventListenerProviderFactory.class);

    private volatile ListenerConfig config;
    private volatile Recorder recorder;
    private volatile ListenerMetrics metrics;

    @Override
    public String getId() {
        return ListenerConfig.PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope scope) {
        ListenerConfig c = ListenerConfig.parse(scope::get, System.getProperty("kc.home.dir"));
        MaskingPolicy masking;
        try {
            // The data root's key: a JWT in a detail is stored as the reference the gateway stores for it.
            masking = MaskingPolicy.defaults(Fingerprinter.forRoot(c.dataRoot()));
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new IllegalStateException("Tokentrail: cannot use the fingerprint key under "
                    + ListenerConfig.optionNames(ListenerConfig.DATA_ROOT) + " = " + c.dataRoot() + ": "
                    + e.getMessage(), e);
        }
        ShardWriter writer;
        try {
            writer = ShardWriter.open(c.shardConfig());
        } catch (ShardLockedException e) {
            throw new IllegalStateException("Tokentrail: " + e.getMessage() + " Set a unique "
                    + ListenerConfig.optionNames(ListenerConfig.NODE_NAME) + " on each node.", e);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new IllegalStateException("Tokentrail: cannot open the shard under "
                    + ListenerConfig.optionNames(ListenerConfig.DATA_ROOT) + " = " + c.dataRoot() + ": "
                    + e.getMessage(), e);
        }
        this.config = c;
        this.recorder = new Recorder(c, writer, masking);
        LOG.infof("Tokentrail event listener recording to %s (queue %d, commit every %s, admin events %s, %s,"
                        + " max age %s, max size %s)", writer.directory(), c.queueSize(), c.commitInterval(),
                c.adminEvents() ? "on" : "off", c.allRealms() ? "all realms" : "realms that list 'tokentrail'",
                c.maxAge() == null ? "none" : c.maxAge(), c.maxBytes() == 0 ? "none" : c.maxBytes() + " bytes");
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.metrics = ListenerMetrics.start(recorder, config.metricsLogInterval());
    }

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new TokentrailEventListenerProvider(session, recorder);
    }

    @Override
    public boolean isGlobal() {
        ListenerConfig c = config;
        return c != null && c.allRealms();
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ListenerConfig.metadata();
    }

    /** Runs on Keycloak's shutdown thread: drains the queue, commits, releases the shard. */
    @Override
    public void close() {
        Recorder r = recorder;
        if (r == null) {
            return;
        }
        try {
            if (metrics != null) {
                metrics.close();
            }
        } finally {
            r.close();
            LOG.infof("Tokentrail event listener closed: %s", r.summary());
        }
    }
}
