package dev.tokentrail.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Every byte of every file under a directory, searched for each secret (as UTF-8). */
final class SecretScan {

    /** What was scanned and which secrets were found where ({@code "<name> in <relative path>"}). */
    record Result(int files, long bytes, List<String> leaks) {
    }

    private SecretScan() {
    }

    static Result scan(Path root, Map<String, String> secrets) throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(root)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        long bytes = 0;
        List<String> leaks = new ArrayList<>();
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            bytes += content.length;
            secrets.forEach((what, value) -> {
                if (indexOf(content, value.getBytes(StandardCharsets.UTF_8)) >= 0) {
                    leaks.add(what + " in " + root.relativize(f));
                }
            });
        }
        return new Result(files.size(), bytes, leaks);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
