package dev.tokentrail.index.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lets a recording thread yield the CPU to the server it lives in. Tokentrail is a guest in a
 * gateway or an identity provider: on a node with idle CPU its threads run as if nothing
 * changed, but when the server saturates the CPU they should fall behind (their bounded queue
 * then drops and counts) rather than take throughput from it.
 *
 * <p>On Linux the calling thread's nice value is raised to {@value #NICE} with {@code renice}
 * (Java has no portable call for it, and thread priorities are ignored by default there).
 * Raising one's own nice value needs no privilege. Elsewhere, or where {@code renice} is
 * missing, nothing changes and the reason is returned.
 */
public final class CpuPriority {

    /** The nice value of a background recording thread: the lowest priority Linux has. */
    public static final int NICE = 19;

    private CpuPriority() {
    }

    /**
     * Lowers the calling thread's CPU priority.
     *
     * @return null when lowered, otherwise why not (for a log line)
     */
    public static String lowerCurrentThread() {
        Path self = Path.of("/proc/thread-self");
        if (!Files.exists(self)) {
            return "not Linux (no /proc/thread-self)";
        }
        try {
            // "<pid>/task/<tid>": the kernel resolves the link for the thread that reads it.
            String tid = Files.readSymbolicLink(self).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", tid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!renice.waitFor(10, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                return "renice did not finish within 10 s";
            }
            return renice.exitValue() == 0 ? null : "renice exited with " + renice.exitValue();
        } catch (IOException e) {
            return "renice could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The calling thread's nice value as the kernel reports it, or null where that cannot be read. */
    static Integer niceOfCurrentThread() {
        try {
            // /proc/thread-self/stat: "tid (comm) state ..." — field 19 is nice; comm may hold spaces.
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(rest[16]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
