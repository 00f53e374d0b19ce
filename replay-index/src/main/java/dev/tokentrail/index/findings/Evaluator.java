package dev.tokentrail.index.findings;

import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.AuditEvent;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.model.Finding.Severity;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs every rule over records fed in time order, keeping only bounded, expiring state. One
 * evaluator per stream; not thread-safe. The same records always give the same findings (ids
 * included), so evaluating a range twice stores each finding once.
 */
public final class Evaluator {

    /** Per-key state is dropped past this many keys, oldest first: memory stays bounded under attack. */
    static final int MAX_KEYS = 200_000;

    private final FindingsConfig config;
    private final String node;

    /** An IdP moment: when, which event. */
    private record Mark(Instant time, String eventId, String ip) {
    }

    private final Expiring<Mark> endedSessions = new Expiring<>();
    private final Expiring<Mark> endedUsers = new Expiring<>();
    private final Expiring<Mark> notBefore = new Expiring<>();
    private final Expiring<Mark> revoked = new Expiring<>();
    private final Expiring<Set<String>> family = new Expiring<>();
    private final Expiring<Mark> refreshUses = new Expiring<>();
    private final Expiring<Mark> rotated = new Expiring<>();
    private final Expiring<Instant> issued = new Expiring<>();
    /** The exact bytes (fingerprint) first seen vouching for each token id. */
    private final Expiring<String> bytesOfJti = new Expiring<>();
    private final Set<String> learnedIssuers = new HashSet<>();
    private final Expiring<ArrayDeque<Use>> uses = new Expiring<>();
    private final Expiring<ArrayDeque<Instant>> peerFailures = new Expiring<>();
    private final Expiring<ArrayDeque<Instant>> userFailures = new Expiring<>();
    private final Expiring<Boolean> emitted = new Expiring<>();
    /**
     * When the IdP was recording, as intervals of its events no further apart than
     * {@link FindingsConfig#coverageGap()}; oldest first, bounded in number and, by eviction, in age.
     */
    private final ArrayDeque<Recording> recording = new ArrayDeque<>();
    /** Gaps are remembered up to this many; older coverage is given up (UNKNOWN_TOKEN then stays silent). */
    static final int MAX_RECORDING_INTERVALS = 10_000;
    private Instant now = Instant.EPOCH;
    private Instant lastEviction = Instant.EPOCH;
    private long accepted;

    private record Use(Instant time, String peer, String agent) {
    }

    /** One stretch of IdP recording: its first and (so far) last event. */
    private static final class Recording {
        Instant from;
        Instant to;

        Recording(Instant from, Instant to) {
            this.from = from;
            this.to = to;
        }
    }

    Evaluator(FindingsConfig config, String node) {
        this.config = config;
        this.node = node;
    }

    /** Records fed so far: a check that an evaluation saw what it was meant to. */
    long accepted() {
        return accepted;
    }

    /** Feeds one record; returns the findings it completes (usually none). Findings are ignored. */
    public List<Finding> accept(ReplayRecord record) {
        accepted++;
        List<Finding> out = new ArrayList<>(0);
        if (record.time().isAfter(now)) {
            now = record.time();
        }
        switch (record) {
            case TokenEvent e -> event(e, out);
            case Exchange x -> exchange(x, out);
            case Finding f -> { }
            case AuditEvent a -> { }
        }
        if (Duration.between(lastEviction, now).compareTo(Duration.ofMinutes(1)) > 0) {
            evict();
        }
        return out;
    }

    private void event(TokenEvent e, List<Finding> out) {
        recorded(e.time());
        Mark mark = new Mark(e.time(), e.id(), e.ip());
        switch (e.type()) {
            case ISSUED, REFRESHED, EXCHANGED -> {
                if (e.accessTokenId() != null) {
                    issued.put(e.accessTokenId(), e.time(), e.time());
                }
                for (String r : new String[] {e.refreshTokenId(), e.newRefreshTokenId()}) {
                    if (r != null && e.accessTokenId() != null) {
                        family.computeIfAbsent(r, e.time(), HashSet::new).add(e.accessTokenId());
                    }
                }
                if (e.type() == TokenEventType.REFRESHED && e.refreshTokenId() != null) {
                    refreshed(e, mark, out);
                }
            }
            case REVOKED -> {
                if (e.accessTokenId() != null) {
                    revoked.put(e.accessTokenId(), mark, e.time());
                }
                if (e.refreshTokenId() != null) {
                    revoked.put(e.refreshTokenId(), mark, e.time());
                    Set<String> derived = family.get(e.refreshTokenId());
                    if (derived != null) {
                        derived.forEach(a -> revoked.putIfAbsent(a, mark, e.time()));
                    }
                }
            }
            case LOGGED_OUT, SESSION_ENDED_BY_ADMIN, USER_DISABLED -> {
                if (e.sessionId() != null) {
                    endedSessions.putIfAbsent(e.sessionId(), mark, e.time());
                } else if (e.userId() != null) {
                    endedUsers.put(e.userId(), mark, e.time());
                }
            }
            case NOT_BEFORE_PUSHED -> notBefore.put(e.clientId() != null ? "c:" + e.clientId() : "r:" + e.realm(),
                    mark, e.time());
            case ERROR -> {
                String name = e.eventName() == null ? "" : e.eventName();
                if (name.startsWith("REFRESH_TOKEN") && e.refreshTokenId() != null
                        && rotated.get(e.refreshTokenId()) != null) {
                    Mark r = rotated.get(e.refreshTokenId());
                    emit(out, Rule.REFRESH_REUSE, Rule.REFRESH_REUSE.severity(), "refresh:" + e.refreshTokenId(),
                            e.time(), "Refresh token " + e.refreshTokenId() + " was presented again after it was"
                                    + " rotated at " + r.time() + "; the identity provider refused it ("
                                    + (e.error() == null ? "error" : e.error()) + ").",
                            List.of(r.eventId(), e.id()), null, e.sessionId(), null, e.userId(), e.ip());
                }
                if (name.equals("LOGIN_ERROR")) {
                    if (e.userId() != null && count(userFailures, e.userId(), e.time(), config.stormWindow())
                            > config.stormMaxPerUser()) {
                        storm(out, "user:" + e.userId(), e.time(), "Login errors against user " + e.userId(),
                                e.id(), e.userId(), e.ip());
                    }
                    if (e.ip() != null && count(peerFailures, e.ip(), e.time(), config.stormWindow())
                            > config.stormMaxPerPeer()) {
                        storm(out, "peer:" + e.ip(), e.time(), "Authentication failures from " + e.ip(), e.id(),
                                null, e.ip());
                    }
                }
            }
            default -> { }
        }
    }

    private void refreshed(TokenEvent e, Mark mark, List<Finding> out) {
        String old = e.refreshTokenId();
        Mark before = refreshUses.get(old);
        boolean rotates = e.newRefreshTokenId() != null && !e.newRefreshTokenId().equals(old);
        if (before != null && rotated.get(old) != null) {
            boolean retry = Duration.between(before.time(), e.time()).compareTo(config.refreshRetryWindow()) <= 0
                    && java.util.Objects.equals(before.ip(), e.ip());
            if (!retry) {
                emit(out, Rule.REFRESH_REUSE, Rule.REFRESH_REUSE.severity(), "refresh:" + old, e.time(),
                        "Refresh token " + old + " was used again at " + e.time() + " after it was rotated at "
                                + before.time() + (java.util.Objects.equals(before.ip(), e.ip()) ? ""
                                : " (first from " + before.ip() + ", now from " + e.ip() + ")") + ".",
                        List.of(before.eventId(), e.id()), e.accessTokenId(), e.sessionId(), null, e.userId(), e.ip());
            }
        }
        refreshUses.putIfAbsent(old, mark, e.time());
        if (rotates) {
            rotated.putIfAbsent(old, mark, e.time());
        }
    }

    private void exchange(Exchange x, List<Finding> out) {
        String peer = effectivePeer(x);
        boolean authFailure = x.status() == 401 || x.status() == 403;
        if (authFailure && peer != null
                && count(peerFailures, peer, x.time(), config.stormWindow()) > config.stormMaxPerPeer()) {
            storm(out, "peer:" + peer, x.time(), "Requests answered 401/403 from " + peer, x.id(), null, peer);
        }
        for (TokenIdentity t : x.tokens()) {
            token(x, t, peer, out);
        }
    }

    private void token(Exchange x, TokenIdentity t, String peer, List<Finding> out) {
        boolean accepted = x.status() >= 100 && x.status() < 400;
        Instant when = x.time();
        if (!x.vouches(t)) {
            // Its claims are the presenter's word: state and findings hang on the exact bytes
            // (fingerprint), never on the token, session or user it claims to be.
            if (t.fingerprint() == null) {
                return;
            }
            String fp = t.fingerprint();
            String claimed = t.jti() == null ? "" : " It claims to be token " + t.jti()
                    + (t.sub() == null ? "" : " of user " + t.sub()) + "; nothing vouches for that.";
            if (t.unsigned()) {
                emit(out, Rule.UNSIGNED_TOKEN, accepted ? Severity.CRITICAL : Severity.HIGH, "unsigned:" + fp, when,
                        "A token with alg " + (t.alg() == null ? "(none)" : t.alg()) + " and no usable signature was "
                                + (accepted ? "ACCEPTED with status " : "presented and refused with status ")
                                + x.status() + "." + claimed, List.of(x.id()), null, null, fp, null, peer);
            }
            rates(x, new TokenIdentity(t.kind(), fp, t.scheme(), t.alg(), t.unsigned(), null, null, null, null, null,
                    null, null, null, null, null), fp, peer, out);
            return;
        }
        String key = t.linkId();
        if (key == null) {
            return;
        }
        Instant issuedAt = t.iat();
        if (t.jti() != null && issued.get(t.jti()) != null && t.iss() != null) {
            learnedIssuers.add(t.iss());
        }
        if (accepted) {
            afterEnd(x, t, key, peer, issuedAt, out);
            Mark rv = t.jti() == null ? null : revoked.get(t.jti());
            if (rv != null && rv.time().isBefore(when)) {
                emit(out, Rule.USE_AFTER_REVOKE, Rule.USE_AFTER_REVOKE.severity(), "revoke:" + key + ":" + rv.eventId(),
                        when, "Token " + key + " was revoked at " + rv.time() + " and accepted at " + when + ".",
                        List.of(rv.eventId(), x.id()), t.jti(), t.sid(), t.fingerprint(), t.sub(), peer);
            }
            if (t.exp() != null && when.isAfter(t.exp().plus(config.expiryGrace()))) {
                emit(out, Rule.USE_AFTER_EXPIRY, Rule.USE_AFTER_EXPIRY.severity(), "expiry:" + key, when,
                        "Token " + key + " expired at " + t.exp() + " and was accepted "
                                + Duration.between(t.exp(), when).toSeconds() + " s later.",
                        List.of(x.id()), t.jti(), t.sid(), t.fingerprint(), t.sub(), peer);
            }
            unknown(x, t, key, peer, out);
            twin(x, t, peer, out);
            if (x.applicationClientId() != null && t.clientId() != null
                    && !x.applicationClientId().equals(t.clientId())) {
                emit(out, Rule.CLIENT_MISMATCH, Rule.CLIENT_MISMATCH.severity(),
                        "client:" + key + ":" + x.applicationClientId(), when, "Token " + key + " was issued to client "
                                + t.clientId() + " but presented by application " + x.application() + " (client "
                                + x.applicationClientId() + ").",
                        List.of(x.id()), t.jti(), t.sid(), t.fingerprint(), t.sub(), peer);
            }
        }
        rates(x, t, key, peer, out);
    }

    private void afterEnd(Exchange x, TokenIdentity t, String key, String peer, Instant issuedAt, List<Finding> out) {
        Instant when = x.time();
        Mark end = t.sid() == null ? null : endedSessions.get(t.sid());
        String how = "its session " + t.sid() + " ended";
        if (end == null || !end.time().isBefore(when)) {
            end = t.sub() == null ? null : endedUsers.get(t.sub());
            how = "all sessions of user " + t.sub() + " were ended";
            if (end != null && issuedAt != null && !issuedAt.isBefore(end.time())) {
                end = null; // issued after the user was logged out everywhere: a new, valid token
            }
        }
        if (end == null || !end.time().isBefore(when)) {
            Mark nb = t.clientId() == null ? null : notBefore.get("c:" + t.clientId());
            if (nb != null && issuedAt != null && issuedAt.isBefore(nb.time()) && nb.time().isBefore(when)) {
                end = nb;
                how = "a not-before revocation was pushed for client " + t.clientId();
            } else {
                end = null;
            }
        }
        if (end != null && end.time().isBefore(when)) {
            emit(out, Rule.USE_AFTER_LOGOUT, Rule.USE_AFTER_LOGOUT.severity(), "logout:" + key + ":" + end.eventId(),
                    when, "Token " + key + " was accepted at " + when + " although " + how + " at " + end.time()
                            + (peer == null ? "." : "; the request came from " + peer + "."),
                    List.of(end.eventId(), x.id()), t.jti(), t.sid(), t.fingerprint(), t.sub(), peer);
        }
    }

    private void recorded(Instant t) {
        Recording last = recording.peekLast();
        if (last != null && Duration.between(last.to, t).compareTo(config.coverageGap()) <= 0) {
            if (t.isAfter(last.to)) {
                last.to = t;
            }
            return;
        }
        recording.addLast(new Recording(t, t));
        if (recording.size() > MAX_RECORDING_INTERVALS) {
            recording.removeFirst();
        }
    }

    /**
     * Whether the IdP's events cover this issuance time: inside a stretch of recording (not in its
     * first {@link FindingsConfig#coverageMargin()}), and recent enough that the evaluator still
     * remembers what was issued then.
     */
    private boolean covered(Instant iat) {
        if (!iat.isAfter(issued.forgottenUntil())) {
            return false;
        }
        for (Iterator<Recording> it = recording.descendingIterator(); it.hasNext(); ) {
            Recording r = it.next();
            if (iat.isAfter(r.to)) {
                return false;
            }
            if (!iat.isBefore(r.from)) {
                return !iat.isBefore(r.from.plus(config.coverageMargin()));
            }
        }
        return false;
    }

    private void unknown(Exchange x, TokenIdentity t, String key, String peer, List<Finding> out) {
        if (t.kind() != TokenIdentity.Kind.JWT || t.jti() == null || t.iss() == null || t.iat() == null) {
            return;
        }
        boolean watched = config.watchedIssuers().isEmpty() ? learnedIssuers.contains(t.iss())
                : config.watchedIssuers().contains(t.iss());
        if (watched && covered(t.iat()) && issued.get(t.jti()) == null) {
            emit(out, Rule.UNKNOWN_TOKEN, Rule.UNKNOWN_TOKEN.severity(), "unknown:" + t.jti(), x.time(),
                    "JWT " + t.jti() + " from " + t.iss() + " claims to be issued at " + t.iat()
                            + ", while the identity provider's events were recorded, but it never issued that id.",
                    List.of(x.id()), t.jti(), t.sid(), t.fingerprint(), t.sub(), peer);
        }
    }

    /**
     * One token id, two byte sequences: an identity provider issues each jti once, as one token, so
     * a second fingerprint for it is a token it did not issue (forged with a known id, or signed
     * with a leaked key), accepted by a gateway that did not check the signature.
     */
    private void twin(Exchange x, TokenIdentity t, String peer, List<Finding> out) {
        if (t.kind() != TokenIdentity.Kind.JWT || t.jti() == null || t.fingerprint() == null) {
            return;
        }
        String first = bytesOfJti.get(t.jti());
        if (first == null) {
            bytesOfJti.put(t.jti(), t.fingerprint(), x.time());
        } else if (!first.equals(t.fingerprint())) {
            emit(out, Rule.UNKNOWN_TOKEN, Rule.UNKNOWN_TOKEN.severity(), "twin:" + t.jti() + ":" + t.fingerprint(),
                    x.time(), "Token id " + t.jti() + " was accepted with other bytes (fingerprint " + t.fingerprint()
                            + ") than before (fingerprint " + first + "): the identity provider issues an id once,"
                            + " so one of the two is not its token.",
                    List.of(x.id()), t.jti(), t.sid(), t.fingerprint(), t.sub(), peer);
        }
    }

    private void rates(Exchange x, TokenIdentity t, String key, String peer, List<Finding> out) {
        ArrayDeque<Use> q = uses.computeIfAbsent(key, x.time(), ArrayDeque::new);
        q.addLast(new Use(x.time(), peer, x.userAgent()));
        Duration keep = config.spreadWindow().compareTo(config.burstWindow()) > 0 ? config.spreadWindow()
                : config.burstWindow();
        while (!q.isEmpty() && q.peekFirst().time().isBefore(x.time().minus(keep))) {
            q.removeFirst();
        }
        // Bound memory per token: BURST needs at most max+1 entries in its window.
        while (q.size() > Math.max(config.burstMaxRequests() + 1, 64) * 4) {
            q.removeFirst();
        }
        Instant burstFrom = x.time().minus(config.burstWindow());
        Instant spreadFrom = x.time().minus(config.spreadWindow());
        int inBurst = 0;
        Set<String> peers = new HashSet<>();
        Set<String> agents = new HashSet<>();
        for (Iterator<Use> it = q.descendingIterator(); it.hasNext(); ) {
            Use u = it.next();
            if (!u.time().isBefore(burstFrom)) {
                inBurst++;
            }
            if (!u.time().isBefore(spreadFrom)) {
                if (u.peer() != null) peers.add(u.peer());
                if (u.agent() != null) agents.add(u.agent());
            } else if (u.time().isBefore(burstFrom)) {
                break;
            }
        }
        long bucket = x.time().getEpochSecond() / Math.max(1, config.spreadWindow().toSeconds());
        if (peers.size() > config.spreadMaxPeers() || agents.size() > config.spreadMaxAgents()) {
            emit(out, Rule.TOKEN_SPREAD, Rule.TOKEN_SPREAD.severity(), "spread:" + key + ":" + bucket, x.time(),
                    "Token " + key + " was used from " + peers.size() + " addresses " + limited(peers) + " and "
                            + agents.size() + " user agents within " + config.spreadWindow().toMinutes() + " min.",
                    List.of(x.id()), t.jti(), t.sid(), t.fingerprint(), t.sub(), peer);
        }
        long burstBucket = x.time().getEpochSecond() / Math.max(1, config.burstWindow().toSeconds());
        if (inBurst > config.burstMaxRequests()) {
            emit(out, Rule.BURST, Rule.BURST.severity(), "burst:" + key + ":" + burstBucket, x.time(),
                    "Token " + key + " made " + inBurst + " requests within " + config.burstWindow().toSeconds()
                            + " s (threshold " + config.burstMaxRequests() + ").",
                    List.of(x.id()), t.jti(), t.sid(), t.fingerprint(), t.sub(), peer);
        }
    }

    private void storm(List<Finding> out, String key, Instant when, String what, String recordId, String user,
                       String ip) {
        long bucket = when.getEpochSecond() / Math.max(1, config.stormWindow().toSeconds());
        emit(out, Rule.AUTH_FAILURE_STORM, Rule.AUTH_FAILURE_STORM.severity(), "storm:" + key + ":" + bucket, when,
                what + " exceeded the threshold within " + config.stormWindow().toSeconds() + " s.",
                List.of(recordId), null, null, null, user, ip);
    }

    private static String limited(Set<String> s) {
        return s.stream().sorted().limit(5).toList().toString();
    }

    private int count(Expiring<ArrayDeque<Instant>> map, String key, Instant when, Duration window) {
        ArrayDeque<Instant> q = map.computeIfAbsent(key, when, ArrayDeque::new);
        q.addLast(when);
        while (!q.isEmpty() && q.peekFirst().isBefore(when.minus(window))) {
            q.removeFirst();
        }
        while (q.size() > 10_000) {
            q.removeFirst();
        }
        return q.size();
    }

    /** The client address: the socket peer, unless it is a trusted proxy, then the first untrusted hop of XFF from the right. */
    String effectivePeer(Exchange x) {
        String peer = x.peer();
        if (peer == null || !config.trustedProxies().contains(peer)) {
            return peer;
        }
        List<String> chain = x.forwardedFor();
        for (int i = chain.size() - 1; i >= 0; i--) {
            String hop = chain.get(i).strip();
            if (!config.trustedProxies().contains(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private void emit(List<Finding> out, Rule rule, Severity severity, String anchor, Instant when, String summary,
                      List<String> recordIds, String tokenId, String sessionId, String fingerprint, String userId,
                      String peer) {
        String id = "F-" + hash(rule.name() + "|" + anchor);
        if (emitted.get(id) != null) {
            return;
        }
        emitted.put(id, Boolean.TRUE, when);
        out.add(new Finding(id, when, rule.name(), severity, summary, recordIds, tokenId, sessionId, fingerprint,
                userId, peer, when.minus(config.replayBefore()), when.plus(config.replayAfter()), node));
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 15));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void evict() {
        lastEviction = now;
        Instant cutoff = now.minus(config.stateTtl());
        for (Expiring<?> m : List.of(endedSessions, endedUsers, notBefore, revoked, family, refreshUses, rotated,
                issued, bytesOfJti, uses, peerFailures, userFailures, emitted)) {
            m.evictBefore(cutoff);
        }
        // What was issued before the cutoff is forgotten: coverage that old is given up with it.
        while (!recording.isEmpty() && recording.peekFirst().to.isBefore(cutoff)) {
            recording.removeFirst();
        }
        Recording first = recording.peekFirst();
        if (first != null && first.from.isBefore(cutoff)) {
            first.from = cutoff;
        }
    }

    /** A map whose entries remember when they were last touched, evicted by age and by count. */
    static final class Expiring<V> {
        private record Slot<V>(V value, Instant touched) {
        }

        /** The newest time an entry was pushed out by the count bound rather than by age. */
        private Instant forgottenUntil = Instant.EPOCH;

        private final LinkedHashMap<String, Slot<V>> map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, Slot<V>> eldest) {
                if (size() <= MAX_KEYS) {
                    return false;
                }
                if (eldest.getValue().touched().isAfter(forgottenUntil)) {
                    forgottenUntil = eldest.getValue().touched();
                }
                return true;
            }
        };

        /** Nothing touched at or before this time can be trusted to be absent. */
        Instant forgottenUntil() {
            return forgottenUntil;
        }

        V get(String key) {
            Slot<V> e = map.get(key);
            return e == null ? null : e.value();
        }

        void put(String key, V value, Instant when) {
            map.put(key, new Slot<>(value, when));
        }

        void putIfAbsent(String key, V value, Instant when) {
            if (!map.containsKey(key)) {
                put(key, value, when);
            }
        }

        V computeIfAbsent(String key, Instant when, java.util.function.Supplier<V> make) {
            Slot<V> e = map.get(key);
            V v = e == null ? make.get() : e.value();
            map.put(key, new Slot<>(v, when));
            return v;
        }

        void evictBefore(Instant cutoff) {
            map.values().removeIf(e -> e.touched().isBefore(cutoff));
        }
    }
}
