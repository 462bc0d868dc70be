package org.cllmlab.reports.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A minimal Chrome DevTools Protocol client over one WebSocket to the browser's endpoint: commands are sent
 * with an id (and a session id, for a page attached in flat mode) and answered by the message with the same
 * id; every other message is an event, handed to the listeners.
 *
 * <p>Threads: {@link #send} may be called from any thread and blocks until the answer; listeners run on the
 * WebSocket's thread and must not call {@link #send}.
 */
final class DevTools implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private final Duration timeout;

    private DevTools(WebSocket socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /** Connects to a browser endpoint such as {@code ws://127.0.0.1:PORT/devtools/browser/ID}. */
    static DevTools connect(URI endpoint, Duration timeout) throws IOException {
        Receiver receiver = new Receiver();
        try {
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(endpoint, receiver).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            DevTools d = new DevTools(ws, timeout);
            receiver.owner = d;
            return d;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot connect to the browser at " + endpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to the browser", e);
        }
    }

    void onEvent(Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    /** Sends a browser-level command and waits for its result. */
    JsonNode send(String method, Map<String, ?> params) throws IOException {
        return send(null, method, params);
    }

    /**
     * Sends a command, to the page of {@code sessionId} when not null, and waits for its result.
     *
     * @throws IOException when the browser answers with an error, closes, or does not answer in time
     */
    JsonNode send(String sessionId, String method, Map<String, ?> params) throws IOException {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            socket.sendText(JSON.writeValueAsString(msg), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                throw new IOException(method + ": " + reply.get("error").path("message").asText(reply.get("error").toString()));
            }
            return reply.path("result");
        } catch (TimeoutException e) {
            throw new IOException(method + ": no answer from the browser within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new IOException(method + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + ": interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    private void received(String text) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (IOException e) {
            return; // not a protocol message
        }
        if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.get(msg.get("id").asInt());
            if (f != null) {
                f.complete(msg);
            }
        } else {
            listeners.forEach(l -> l.accept(msg));
        }
    }

    private void closed(Throwable why) {
        IOException e = new IOException("the browser closed the connection" + (why == null ? "" : ": " + why));
        pending.values().forEach(f -> f.completeExceptionally(e));
    }

    @Override
    public void close() {
        socket.abort();
    }

    /** Joins the parts of long messages and hands whole ones to the client. */
    private static final class Receiver implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private volatile DevTools owner;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (owner != null) {
                    owner.received(text);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (owner != null) {
                owner.closed(null);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (owner != null) {
                owner.closed(error);
            }
        }
    }
}
