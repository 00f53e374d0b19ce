package dev.tokentrail.dist;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Shows what is starting and for how long, so a 60-second Keycloak build does not look like a hang. */
final class Progress {

    private final PrintStream out;
    private final boolean interactive;

    Progress(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    static Progress console() {
        return new Progress(System.out, System.console() != null);
    }

    void say(String line) {
        out.println(line);
        out.flush();
    }

    /**
     * Polls {@code ready} until it answers true; fails when {@code alive} turns false or the timeout passes.
     * Returns how long it took.
     */
    Duration await(String what, Callable<Boolean> ready, BooleanSupplier alive, Duration timeout,
                   Supplier<String> diagnosis) throws Exception {
        long t0 = System.nanoTime();
        long lastLine = t0;
        while (true) {
            long now = System.nanoTime();
            Duration took = Duration.ofNanos(now - t0);
            if (!alive.getAsBoolean()) {
                finishLine();
                throw new IllegalStateException(what + " stopped before it was ready.\n" + diagnosis.get());
            }
            boolean ok;
            try {
                ok = ready.call();
            } catch (java.io.IOException notYet) {
                ok = false;
            }
            if (ok) {
                if (interactive) {
                    out.print("\r");
                }
                out.printf("  %-40s ready in %d s%n", what, took.toSeconds());
                out.flush();
                return took;
            }
            if (took.compareTo(timeout) > 0) {
                finishLine();
                throw new IllegalStateException(what + " not ready after " + timeout.toSeconds() + " s.\n" + diagnosis.get());
            }
            if (interactive) {
                out.printf("\r  %-40s starting ... %d s", what, took.toSeconds());
                out.flush();
            } else if (now - lastLine > Duration.ofSeconds(10).toNanos()) {
                out.printf("  %-40s still starting (%d s)%n", what, took.toSeconds());
                out.flush();
                lastLine = now;
            }
            Thread.sleep(250);
        }
    }

    private void finishLine() {
        if (interactive) {
            out.println();
        }
    }
}
