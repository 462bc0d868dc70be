package org.cllmlab.core.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A body of text to train on.
 *
 * @param name   short name for reports and messages (the file name, or {@code embedded-8192})
 * @param text   the text itself
 * @param bytes  size of the text in bytes (of the file, or of its UTF-8 encoding)
 * @param source where it came from: a file path, or the generator and its seed
 */
public record Corpus(String name, String text, long bytes, String source) {

    /** Files larger than this cannot be held in one Java string. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

    public Corpus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
    }

    /** A corpus of in-memory text; {@code bytes} is its UTF-8 length. */
    public static Corpus of(String name, String text, String source) {
        return new Corpus(name, text, utf8Length(text), source);
    }

    /** The deterministic generated corpus of exactly {@code bytes} bytes; see {@link EmbeddedCorpus}. */
    public static Corpus embedded(long bytes, long seed) {
        return EmbeddedCorpus.generate(bytes, seed);
    }

    /**
     * Reads a UTF-8 text file strictly: malformed or unmappable input is an error, not replaced. A leading
     * byte-order mark is dropped.
     *
     * @throws DataException if the file is missing, not a regular file, unreadable, empty, too large or not UTF-8
     */
    public static Corpus fromFile(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new DataException("corpus: file " + abs + " does not exist; expected a UTF-8 text file");
        }
        if (Files.isDirectory(abs)) {
            throw new DataException("corpus: " + abs + " is a directory; expected a UTF-8 text file");
        }
        byte[] data;
        try {
            long size = Files.size(abs);
            if (size > MAX_FILE_BYTES) {
                throw new DataException(String.format(Locale.ROOT,
                        "corpus: file %s has %,d bytes; expected at most %,d", abs, size, MAX_FILE_BYTES));
            }
            data = Files.readAllBytes(abs);
        } catch (AccessDeniedException e) {
            throw new DataException("corpus: file " + abs + " is not readable (permission denied); expected a readable UTF-8 text file", e);
        } catch (NoSuchFileException e) {
            throw new DataException("corpus: file " + abs + " does not exist; expected a UTF-8 text file", e);
        } catch (IOException e) {
            throw new DataException("corpus: cannot read file " + abs + " (" + e.getMessage() + "); expected a readable UTF-8 text file", e);
        }
        if (data.length == 0) {
            throw new DataException("corpus: file " + abs + " is empty; expected UTF-8 text");
        }
        String text = decodeStrict(data, abs);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        return new Corpus(abs.getFileName().toString(), text, data.length, "file " + abs);
    }

    private static String decodeStrict(byte[] data, Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(data);
        CharBuffer out = CharBuffer.allocate(data.length); // UTF-8 never needs more chars than bytes
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            StringBuilder hex = new StringBuilder();
            for (int i = at; i < Math.min(data.length, at + Math.max(r.length(), 1)); i++) {
                hex.append(String.format(Locale.ROOT, " 0x%02X", data[i] & 0xFF));
            }
            throw new DataException(String.format(Locale.ROOT,
                    "corpus: file %s is not valid UTF-8: malformed byte sequence%s at byte offset %,d; expected UTF-8 text",
                    file, hex, at));
        }
        out.flip();
        return out.toString();
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Name, size and source, without the text. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "corpus '%s' (%,d bytes, %s)", name, bytes, source);
    }
}
