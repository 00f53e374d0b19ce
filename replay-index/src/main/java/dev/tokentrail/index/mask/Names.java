package dev.tokentrail.index.mask;

import dev.tokentrail.index.model.SensitiveNames;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A set of sensitive names, matched after normalization: lower case, letters and digits only. So
 * {@code client_secret}, {@code clientSecret}, {@code Client-Secret} and {@code password[]} all
 * match, and one configured spelling covers every convention a client may use. A few strong
 * words also match as substrings ({@code new_password}, {@code x-client-secret}).
 */
final class Names {

    /** Longer names are still checked, but only this prefix: bounded cost per name. */
    private static final int MAX_NAME = 256;
    /** Verdicts remembered: bodies and headers repeat the same few names over and over. */
    private static final int MAX_REMEMBERED = 4_096;
    private static final int MAX_REMEMBERED_NAME = 64;

    private final Set<String> exact;
    private final List<String> contains;
    /**
     * Filled up to {@link #MAX_REMEMBERED} names, then only read: clients choose the names, so
     * a flood of new ones costs them the normal check, never our memory.
     */
    private final Map<String, Boolean> remembered = new ConcurrentHashMap<>();

    Names(Collection<String> exactNames, Collection<String> containsWords) {
        var set = new HashSet<String>();
        for (String n : exactNames) {
            String k = normalize(n, 0, n.length());
            if (!k.isEmpty()) {
                set.add(k);
            }
        }
        this.exact = Set.copyOf(set);
        this.contains = containsWords.stream().map(w -> normalize(w, 0, w.length()))
                .filter(w -> !w.isEmpty()).distinct().toList();
    }

    Names plus(Collection<String> more) {
        var all = new HashSet<>(exact);
        all.addAll(more);
        return new Names(all, contains);
    }

    boolean matches(CharSequence name) {
        if (name instanceof String s && s.length() <= MAX_REMEMBERED_NAME) {
            Boolean known = remembered.get(s);
            if (known != null) {
                return known;
            }
            boolean m = matches(s, 0, s.length());
            if (remembered.size() < MAX_REMEMBERED) {
                remembered.put(s, m);
            }
            return m;
        }
        return name != null && matches(name, 0, name.length());
    }

    boolean matches(CharSequence s, int from, int to) {
        return SensitiveNames.matchesNormalized(normalize(s, from, Math.min(to, from + MAX_NAME)), exact,
                contains);
    }

    /** Lower case, letters and digits only: {@link SensitiveNames#normalize}, so model and masking agree. */
    static String normalize(CharSequence s, int from, int to) {
        return SensitiveNames.normalize(s, from, to);
    }
}
