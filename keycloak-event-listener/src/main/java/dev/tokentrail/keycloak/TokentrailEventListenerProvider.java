package dev.tokentrail.keycloak;

import dev.tokentrail.index.model.TokenEvent;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * One per Keycloak session (request). Translates on the request thread (cheap, in memory) and
 * defers success and admin events to an after-completion transaction, so that only what
 * Keycloak committed is recorded; error events are recorded as they come (Keycloak commits
 * them on their own). Never throws out of {@code onEvent}.
 */
final class TokentrailEventListenerProvider implements EventListenerProvider {

    private final KeycloakSession session;
    private final KeycloakTransactionManager transactions;
    private final Recorder recorder;
    private AfterCommit pending;

    TokentrailEventListenerProvider(KeycloakSession session, Recorder recorder) {
        this(session, session.getTransactionManager(), recorder);
    }

    /** For tests: a transaction manager without a whole session. */
    TokentrailEventListenerProvider(KeycloakSession session, KeycloakTransactionManager transactions,
                                    Recorder recorder) {
        this.session = session;
        this.transactions = transactions;
        this.recorder = recorder;
    }

    @Override
    public void onEvent(Event event) {
        try {
            if (event == null || !recorder.translator().wanted(event.getType())) {
                return;
            }
            TokenEvent e = recorder.translator().user(event);
            if (e == null) {
                return;
            }
            if (event.getError() != null || event.getType().name().endsWith("_ERROR")) {
                recorder.record(e); // refused requests: nothing to commit, they happened
            } else {
                afterCommit(e);
            }
        } catch (Throwable t) {
            recorder.failed("onEvent", t);
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        try {
            if (event == null || !recorder.config().adminEvents()) {
                return;
            }
            TokenEvent e = recorder.translator().admin(event, lookup());
            if (e != null) {
                afterCommit(e);
            }
        } catch (Throwable t) {
            recorder.failed("onEvent(admin)", t);
        }
    }

    private void afterCommit(TokenEvent e) {
        if (!transactions.isActive()) {
            recorder.record(e); // no transaction to wait for: Keycloak already committed what it did
            return;
        }
        if (pending == null) {
            pending = new AfterCommit(recorder);
            transactions.enlistAfterCompletion(pending);
        }
        pending.add(e);
    }

    private EventTranslator.Lookup lookup() {
        if (session == null) {
            return EventTranslator.Lookup.NONE;
        }
        return new EventTranslator.Lookup() {
            @Override
            public Boolean userEnabled(String realmId, String userId) {
                RealmModel realm = session.realms().getRealm(realmId);
                UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
                return user == null ? null : user.isEnabled();
            }

            @Override
            public String clientId(String realmId, String clientUuid) {
                RealmModel realm = session.realms().getRealm(realmId);
                ClientModel client = realm == null ? null : realm.getClientById(clientUuid);
                return client == null ? null : client.getClientId();
            }
        };
    }

    @Override
    public void close() {
        // The pending events belong to the transaction: it commits or rolls them back.
    }
}
