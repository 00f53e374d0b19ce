package dev.tokentrail.viewer.auth;

import java.util.Set;

/**
 * A logged-in user.
 *
 * @param name  display and audit name: {@code local} or the OIDC {@code preferred_username}
 * @param via   how they logged in: {@code local}, {@code oidc}, {@code bearer}, {@code metrics}
 * @param roles roles seen at login (OIDC), empty in local mode
 */
public record Principal(String name, String via, Set<String> roles) {
    public Principal {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }
}
