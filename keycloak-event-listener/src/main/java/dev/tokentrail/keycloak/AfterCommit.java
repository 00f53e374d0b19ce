package dev.tokentrail.keycloak;

import dev.tokentrail.index.model.TokenEvent;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.models.KeycloakTransaction;

/**
 * Holds one request's events until Keycloak's transaction ends: enlisted as an after-completion
 * transaction, it hands them to the recorder on commit and forgets them on rollback. Whatever
 * happens inside, nothing is thrown out of {@link #commit()}: an exception there would surface
 * from Keycloak's commit and fail a request whose work is already done.
 */
final class AfterCommit implements KeycloakTransaction {

    private final Recorder recorder;
    private final List<TokenEvent> pending = new ArrayList<>(2);
    private boolean active;
    private boolean rollbackOnly;

    AfterCommit(Recorder recorder) {
        this.recorder = recorder;
    }

    void add(TokenEvent e) {
        pending.add(e);
    }

    @Override
    public void begin() {
        active = true;
    }

    @Override
    public void commit() {
        try {
            for (TokenEvent e : pending) {
                recorder.record(e);
            }
        } catch (Throwable t) {
            recorder.failed("after-commit", t);
        } finally {
            pending.clear();
            active = false;
        }
    }

    @Override
    public void rollback() {
        try {
            recorder.rolledBack.add(pending.size());
        } catch (Throwable ignored) {
            // counting must never disturb a rollback
        } finally {
            pending.clear();
            active = false;
        }
    }

    @Override
    public void setRollbackOnly() {
        rollbackOnly = true;
    }

    @Override
    public boolean getRollbackOnly() {
        return rollbackOnly;
    }

    @Override
    public boolean isActive() {
        return active;
    }
}
