package dev.tokentrail.viewer.auth;

/** The few server-made pages (login errors), escaped: nothing user-controlled is ever markup. */
public final class Html {

    /** The UI's icon (public, as the login page shows it), so no page leaves the browser asking for /favicon.ico. */
    static final String ICON = "<link rel=\"icon\" href=\"/app/icon.svg\" type=\"image/svg+xml\">";

    private Html() {
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A minimal page with a title and a message, styled by the public stylesheet only. */
    public static String message(String title, String text, String linkHref, String linkText) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><link rel=\"stylesheet\" href=\"/app/style.css\">" + ICON + "</head><body class=\"message\"><main><h1>"
                + escape(title) + "</h1><p>" + escape(text) + "</p>"
                + (linkHref == null ? "" : "<p><a href=\"" + escape(linkHref) + "\">" + escape(linkText) + "</a></p>")
                + "</main></body></html>";
    }

    /**
     * A page that moves the browser on by meta refresh (no script, so the CSP holds). Used after a
     * login that arrived by a cross-site navigation: a SameSite=Strict cookie set there is only sent
     * once the browser navigates again from our own origin.
     */
    public static String continueTo(String path) {
        String p = escape(path);
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url="
                + p + "\"><title>Signed in</title>" + ICON + "</head><body><p><a href=\"" + p + "\">Continue</a></p></body></html>";
    }
}
