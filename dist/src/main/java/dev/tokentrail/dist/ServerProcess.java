package dev.tokentrail.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child process with its output in a log file; stopped with SIGTERM (then SIGKILL after a grace period). */
final class ServerProcess {

    private final Process process;
    private final Path log;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ServerProcess start(ProcessBuilder pb, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new ServerProcess(pb.start(), log);
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return "--- last lines of " + log + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** SIGTERM to the process and its children, as an orchestrator would; waits for them. */
    void stop(long graceSeconds) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle c : children) {
                try {
                    c.onExit().get(graceSeconds, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    c.destroyForcibly();
                }
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
