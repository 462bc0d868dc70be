package org.cllmlab.reports.page;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Opens a report page in headless Chromium, driven over the DevTools protocol, and checks what a reader
 * would see: no console errors or failed loads, every image decoded with a non-zero size, and a full-page
 * screenshot as tall as the page.
 *
 * <p>Chromium runs with a new empty profile, no network services and {@code --remote-debugging-port=0};
 * the port it chose is read from {@code DevToolsActivePort} in the profile. The page is laid out at a fixed
 * width and a device-pixel ratio of 1, then captured beyond the viewport at its full scroll height.
 *
 * <p>Usage: {@code PageCheck REPORT_HTML OUT_PNG [WIDTH]}; exit 0 when every check passed, 1 when one
 * failed (each failure on its own line), 2 on bad usage or when no Chromium is found.
 */
public final class PageCheck {

    /** Layout width in CSS pixels. */
    public static final int DEFAULT_WIDTH = 1400;
    /** Environment variable naming the browser to use. */
    public static final String BROWSER_ENV = "CHROMIUM";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--force-device-scale-factor=1", "--remote-debugging-port=0");

    private PageCheck() {
    }

    /** One image as the page decoded it. */
    public record Image(String alt, boolean complete, int naturalWidth, int naturalHeight, String decodeError) {
        boolean decoded() {
            return complete && naturalWidth > 0 && naturalHeight > 0 && decodeError == null;
        }
    }

    /**
     * What the page showed.
     *
     * @param consoleErrors  console errors, uncaught exceptions and failed loads, one line each
     * @param images         every {@code <img>} in document order
     * @param clipped        boxes whose content is wider than they are (a table that scrolls sideways), which a
     *                       screenshot cuts off: what precedes each (its heading) and the two widths
     * @param width          layout width (CSS pixels)
     * @param scrollWidth    the document's scroll width
     * @param scrollHeight   the document's scroll height
     * @param pixelRatio     the device-pixel ratio the page was laid out at
     * @param png            the full-page screenshot
     * @param pngWidth       its width in pixels, from its header
     * @param pngHeight      its height in pixels, from its header
     */
    public record Result(List<String> consoleErrors, List<Image> images, List<String> clipped, int width,
                         int scrollWidth, int scrollHeight, double pixelRatio, byte[] png, int pngWidth, int pngHeight) {
        public Result {
            consoleErrors = List.copyOf(consoleErrors);
            images = List.copyOf(images);
            clipped = List.copyOf(clipped);
        }

        /** Every failed check, one line each; empty when the page is sound. */
        public List<String> problems() {
            List<String> out = new ArrayList<>();
            consoleErrors.forEach(e -> out.add("console: " + e));
            if (images.isEmpty()) {
                out.add("images: the page has no <img>");
            }
            for (Image i : images) {
                if (!i.decoded()) {
                    out.add("image '" + i.alt() + "' did not decode: " + (i.decodeError() != null ? i.decodeError()
                            : "natural size " + i.naturalWidth() + "×" + i.naturalHeight()));
                }
            }
            long expectedHeight = Math.round(scrollHeight * pixelRatio);
            if (Math.abs(pngHeight - expectedHeight) > Math.max(1, Math.ceil(pixelRatio))) {
                out.add("screenshot is " + pngHeight + " px tall; the page is " + scrollHeight + " CSS px at ratio "
                        + pixelRatio + " (" + expectedHeight + " px): it does not cover the whole page");
            }
            clipped.forEach(c -> out.add("clipped at " + width + " px: " + c));
            if (scrollWidth > width) {
                out.add("the page is " + scrollWidth + " CSS px wide, wider than the " + width + " px window: "
                        + "something does not fit");
            }
            return out;
        }
    }

    /** The browser to use: {@code $CHROMIUM}, else {@code chromium} (or {@code chromium-browser}) on the path. */
    public static Optional<Path> findBrowser() {
        String env = System.getenv(BROWSER_ENV);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Opens {@code html} in {@code browser} at {@code width} CSS pixels and returns what it showed. */
    public static Result check(Path browser, Path html, int width) throws IOException {
        Path profile = Files.createTempDirectory("cllmlab-chromium-");
        Path log = profile.resolve("browser.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(browser.toString());
        cmd.addAll(FLAGS);
        cmd.add("--user-data-dir=" + profile.resolve("profile"));
        cmd.add("about:blank");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (DevTools dt = DevTools.connect(endpoint(process, profile.resolve("profile"), log), TIMEOUT)) {
            return inspect(dt, html.toAbsolutePath().normalize(), width);
        } finally {
            stop(process);
            deleteTree(profile);
        }
    }

    private static Result inspect(DevTools dt, Path html, int width) throws IOException {
        String target = dt.send("Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
        String s = dt.send("Target.attachToTarget", Map.of("targetId", target, "flatten", true)).path("sessionId").asText();
        List<String> errors = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        dt.onEvent(e -> {
            if (!s.equals(e.path("sessionId").asText())) {
                return;
            }
            JsonNode p = e.path("params");
            switch (e.path("method").asText()) {
                case "Page.loadEventFired" -> loaded.complete(null);
                case "Runtime.exceptionThrown" -> errors.add("uncaught: " + p.path("exceptionDetails").path("exception")
                        .path("description").asText(p.path("exceptionDetails").path("text").asText()));
                case "Runtime.consoleAPICalled" -> {
                    String type = p.path("type").asText();
                    if (type.equals("error") || type.equals("assert")) {
                        List<String> args = new ArrayList<>();
                        p.path("args").forEach(a -> args.add(a.path("value").asText(a.path("description").asText())));
                        errors.add("console." + type + ": " + String.join(" ", args));
                    }
                }
                case "Log.entryAdded" -> {
                    JsonNode entry = p.path("entry");
                    if (entry.path("level").asText().equals("error")) {
                        errors.add(entry.path("source").asText() + ": " + entry.path("text").asText()
                                + (entry.has("url") ? " (" + entry.path("url").asText() + ")" : ""));
                    }
                }
                case "Network.loadingFailed" -> errors.add("load failed: " + p.path("errorText").asText()
                        + (p.path("blockedReason").isMissingNode() ? "" : " (" + p.path("blockedReason").asText() + ")"));
                default -> {
                }
            }
        });
        for (String domain : List.of("Page.enable", "Runtime.enable", "Log.enable", "Network.enable")) {
            dt.send(s, domain, Map.of());
        }
        dt.send(s, "Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", 900, "deviceScaleFactor", 1,
                "mobile", false));
        JsonNode nav = dt.send(s, "Page.navigate", Map.of("url", html.toUri().toString()));
        if (nav.hasNonNull("errorText")) {
            errors.add("navigation: " + nav.get("errorText").asText());
        } else {
            try {
                loaded.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                errors.add("the page did not finish loading within " + TIMEOUT.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the page loaded", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }
        JsonNode page = evaluate(dt, s, """
                (async () => {
                  const images = [];
                  for (const i of document.images) {
                    let decodeError = null;
                    try { await i.decode(); } catch (e) { decodeError = String(e); }
                    images.push({alt: i.alt, complete: i.complete, naturalWidth: i.naturalWidth,
                                 naturalHeight: i.naturalHeight, decodeError});
                  }
                  const clipped = [];
                  for (const e of document.querySelectorAll('*')) {
                    const style = getComputedStyle(e);
                    if ((style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden')
                        && e.scrollWidth > e.clientWidth + 1) {
                      let title = e.previousElementSibling;
                      while (title && !/^H[1-6]$/.test(title.tagName)) { title = title.previousElementSibling; }
                      clipped.push((title ? title.textContent : e.tagName.toLowerCase()) + ': ' + e.scrollWidth
                          + ' px of content in ' + e.clientWidth + ' px');
                    }
                  }
                  const d = document.documentElement;
                  return JSON.stringify({images, clipped, scrollWidth: Math.max(d.scrollWidth, document.body.scrollWidth),
                    scrollHeight: Math.max(d.scrollHeight, document.body.scrollHeight), ratio: window.devicePixelRatio});
                })()""");
        List<Image> images = new ArrayList<>();
        page.path("images").forEach(i -> images.add(new Image(i.path("alt").asText(), i.path("complete").asBoolean(),
                i.path("naturalWidth").asInt(), i.path("naturalHeight").asInt(),
                i.path("decodeError").isNull() ? null : i.path("decodeError").asText())));
        List<String> clipped = new ArrayList<>();
        page.path("clipped").forEach(c -> clipped.add(c.asText()));
        int scrollWidth = page.path("scrollWidth").asInt();
        int scrollHeight = page.path("scrollHeight").asInt();
        double ratio = page.path("ratio").asDouble(1);
        // lay the whole page out in one viewport, then capture it from the top: the screenshot is the page
        dt.send(s, "Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", scrollHeight,
                "deviceScaleFactor", 1, "mobile", false));
        JsonNode shot = dt.send(s, "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "fromSurface", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", scrollHeight, "scale", 1)));
        byte[] png = Base64.getDecoder().decode(shot.path("data").asText());
        int[] size = pngSize(png);
        return new Result(errors, images, clipped, width, scrollWidth, scrollHeight, ratio, png, size[0], size[1]);
    }

    private static JsonNode evaluate(DevTools dt, String session, String expression) throws IOException {
        JsonNode r = dt.send(session, "Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true,
                "returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IOException("evaluating the page's checks failed: " + r.get("exceptionDetails").path("text").asText());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.path("result").path("value").asText());
    }

    /** Width and height from a PNG's IHDR chunk. */
    static int[] pngSize(byte[] png) throws IOException {
        if (png.length < 24 || (png[0] & 0xff) != 0x89 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G') {
            throw new IOException("the screenshot is not a PNG");
        }
        ByteBuffer b = ByteBuffer.wrap(png);
        return new int[] {b.getInt(16), b.getInt(20)};
    }

    /** Waits for Chromium to write the port it listens on, and returns its browser endpoint. */
    private static URI endpoint(Process process, Path profile, Path log) throws IOException {
        Path active = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(active)) {
                List<String> lines = Files.readAllLines(active);
                if (lines.size() >= 2 && !lines.get(0).isBlank()) {
                    return URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
                }
            }
            if (!process.isAlive()) {
                throw new IOException("Chromium exited with status " + process.exitValue() + " before it listened: "
                        + lastLines(log));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while Chromium started", e);
            }
        }
        throw new IOException("Chromium did not open its DevTools port within " + TIMEOUT.toSeconds() + " s: " + lastLines(log));
    }

    private static String lastLines(Path log) {
        try {
            List<String> l = Files.readAllLines(log);
            return String.join(" | ", l.subList(Math.max(0, l.size() - 3), l.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Ends Chromium and the processes it started. */
    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // a leftover temporary profile is harmless
        }
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: PageCheck REPORT_HTML OUT_PNG [WIDTH]");
            System.exit(2);
        }
        Path html = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int width = args.length == 3 ? Integer.parseInt(args[2]) : DEFAULT_WIDTH;
        if (!Files.isRegularFile(html)) {
            System.err.println("no report at " + html);
            System.exit(2);
        }
        Optional<Path> browser = findBrowser();
        if (browser.isEmpty()) {
            System.err.println("no Chromium found ($" + BROWSER_ENV + " or chromium on the PATH);"
                    + " install it with: apt-get update && apt-get install -y chromium");
            System.exit(2);
        }
        try {
            Result r = check(browser.get(), html, width);
            Files.write(out, r.png());
            System.out.println("screenshot: " + out + " (" + r.pngWidth() + "×" + r.pngHeight() + " px; page "
                    + r.scrollWidth() + "×" + r.scrollHeight() + " CSS px at ratio " + r.pixelRatio() + "); images: "
                    + r.images().size() + ", decoded: " + r.images().stream().filter(Image::decoded).count()
                    + "; console errors: " + r.consoleErrors().size());
            List<String> problems = r.problems();
            problems.forEach(p -> System.err.println("check failed: " + p));
            System.exit(problems.isEmpty() ? 0 : 1);
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
