package dev.tokentrail.index.mask;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenIdentity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The token identities of one exchange: those the adapter already knew (e.g. from gateway plan
 * claims) first, then those derived from Authorization headers, then from other places (token
 * headers, cookies, query). Deduplicated by fingerprint; at most {@link #MAX_DERIVED} derived, so a
 * request with a thousand Authorization headers costs a thousand HMACs, not a thousand decodes.
 */
final class Identities {

    static final int MAX_DERIVED = 8;

    private final Fingerprinter fingerprinter;
    private final List<TokenIdentity> existing;
    private final List<TokenIdentity> primary = new ArrayList<>(2);
    private final List<TokenIdentity> secondary = new ArrayList<>(2);
    private final Set<String> seen = new HashSet<>();

    Identities(Fingerprinter fingerprinter, List<TokenIdentity> existing) {
        this.fingerprinter = fingerprinter;
        this.existing = existing == null ? List.of() : existing;
        for (TokenIdentity t : this.existing) {
            if (t != null && t.fingerprint() != null) {
                seen.add(t.fingerprint());
            }
        }
    }

    /**
     * Records the identity of a raw credential and returns its fingerprint reference, or null when
     * there is no credential (blank).
     */
    String add(String raw, String scheme, boolean fromAuthorization) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (primary.size() + secondary.size() >= MAX_DERIVED) {
            return fingerprinter.reference(raw.strip());
        }
        TokenIdentity id = TokenIdentity.of(raw, scheme, fingerprinter);
        if (id == null) {
            return null;
        }
        if (seen.add(id.fingerprint())) {
            (fromAuthorization ? primary : secondary).add(id);
        }
        return "«token:" + id.fingerprint() + "»";
    }

    List<TokenIdentity> result() {
        var all = new ArrayList<TokenIdentity>(existing.size() + primary.size() + secondary.size());
        for (TokenIdentity t : existing) {
            if (t != null) {
                all.add(t);
            }
        }
        all.addAll(primary);
        all.addAll(secondary);
        return all;
    }
}
