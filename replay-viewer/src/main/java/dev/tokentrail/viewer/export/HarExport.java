package dev.tokentrail.viewer.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * A timeline as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the format Chrome
 * DevTools' network panel imports. Exchanges become entries; identity provider events have no
 * HTTP form and are listed under {@code log._tokentrailEvents} so nothing of the timeline is lost.
 * Values are the stored, masked ones; bodies cut at capture say so in a {@code comment}.
 */
public final class HarExport {

    private HarExport() {
    }

    public static ObjectNode of(ObjectMapper json, String title, List<ReplayRecord> records, String version) {
        ObjectNode root = json.createObjectNode();
        ObjectNode log = root.putObject("log");
        log.put("version", "1.2");
        ObjectNode creator = log.putObject("creator");
        creator.put("name", "Tokentrail replay-viewer");
        creator.put("version", version);
        log.put("comment", "Masked capture: " + title + ". Credentials are replaced by markers.");
        ArrayNode entries = log.putArray("entries");
        ArrayNode events = log.putArray("_tokentrailEvents");
        for (ReplayRecord r : records) {
            if (r instanceof Exchange x) {
                entries.add(entry(json, x));
            } else if (r instanceof TokenEvent e) {
                events.add(json.valueToTree(e));
            }
        }
        return root;
    }

    private static ObjectNode entry(ObjectMapper json, Exchange x) {
        ObjectNode e = json.createObjectNode();
        e.put("startedDateTime", DateTimeFormatter.ISO_INSTANT.format(x.time().truncatedTo(ChronoUnit.MILLIS)));
        double ms = x.latency() == null ? 0 : millis(x.latency());
        e.put("time", ms);

        ObjectNode req = e.putObject("request");
        req.put("method", x.method() == null ? "GET" : x.method());
        req.put("url", CurlExport.url(x));
        req.put("httpVersion", "HTTP/1.1");
        req.set("cookies", json.createArrayNode());
        req.set("headers", headers(json, x.requestHeaders()));
        ArrayNode qs = req.putArray("queryString");
        if (x.query() != null && !x.query().isEmpty()) {
            for (String pair : x.query().split("&")) {
                int eq = pair.indexOf('=');
                ObjectNode q = qs.addObject();
                q.put("name", decode(eq < 0 ? pair : pair.substring(0, eq)));
                q.put("value", eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        Body rb = x.requestBody();
        if (!rb.absent()) {
            ObjectNode post = req.putObject("postData");
            post.put("mimeType", rb.contentType() == null ? "" : rb.contentType());
            post.put("text", rb.text() == null ? "" : rb.text());
            comment(post, rb);
        }
        req.put("headersSize", -1);
        req.put("bodySize", rb.absent() ? 0 : rb.originalSize());

        ObjectNode res = e.putObject("response");
        res.put("status", x.status());
        res.put("statusText", reason(x.status()));
        res.put("httpVersion", "HTTP/1.1");
        res.set("cookies", json.createArrayNode());
        res.set("headers", headers(json, x.responseHeaders()));
        Body sb = x.responseBody();
        ObjectNode content = res.putObject("content");
        content.put("size", Math.max(0, sb.originalSize()));
        content.put("mimeType", sb.contentType() == null ? "x-unknown" : sb.contentType());
        if (sb.text() != null) {
            content.put("text", sb.text());
        }
        comment(content, sb);
        res.put("redirectURL", x.responseHeaders().stream().filter(h -> h.name().equalsIgnoreCase("Location"))
                .map(Header::value).findFirst().orElse(""));
        res.put("headersSize", -1);
        res.put("bodySize", sb.absent() ? 0 : sb.originalSize());

        e.putObject("cache");
        ObjectNode t = e.putObject("timings");
        t.put("blocked", -1);
        t.put("dns", -1);
        t.put("connect", -1);
        t.put("ssl", -1);
        t.put("send", 0);
        t.put("wait", ms);
        t.put("receive", 0);
        e.put("_id", x.id());
        if (x.peer() != null) {
            e.put("_peer", x.peer());
        }
        if (x.api() != null) {
            e.put("_api", x.api());
        }
        if (x.token() != null) {
            e.put("_token", x.token().linkId());
        }
        return e;
    }

    private static void comment(ObjectNode n, Body b) {
        if (b.truncated()) {
            n.put("comment", "truncated at capture; " + b.originalSize() + " bytes on the wire");
        } else if (b.form() == Body.Form.OMITTED) {
            n.put("comment", "not captured (binary, compressed or disabled); " + b.originalSize() + " bytes on the wire");
        }
    }

    private static ArrayNode headers(ObjectMapper json, List<Header> hs) {
        ArrayNode a = json.createArrayNode();
        for (Header h : hs) {
            ObjectNode o = a.addObject();
            o.put("name", h.name());
            o.put("value", h.value());
        }
        return a;
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status == 0 ? "No Response" : "";
        };
    }

    /** A file name for the download: only safe characters. */
    public static String fileName(String key) {
        String k = key == null ? "timeline" : key.replaceAll("[^A-Za-z0-9._-]", "_");
        return "tokentrail-" + (k.length() > 60 ? k.substring(0, 60) : k).toLowerCase(Locale.ROOT) + ".har";
    }
}
