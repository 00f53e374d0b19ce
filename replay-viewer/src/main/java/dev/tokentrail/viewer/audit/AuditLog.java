package dev.tokentrail.viewer.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.index.identity.Fingerprinter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Appends {@link AuditEntry} lines to {@code <root>/viewer-audit.jsonl} (mode 0600). Thread-safe. */
public final class AuditLog {

    public static final String FILE = "viewer-audit.jsonl";
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    private static final int MAX_SUBJECT = 512;
    /** How much of the file's end {@link #recent} reads: the UI shows the latest actions only. */
    private static final int TAIL_BYTES = 1 << 20;

    /**
     * Words that may be credentials: long runs of token characters (JWTs, opaque tokens, API keys).
     * UUIDs (Keycloak jti and session ids), IPs and user names are kept: they are what an
     * auditor needs to read, and none of them is a bearer secret.
     */
    private static final Pattern CREDENTIAL_LIKE =
            Pattern.compile("(?<![A-Za-z0-9._~+/-])[A-Za-z0-9._~+/-]{16,}=*");
    private static final String REFERENCE_PREFIX = "«token:";
    private static final int FINGERPRINT_CHARS = 22;
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Path file;
    private final ObjectMapper json;
    private final Fingerprinter fingerprinter;

    public AuditLog(Path root, ObjectMapper json, Fingerprinter fingerprinter) {
        this.file = root.resolve(FILE);
        this.json = json;
        this.fingerprinter = fingerprinter;
        try {
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
                } catch (UnsupportedOperationException nonPosix) {
                    Files.createFile(file);
                }
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another viewer created it first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Records an action. An audit failure is logged loudly but does not fail the user's request. */
    public synchronized void record(AuditEntry e) {
        AuditEntry clean = new AuditEntry(e.time(), e.user(), e.via(), e.action(), scrub(e.subject()), e.results());
        try {
            byte[] line = (json.writeValueAsString(clean) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(file, line, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
        } catch (IOException ex) {
            LOG.log(Level.SEVERE, "audit log " + file + " not writable: " + ex.getMessage());
        }
    }

    /** The newest entries, newest first. */
    public synchronized List<AuditEntry> recent(int limit) {
        List<AuditEntry> out = new ArrayList<>();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            long start = Math.max(0, len - TAIL_BYTES);
            byte[] buf = new byte[(int) (len - start)];
            raf.seek(start);
            raf.readFully(buf);
            String[] lines = new String(buf, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= (start > 0 ? 1 : 0) && out.size() < limit; i--) {
                if (!lines[i].isBlank()) {
                    try {
                        out.add(json.readValue(lines[i], AuditEntry.class));
                    } catch (IOException damaged) {
                        // a torn last line after a crash: skip it, keep the rest readable
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file, e);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Replaces credential-like words by {@code «token:<fingerprint>»} and bounds the length. A
     * reference already in that form is kept, so callers can name a token by its fingerprint.
     */
    public String scrub(String subject) {
        if (subject == null) {
            return null;
        }
        Matcher m = CREDENTIAL_LIKE.matcher(subject);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String w = m.group();
            boolean reference = w.length() == FINGERPRINT_CHARS && m.start() >= REFERENCE_PREFIX.length()
                    && subject.startsWith(REFERENCE_PREFIX, m.start() - REFERENCE_PREFIX.length())
                    && subject.startsWith("»", m.end());
            boolean keep = reference || UUID.matcher(w).matches() || w.chars().allMatch(c -> Character.isDigit(c) || c == '.');
            m.appendReplacement(b, Matcher.quoteReplacement(keep ? w : fingerprinter.reference(w)));
        }
        m.appendTail(b);
        String s = b.toString();
        return s.length() > MAX_SUBJECT ? s.substring(0, MAX_SUBJECT) + "…" : s;
    }
}
