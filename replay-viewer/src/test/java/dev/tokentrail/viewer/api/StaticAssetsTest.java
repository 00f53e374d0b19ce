package dev.tokentrail.viewer.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StaticAssetsTest {

    static final Path APP = Path.of("src/main/resources/web/app");

    @Test
    void the_manifest_lists_exactly_the_ui_files() throws Exception {
        List<String> onDisk;
        try (Stream<Path> s = Files.list(APP)) {
            onDisk = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(new StaticAssets("1.6.30").paths()).containsAll(onDisk.stream().map(n -> "/app/" + n).toList())
                .contains("/", "/login", "/vendor/uplot/uPlot.esm.js", "/favicon.ico").hasSize(onDisk.size() + 5);
    }

    /** The UI's own rule, checked on its source: captured data only ever becomes text. */
    @Test
    void no_ui_file_writes_markup_from_strings_or_evaluates_code() throws Exception {
        Pattern forbidden = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function|"
                + "setAttribute\\('href'|\\.href\\s*=|setTimeout\\('|javascript:");
        try (Stream<Path> s = Files.list(APP)) {
            for (Path p : s.toList()) {
                String src = Files.readString(p);
                String withoutSafeHref = src.replace("e.setAttribute('href', safeHref(v))", "");
                assertThat(forbidden.matcher(withoutSafeHref).find()).as(p.toString()).isFalse();
            }
        }
    }
}
