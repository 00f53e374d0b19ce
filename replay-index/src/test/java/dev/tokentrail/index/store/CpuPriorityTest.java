package dev.tokentrail.index.store;

import static dev.tokentrail.index.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuPriorityTest {

    @TempDir
    Path root;

    @Test
    void aLoweredThreadRunsAtTheLowestPriorityAndOthersKeepTheirs() throws Exception {
        AtomicReference<String> why = new AtomicReference<>("not run");
        AtomicReference<Integer> nice = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            why.set(CpuPriority.lowerCurrentThread());
            nice.set(CpuPriority.niceOfCurrentThread());
        });
        t.join();
        assertThat(why.get()).isNull();
        assertThat(nice.get()).isEqualTo(CpuPriority.NICE);
        assertThat(CpuPriority.niceOfCurrentThread()).isNotEqualTo(CpuPriority.NICE);
    }

    @Test
    void aBackgroundWriterYieldsTheCpuAndANormalOneDoesNot() throws Exception {
        Map<String, Integer> before = writerThreads();
        try (ShardWriter bg = ShardWriter.open(ShardConfig.of(root, "gateway", "bg").withBackground(true))) {
            bg.offer(Fixtures.exchange("r1", T0, null, 200, "/a"));
            assertThat(bg.commitNow(Duration.ofSeconds(10))).isTrue(); // the thread is past its start
            Map<String, Integer> withBackground = writerThreads();
            withBackground.keySet().removeAll(before.keySet());
            assertThat(withBackground).hasSize(1).containsValue(CpuPriority.NICE);

            try (ShardWriter normal = ShardWriter.open(ShardConfig.of(root, "gateway", "normal"))) {
                normal.offer(Fixtures.exchange("r2", T0, null, 200, "/b"));
                assertThat(normal.commitNow(Duration.ofSeconds(10))).isTrue();
                Map<String, Integer> withNormal = writerThreads();
                withNormal.keySet().removeAll(before.keySet());
                withNormal.keySet().removeAll(withBackground.keySet());
                assertThat(withNormal).hasSize(1).doesNotContainValue(CpuPriority.NICE);
            }
        }
    }

    /** tid -> nice of this process's writer threads (the kernel keeps 15 characters of a name). */
    private static Map<String, Integer> writerThreads() throws IOException {
        Map<String, Integer> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals("tokentrail-writ")) {
                        String stat = Files.readString(task.resolve("stat"));
                        out.put(task.getFileName().toString(),
                                Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
                    }
                } catch (IOException ended) {
                    // a thread that ended while we looked
                }
            }
        }
        return out;
    }
}
