package org.cllmlab.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    @TempDir
    Path dir;

    @Test
    void fromFile_missing_failsNamingTheFile() {
        Path missing = dir.resolve("nope.txt");

        assertThatThrownBy(() -> Corpus.fromFile(missing))
                .isInstanceOf(DataException.class)
                .hasMessage("corpus: file " + missing.toAbsolutePath() + " does not exist; expected a UTF-8 text file");
    }

    @Test
    void fromFile_empty_fails() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.txt"));

        assertThatThrownBy(() -> Corpus.fromFile(empty))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("empty.txt is empty");
    }

    @Test
    void fromFile_directory_fails() {
        assertThatThrownBy(() -> Corpus.fromFile(dir))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void fromFile_unreadable_failsSayingPermissionDenied() throws IOException {
        Path locked = Files.writeString(dir.resolve("locked.txt"), "text");
        Assumptions.assumeTrue(locked.toFile().setReadable(false, false) && !Files.isReadable(locked),
                "file permissions are not enforced here (for example when running as root)");

        assertThatThrownBy(() -> Corpus.fromFile(locked))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("locked.txt is not readable (permission denied)");
    }

    @Test
    void fromFile_invalidUtf8_failsWithByteOffset() throws IOException {
        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'o', 'k', ' ', (byte) 0xC3, 0x28, 'x'});

        assertThatThrownBy(() -> Corpus.fromFile(bad))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("bad.txt is not valid UTF-8")
                .hasMessageContaining("0xC3")
                .hasMessageContaining("at byte offset 3");
    }

    @Test
    void fromFile_validUtf8_readsTextNameAndSize() throws IOException {
        Path good = dir.resolve("good.txt");
        Files.writeString(good, "\uFEFFCafé au lait.\n", StandardCharsets.UTF_8);

        Corpus c = Corpus.fromFile(good);

        assertThat(c.text()).isEqualTo("Café au lait.\n");
        assertThat(c.name()).isEqualTo("good.txt");
        assertThat(c.bytes()).isEqualTo(Files.size(good));
        assertThat(c.source()).contains(good.toAbsolutePath().toString());
    }

    @Test
    void of_text_countsUtf8Bytes() {
        assertThat(Corpus.of("t", "é🙂a", "test").bytes()).isEqualTo(2 + 4 + 1);
    }

    @Test
    void toString_omitsTheText() {
        assertThat(EmbeddedCorpus.generate(8192, 1).toString())
                .isEqualTo("corpus 'embedded-8192' (8,192 bytes, embedded generator, seed 1)");
    }
}
