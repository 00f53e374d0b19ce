package dev.tokentrail.index.query;

import static dev.tokentrail.index.Fixtures.T0;
import static dev.tokentrail.index.Fixtures.event;
import static dev.tokentrail.index.Fixtures.exchange;
import static dev.tokentrail.index.Fixtures.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import dev.tokentrail.index.store.ShardConfig;
import dev.tokentrail.index.store.ShardWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's story split across two shards, as in production: Keycloak writes the lifecycle,
 * the gateway writes the requests.
 */
class ReplayReaderTest {

    @TempDir
    Path root;
    ShardWriter keycloak;
    ShardWriter gateway;
    ReplayReader reader;

    @BeforeEach
    void open() {
        keycloak = ShardWriter.open(ShardConfig.of(root, "keycloak", "kc-1"));
        gateway = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-1"));
        reader = ReplayReader.open(root);
    }

    @AfterEach
    void close() {
        reader.close();
        keycloak.close();
        gateway.close();
    }

    /** LOGIN -> A1/R1; requests with A1; refresh R1 -> A2/R2; requests with A2; refresh R2 -> A3/R3; logout. */
    private void aliceSession() {
        keycloak.offer(event("e1", T0, TokenEventType.ISSUED, "LOGIN", "alice-id", "S1", "A1", "R1", null));
        gateway.offer(exchange("x1", T0.plusSeconds(10), identity("A1", "S1", "alice-id", "fpA1"), 200, "/orders"));
        keycloak.offer(event("e2", T0.plusSeconds(300), TokenEventType.REFRESHED, "REFRESH_TOKEN", "alice-id", "S1",
                "A2", "R1", "R2"));
        gateway.offer(exchange("x2", T0.plusSeconds(310), identity("A2", "S1", "alice-id", "fpA2"), 200, "/orders/1"));
        keycloak.offer(event("e3", T0.plusSeconds(600), TokenEventType.REFRESHED, "REFRESH_TOKEN", "alice-id", "S1",
                "A3", "R2", "R3"));
        // A revocation of an access token carries no user and no session: only its token id links it.
        keycloak.offer(event("e4", T0.plusSeconds(700), TokenEventType.REVOKED, "REVOKE_GRANT", null, null,
                "A3", null, null));
        keycloak.offer(event("e5", T0.plusSeconds(900), TokenEventType.LOGGED_OUT, "LOGOUT", "alice-id", "S1",
                null, null, null));
        // Someone else's session, and a second session of alice's, must stay out of S1's timeline.
        keycloak.offer(event("b1", T0.plusSeconds(20), TokenEventType.ISSUED, "LOGIN", "bob-id", "S2", "B1", "BR1",
                null));
        gateway.offer(exchange("y1", T0.plusSeconds(30), identity("B1", "S2", "bob-id", "fpB1"), 200, "/orders"));
        keycloak.offer(event("c1", T0.plusSeconds(40), TokenEventType.ISSUED, "LOGIN", "alice-id", "S3", "C1", "CR1",
                null));
        commit();
    }

    private void commit() {
        assertThat(keycloak.commitNow(Duration.ofSeconds(10))).isTrue();
        assertThat(gateway.commitNow(Duration.ofSeconds(10))).isTrue();
        reader.refresh();
    }

    private static List<String> ids(Page<ReplayRecord> page) {
        return page.items().stream().map(ReplayRecord::id).toList();
    }

    @Test
    void timelineOfTheFirstAccessTokenFollowsTheRefreshChainAcrossShards() {
        aliceSession();
        Timeline t = reader.timeline("A1", PageRequest.first());
        assertThat(t.resolvedAs()).isEqualTo(Timeline.KeyKind.TOKEN_ID);
        assertThat(ids(t.page())).containsExactly("e1", "x1", "e2", "x2", "e3", "e4", "e5");
        assertThat(t.tokenIds()).contains("A1", "R1", "A2", "R2", "A3", "R3");
        assertThat(t.sessionIds()).containsExactly("S1");
    }

    @Test
    void timelineOfALaterRefreshTokenFindsTheSameStory() {
        aliceSession();
        assertThat(ids(reader.timeline("R2", PageRequest.first()).page()))
                .containsExactly("e1", "x1", "e2", "x2", "e3", "e4", "e5");
        assertThat(ids(reader.timeline("S1", PageRequest.first()).page()))
                .containsExactly("e1", "x1", "e2", "x2", "e3", "e4", "e5");
    }

    @Test
    void timelineOfAUserCoversAllTheirSessionsAndTheUserlessRevocation() {
        aliceSession();
        Timeline t = reader.timeline("alice-id", PageRequest.first());
        assertThat(t.resolvedAs()).isEqualTo(Timeline.KeyKind.USER);
        assertThat(ids(t.page())).containsExactly("e1", "x1", "c1", "e2", "x2", "e3", "e4", "e5");
    }

    @Test
    void timelineByAPastedRawTokenIsFoundThroughItsFingerprintAndNeverEchoesIt() {
        Fingerprinter fp = Fingerprinter.forRoot(root);
        String raw = jwt("{\"jti\":\"A9\",\"sid\":\"S9\",\"sub\":\"carol\"}");
        TokenIdentity id = TokenIdentity.of(raw, fp);
        keycloak.offer(event("k1", T0, TokenEventType.ISSUED, "LOGIN", "carol", "S9", "A9", "R9", null));
        gateway.offer(exchange("g1", T0.plusSeconds(1), id, 200, "/x"));
        String opaque = "opaque-token-value-1234567890";
        gateway.offer(exchange("g2", T0.plusSeconds(2), TokenIdentity.of(opaque, fp), 401, "/y"));
        commit();

        Timeline t = reader.timeline(raw, PageRequest.first());
        assertThat(t.resolvedAs()).isEqualTo(Timeline.KeyKind.TOKEN);
        assertThat(t.key()).doesNotContain(raw).isEqualTo("fingerprint:" + id.fingerprint());
        assertThat(ids(t.page())).containsExactly("k1", "g1");
        assertThat(ids(reader.timeline(opaque, PageRequest.first()).page())).containsExactly("g2");
        // The display key is a key too: the viewer links to it without ever holding the raw token.
        assertThat(ids(reader.timeline(t.key(), PageRequest.first()).page())).containsExactly("k1", "g1");
    }

    /**
     * A forger who knows alice's token id writes it, her session and her user id into a token of
     * their own. What it claims must not put it into her trail; the exact bytes still lead to it.
     */
    @Test
    void aTokenThatClaimsSomeoneElsesIdsStaysOutOfTheirTrailUnlessItsBytesAreTheirs() {
        aliceSession();
        Fingerprinter fp = Fingerprinter.forRoot(root);
        String unsigned = unsignedJwt("{\"jti\":\"A1\",\"sid\":\"S1\",\"sub\":\"alice-id\"}");
        String badSignature = jwt("{\"jti\":\"A1\",\"sid\":\"S1\",\"sub\":\"alice-id\",\"n\":1}");
        TokenIdentity forgedNone = TokenIdentity.of(unsigned, fp);
        TokenIdentity forgedSigned = TokenIdentity.of(badSignature, fp);
        assertThat(forgedNone.unsigned()).isTrue();
        // Accepted by a careless API, or refused by the gateway's plan: neither vouches for the claims.
        gateway.offer(exchange("f1", T0.plusSeconds(50), forgedNone, 200, "/orders"));
        gateway.offer(exchange("f2", T0.plusSeconds(51), forgedSigned, 401, "/orders"));
        // Alice's own token (her fingerprint), replayed after the logout and refused: hers, by its bytes.
        gateway.offer(exchange("x9", T0.plusSeconds(950), identity("A1", "S1", "alice-id", "fpA1"), 401, "/orders"));
        commit();

        for (String key : List.of("A1", "S1", "alice-id")) {
            assertThat(ids(reader.timeline(key, PageRequest.first()).page())).as(key)
                    .doesNotContain("f1", "f2");
        }
        assertThat(ids(reader.timeline("A1", PageRequest.first()).page()))
                .containsExactly("e1", "x1", "e2", "x2", "e3", "e4", "e5", "x9");
        // Pasting a forgery gives the forgery's own trail, by its fingerprint, whichever way it is asked.
        Timeline pasted = reader.timeline(unsigned, PageRequest.first());
        assertThat(pasted.resolvedAs()).isEqualTo(Timeline.KeyKind.TOKEN);
        assertThat(ids(pasted.page())).containsExactly("f1");
        assertThat(ids(reader.timeline(pasted.key(), PageRequest.first()).page())).containsExactly("f1");
        assertThat(ids(reader.timeline(badSignature, PageRequest.first()).page())).containsExactly("f2");
        assertThat(ids(reader.timeline("fingerprint:" + forgedSigned.fingerprint(), PageRequest.first()).page()))
                .containsExactly("f2");
    }

    @Test
    void aSignedTokenNoGatewayEverSawIsFoundByTheIdItCarriesNamedByThatId() {
        aliceSession();
        String fresh = jwt("{\"jti\":\"C1\",\"sid\":\"S3\",\"sub\":\"alice-id\"}");
        Timeline t = reader.timeline(fresh, PageRequest.first());
        assertThat(t.resolvedAs()).isEqualTo(Timeline.KeyKind.TOKEN_ID);
        assertThat(t.key()).isEqualTo("C1");
        assertThat(ids(t.page())).containsExactly("c1");
        // Unsigned, the same claims lead nowhere: there is nothing to vouch for them.
        assertThat(reader.timeline(unsignedJwt("{\"jti\":\"C1\",\"sid\":\"S3\"}"), PageRequest.first()).page()
                .items()).isEmpty();
    }

    static String unsignedJwt(String payload) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return b.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    @Test
    void timelineByIpAndByClient() {
        aliceSession();
        assertThat(reader.timeline("203.0.113.7", PageRequest.first()).page().items())
                .extracting(ReplayRecord::id).containsExactly("x1", "y1", "x2");
        assertThat(reader.timeline("shop-web", PageRequest.first()).resolvedAs()).isEqualTo(Timeline.KeyKind.CLIENT);
    }

    @Test
    void unknownKeyGivesAnEmptyTimeline() {
        aliceSession();
        Timeline t = reader.timeline("nobody", PageRequest.first());
        assertThat(t.resolvedAs()).isEqualTo(Timeline.KeyKind.UNKNOWN);
        assertThat(t.page().items()).isEmpty();
        assertThatThrownBy(() -> reader.timeline(" ", PageRequest.first())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pagesAreBoundedAndCursorsWalkTheWholeTimelineOnce() {
        keycloak.offer(event("login", T0, TokenEventType.ISSUED, "LOGIN", "u", "S", "A", "R", null));
        for (int i = 0; i < 250; i++) {
            // Same millisecond for pairs: the id breaks ties, and paging must not lose either.
            gateway.offer(exchange(String.format("x%03d", i), T0.plusMillis(1 + i / 2), identity("A", "S", "u", "f"),
                    200, "/p"));
        }
        commit();
        List<String> seen = new ArrayList<>();
        PageRequest req = PageRequest.first(40);
        int pages = 0;
        while (true) {
            Page<ReplayRecord> p = reader.timeline("A", req).page();
            assertThat(p.items().size()).isLessThanOrEqualTo(40);
            seen.addAll(ids(p));
            pages++;
            if (!p.hasNext()) {
                break;
            }
            // a writer adding older records between pages must not shift the cursor
            req = req.next(p);
        }
        assertThat(pages).isEqualTo(7);
        assertThat(seen).hasSize(251).doesNotHaveDuplicates();
        assertThat(seen.get(0)).isEqualTo("login");
        assertThatThrownBy(() -> PageRequest.first(100_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reader.timeline("A", new PageRequest(10, "garbage!"))).hasMessageContaining("cursor");
    }

    @Test
    void aroundReturnsTheReplayWindowOfTheSameSession() {
        aliceSession();
        Timeline t = reader.around(T0.plusSeconds(310), "A2", Duration.ofMinutes(1), Duration.ofMinutes(5), PageRequest.first());
        assertThat(ids(t.page())).containsExactly("e2", "x2", "e3");
    }

    @Test
    void searchCombinesFreeTextFiltersAndTimeRange() {
        aliceSession();
        gateway.offer(exchange("bad", T0.plusSeconds(50), identity("B1", "S2", "bob-id", "fpB1"), 401, "/admin/secret"));
        commit();
        assertThat(ids(reader.search(SearchQuery.text("blue widget"), PageRequest.first())))
                .containsExactly("x2", "bad", "y1", "x1");
        assertThat(ids(reader.search(new SearchQuery(null, Map.of("status", "400..499"), null, null, true),
                PageRequest.first()))).containsExactly("bad");
        assertThat(ids(reader.search(new SearchQuery(null, Map.of("kind", "event", "type", "LOGGED_OUT"), null, null,
                true), PageRequest.first()))).containsExactly("e5");
        assertThat(ids(reader.search(new SearchQuery("S1", Map.of(), T0.plusSeconds(299), T0.plusSeconds(601), false),
                PageRequest.first()))).containsExactly("e2", "x2", "e3");
        assertThatThrownBy(() -> reader.search(new SearchQuery(null, Map.of("payload", "x"), null, null, true),
                PageRequest.first())).hasMessageContaining("filterable fields");
        assertThatThrownBy(() -> reader.search(new SearchQuery(null, Map.of("status", "abc"), null, null, true),
                PageRequest.first())).hasMessageContaining("status");
    }

    @Test
    void newShardsAndNewCommitsAppearWithoutReopening() {
        assertThat(reader.shards()).hasSize(0);
        aliceSession();
        assertThat(reader.shards()).extracting(ShardInfo::component).containsExactlyInAnyOrder("gateway", "keycloak");
        try (ShardWriter viewer = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-2"))) {
            viewer.offer(exchange("late", T0.plusSeconds(5000), identity("A1", "S1", "alice-id", "fpA1"), 200, "/x"));
            viewer.commitNow(Duration.ofSeconds(10));
            reader.refresh();
            assertThat(ids(reader.timeline("A1", PageRequest.first()).page())).endsWith("late");
            ShardInfo gw2 = reader.shards().stream().filter(s -> s.node().equals("gw-2")).findFirst().orElseThrow();
            assertThat(gw2.documents()).isEqualTo(1);
            assertThat(gw2.counters()).containsEntry("indexed", 1L).containsEntry("dropped", 0L);
        }
    }

    @Test
    void recordsComeBackAsTheirOwnTypes() {
        aliceSession();
        assertThat(reader.record("e1")).get().isInstanceOf(TokenEvent.class);
        assertThat(reader.record("x1")).get().isInstanceOf(Exchange.class);
        assertThat(reader.exchange("e1")).isEmpty();
        assertThat(reader.record("missing")).isEmpty();
    }

    @Test
    void auditEntriesAreStoredButStayOutOfInvestigationsUnlessAskedFor() {
        aliceSession();
        try (ShardWriter viewer = ShardWriter.open(ShardConfig.of(root, "viewer", "v1"))) {
            viewer.offer(new dev.tokentrail.index.model.AuditEvent("a1", T0.plusSeconds(9000), "alice-id", "oidc",
                    "timeline", "S1 orders", 7, "v1"));
            viewer.commitNow(Duration.ofSeconds(10));
        }
        reader.refresh();
        assertThat(ids(reader.search(SearchQuery.text("orders"), PageRequest.first()))).doesNotContain("a1");
        assertThat(ids(reader.timeline("alice-id", PageRequest.first()).page())).doesNotContain("a1");
        assertThat(ids(reader.search(new SearchQuery(null, Map.of("kind", "audit"), null, null, true),
                PageRequest.first()))).containsExactly("a1");
        assertThat(ids(reader.search(new SearchQuery(null, Map.of("kind", "audit", "actor", "alice-id"), null, null,
                true), PageRequest.first()))).containsExactly("a1");
    }

    static String jwt(String payload) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return b.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }
}
