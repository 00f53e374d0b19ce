package dev.tokentrail.viewer;

import java.util.concurrent.CountDownLatch;

/** {@code java -jar replay-viewer.jar --data <root>}: starts the viewer and prints how to log in. */
public final class ViewerMain {

    private ViewerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ViewerOptions options;
        try {
            options = ViewerOptions.parse(args, System.getenv());
        } catch (ViewerOptions.UsageException e) {
            boolean help = e.getMessage().isEmpty();
            (help ? System.out : System.err).print((help ? "" : "error: " + e.getMessage() + "\n\n") + ViewerOptions.USAGE);
            System.exit(help ? 0 : 2);
            return;
        }
        Viewer viewer;
        try {
            viewer = Viewer.start(options);
        } catch (RuntimeException e) {
            System.err.println("error: cannot start the viewer: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            viewer.close();
            stopped.countDown();
        }, "tokentrail-viewer-shutdown"));
        // Like Jupyter: the one place the local token is shown is the terminal of whoever started us.
        System.out.println("Tokentrail viewer over " + options.server().dataRoot());
        System.out.println(viewer.loginHint());
        stopped.await();
    }
}
