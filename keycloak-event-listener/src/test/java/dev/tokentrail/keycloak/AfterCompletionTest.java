package dev.tokentrail.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.mask.MaskingPolicy;
import dev.tokentrail.index.store.ShardWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.KeycloakTransactionManager;

/**
 * The after-completion path against a transaction manager that behaves like Keycloak's: main
 * transactions first, after-completion ones committed only when those succeeded, else rolled back.
 */
class AfterCompletionTest {

    @TempDir
    Path root;
    private Recorder recorder;
    private ShardWriter writer;

    @BeforeEach
    void open() {
        ListenerConfig config = ListenerConfig.parse(Map.of("data-root", root.toString(), "node-name", "t",
                "metrics-log-interval", "0")::get, null);
        writer = ShardWriter.open(config.shardConfig());
        recorder = new Recorder(config, writer, MaskingPolicy.defaults(Fingerprinter.forRoot(root)));
    }

    @AfterEach
    void close() {
        recorder.close();
    }

    /** Keycloak's DefaultKeycloakTransactionManager, reduced to the ordering that matters here. */
    static final class FakeTransactionManager implements KeycloakTransactionManager {
        final List<KeycloakTransaction> main = new ArrayList<>();
        final List<KeycloakTransaction> after = new ArrayList<>();
        boolean active = true;
        boolean rollbackOnly;

        @Override public JTAPolicy getJTAPolicy() { return JTAPolicy.REQUIRES_NEW; }
        @Override public void setJTAPolicy(JTAPolicy policy) { }
        @Override public void enlist(KeycloakTransaction tx) { tx.begin(); main.add(tx); }
        @Override public void enlistAfterCompletion(KeycloakTransaction tx) { tx.begin(); after.add(tx); }
        @Override public void enlistPrepare(KeycloakTransaction tx) { enlist(tx); }
        @Override public void begin() { active = true; }

        @Override
        public void commit() {
            try {
                main.forEach(KeycloakTransaction::commit);
            } catch (RuntimeException e) {
                rollback();
                throw e;
            }
            after.forEach(KeycloakTransaction::commit); // an exception here would fail the request
            active = false;
        }

        @Override
        public void rollback() {
            main.forEach(KeycloakTransaction::rollback);
            after.forEach(KeycloakTransaction::rollback);
            active = false;
        }

        @Override public void setRollbackOnly() { rollbackOnly = true; }
        @Override public boolean getRollbackOnly() { return rollbackOnly; }
        @Override public boolean isActive() { return active; }
    }

    private static Event login() {
        Event e = new Event();
        e.setId("e-" + System.nanoTime());
        e.setType(EventType.CLIENT_LOGIN);
        e.setTime(System.currentTimeMillis());
        e.setClientId("svc");
        e.setDetails(Map.of("token_id", "trrtcc:1", "grant_type", "client_credentials"));
        return e;
    }

    @Test
    void a_success_event_waits_for_the_commit() {
        var tm = new FakeTransactionManager();
        var provider = new TokentrailEventListenerProvider(null, tm, recorder);
        provider.onEvent(login());
        assertThat(writer.stats().offered()).as("nothing before the commit").isZero();
        tm.commit();
        assertThat(writer.stats().offered()).isEqualTo(1);
    }

    @Test
    void a_rolled_back_request_leaves_no_event() {
        var tm = new FakeTransactionManager();
        var provider = new TokentrailEventListenerProvider(null, tm, recorder);
        provider.onEvent(login());
        tm.enlist(new KeycloakTransaction() { // the database refuses the commit after the event fired
            @Override public void begin() { }
            @Override public void commit() { throw new IllegalStateException("simulated commit failure"); }
            @Override public void rollback() { }
            @Override public void setRollbackOnly() { }
            @Override public boolean getRollbackOnly() { return false; }
            @Override public boolean isActive() { return true; }
        });
        assertThatCode(tm::commit).hasMessage("simulated commit failure");
        assertThat(writer.stats().offered()).isZero();
        assertThat(recorder.rolledBack.sum()).isEqualTo(1);
    }

    @Test
    void admin_events_also_wait_for_the_commit() {
        var tm = new FakeTransactionManager();
        var provider = new TokentrailEventListenerProvider(null, tm, recorder);
        AdminEvent a = new AdminEvent();
        a.setOperationType(OperationType.ACTION);
        a.setResourceType(ResourceType.USER);
        a.setResourcePath("users/u-1/logout");
        a.setTime(System.currentTimeMillis());
        provider.onEvent(a, false);
        assertThat(writer.stats().offered()).isZero();
        tm.rollback();
        assertThat(writer.stats().offered()).isZero();
        assertThat(recorder.rolledBack.sum()).isEqualTo(1);
    }

    @Test
    void error_events_are_recorded_as_they_come() {
        var tm = new FakeTransactionManager();
        var provider = new TokentrailEventListenerProvider(null, tm, recorder);
        Event e = login();
        e.setType(EventType.CLIENT_LOGIN_ERROR);
        e.setError("invalid_client_credentials");
        provider.onEvent(e);
        assertThat(writer.stats().offered()).isEqualTo(1);
        assertThat(tm.after).isEmpty();
    }

    @Test
    void a_broken_writer_never_fails_the_request_or_its_commit() {
        var tm = new FakeTransactionManager();
        var provider = new TokentrailEventListenerProvider(null, tm, recorder);
        provider.onEvent(login());
        writer.close(); // offers now fail: the event is counted as dropped, nothing is thrown
        assertThatCode(tm::commit).doesNotThrowAnyException();
        assertThatCode(() -> provider.onEvent((Event) null)).doesNotThrowAnyException();
        Event odd = login();
        odd.setType(null);
        assertThatCode(() -> provider.onEvent(odd)).doesNotThrowAnyException();
        assertThat(writer.stats().dropped()).isEqualTo(1);
    }

    @Test
    void listener_failures_are_all_counted_but_logged_at_most_once_a_minute() {
        long t = System.nanoTime();
        assertThat(recorder.failureLogDue(t)).as("the first failure is logged").isZero();
        assertThat(recorder.failureLogDue(t + 1)).isEqualTo(-1);
        assertThat(recorder.failureLogDue(t + Recorder.FAILURE_LOG_PERIOD_NANOS - 1)).isEqualTo(-1);
        assertThat(recorder.failureLogDue(t + Recorder.FAILURE_LOG_PERIOD_NANOS)).as("a minute later, with the count")
                .isEqualTo(2);
        for (int i = 0; i < 1000; i++) {
            recorder.failed("test", new IllegalStateException("boom " + i));
        }
        assertThat(recorder.listenerErrors.sum()).isEqualTo(1000);
    }
}
