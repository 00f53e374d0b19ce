package dev.tokentrail.keycloak.it;

import org.keycloak.Config;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakTransaction;

/**
 * Test-only provider ({@code tt-rollback}), installed by the IT beside the real jar: when
 * {@code rollback-client} logs in, it enlists a transaction whose commit fails, as a database
 * refusing the commit would. Keycloak then rolls the whole request back after the CLIENT_LOGIN
 * event was fired, which is exactly what the tokentrail listener must not record.
 */
public final class RollbackTriggerListenerFactory implements EventListenerProviderFactory {

    public static final String ID = "tt-rollback";
    public static final String CLIENT = "rollback-client";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new EventListenerProvider() {
            @Override
            public void onEvent(Event event) {
                if (CLIENT.equals(event.getClientId()) && event.getError() == null) {
                    session.getTransactionManager().enlist(new FailingCommit());
                }
            }

            @Override
            public void onEvent(AdminEvent event, boolean includeRepresentation) {
            }

            @Override
            public void close() {
            }
        };
    }

    static final class FailingCommit implements KeycloakTransaction {
        private boolean active;

        @Override public void begin() { active = true; }
        @Override public void commit() { active = false; throw new IllegalStateException("tt-rollback: simulated commit failure"); }
        @Override public void rollback() { active = false; }
        @Override public void setRollbackOnly() { }
        @Override public boolean getRollbackOnly() { return false; }
        @Override public boolean isActive() { return active; }
    }

    @Override public void init(Config.Scope config) { }
    @Override public void postInit(KeycloakSessionFactory factory) { }
    @Override public void close() { }
    @Override public String getId() { return ID; }
}
