package dev.tokentrail.gateway.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class TokentrailCapturePolicyConfigurationTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void an_empty_form_gives_the_documented_defaults() throws Exception {
        TokentrailCapturePolicyConfiguration c = mapper.readValue("{}", TokentrailCapturePolicyConfiguration.class);
        assertThat(c).isEqualTo(TokentrailCapturePolicyConfiguration.defaults());
        assertThat(c.captureRequestBody()).isTrue();
        assertThat(c.captureResponseBody()).isTrue();
        assertThat(c.maxBodyBytes()).isEqualTo(16 * 1024);
        assertThat(c.samplingPercentage()).isEqualTo(100);
        assertThat(c.tokenQueryParameters()).containsExactly("access_token");
        assertThat(c.tokenHeaders()).isEmpty();
        assertThat(c.contentTypes()).contains("application/json", "text/*");
    }

    @Test
    void what_the_console_saves_is_read_and_out_of_range_numbers_are_clamped() throws Exception {
        TokentrailCapturePolicyConfiguration c = mapper.readValue("""
                {"captureRequestBody":false,"maxBodyBytes":99999999,"samplingPercentage":-5,
                 "maskedHeaders":[" X-Secret ",""],"maskedFields":["pin"],"skipPaths":["/health"],
                 "contentTypes":["Application/JSON"],"tokenHeaders":[" X-Gravitee-Api-Key "],
                 "someFutureOption":true}""",
                TokentrailCapturePolicyConfiguration.class);
        assertThat(c.captureRequestBody()).isFalse();
        assertThat(c.captureResponseBody()).isTrue();
        assertThat(c.maxBodyBytes()).isEqualTo(TokentrailCapturePolicyConfiguration.MAX_BODY_BYTES_LIMIT);
        assertThat(c.samplingPercentage()).isZero();
        assertThat(c.maskedHeaders()).containsExactly("X-Secret");
        assertThat(c.contentTypes()).containsExactly("application/json");
        assertThat(c.tokenHeaders()).containsExactly("X-Gravitee-Api-Key");
    }

    @Test
    void content_types_match_with_parameters_and_wildcards() {
        TokentrailCapturePolicyConfiguration c = TokentrailCapturePolicyConfiguration.defaults();
        assertThat(c.capturesContentType("application/json; charset=utf-8")).isTrue();
        assertThat(c.capturesContentType("application/problem+json")).isTrue();
        assertThat(c.capturesContentType("text/event-stream")).isTrue();
        assertThat(c.capturesContentType("application/octet-stream")).isFalse();
        assertThat(c.capturesContentType("image/png")).isFalse();
        assertThat(c.capturesContentType(null)).isFalse();
    }

    @Test
    void skip_paths_match_exactly_by_segment_or_by_star_prefix() throws Exception {
        TokentrailCapturePolicyConfiguration c = mapper.readValue(
                "{\"skipPaths\":[\"/health\",\"/static*\"]}", TokentrailCapturePolicyConfiguration.class);
        assertThat(c.skips("/health")).isTrue();
        assertThat(c.skips("/health/live")).isTrue();
        assertThat(c.skips("/healthy")).isFalse();
        assertThat(c.skips("/static-assets/app.js")).isTrue();
        assertThat(c.skips("/orders")).isFalse();
    }

    @Test
    void the_console_form_offers_exactly_the_configuration_properties_with_the_same_defaults() throws Exception {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream("/schemas/schema-form.json")) {
            schema = mapper.readTree(in);
        }
        assertThat(schema.get("$schema").asText()).contains("draft-07");
        List<String> formProperties = StreamSupport.stream(
                ((Iterable<String>) () -> schema.get("properties").fieldNames()).spliterator(), false).toList();
        List<String> components = Arrays.stream(TokentrailCapturePolicyConfiguration.class.getRecordComponents())
                .map(RecordComponent::getName).toList();
        assertThat(formProperties).containsExactlyInAnyOrderElementsOf(components);

        // The defaults the form shows are the ones the gateway applies to an empty configuration.
        ObjectMapper m = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode defaults = m.createObjectNode();
        schema.get("properties").fields().forEachRemaining(p -> defaults.set(p.getKey(), p.getValue().get("default")));
        assertThat(m.treeToValue(defaults, TokentrailCapturePolicyConfiguration.class))
                .isEqualTo(TokentrailCapturePolicyConfiguration.defaults());
    }

    @Test
    void the_manifest_names_the_policy_class_the_form_and_the_doc() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/plugin.properties")) {
            p.load(in);
        }
        assertThat(p.getProperty("id")).isEqualTo("tokentrail-capture");
        assertThat(p.getProperty("type")).isEqualTo("policy");
        assertThat(p.getProperty("proxy")).isEqualTo("REQUEST,RESPONSE");
        assertThat(Class.forName(p.getProperty("class"))).isEqualTo(dev.tokentrail.gateway.TokentrailCapturePolicy.class);
        for (String resource : List.of(p.getProperty("schema"), p.getProperty("documentation"), p.getProperty("icon"))) {
            assertThat(getClass().getResource("/" + resource)).as(resource).isNotNull();
        }
    }
}
