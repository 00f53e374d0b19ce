package dev.tokentrail.index.model;

import java.util.Objects;

/**
 * One header line as seen on the wire. A list of these keeps order and repeated names, which
 * a map would lose (two Authorization headers are evidence, not noise).
 */
public record Header(String name, String value) {
    public Header {
        Objects.requireNonNull(name, "name");
        value = value == null ? "" : value;
    }
}
