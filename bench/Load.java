import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gateway load test: N concurrent clients each download URL once over HTTP/1.1, bodies
 * counted and discarded. Prints total throughput and per-download latency (p50, p99, max).
 *
 *   java bench/Load.java URL CLIENTS EXPECTED_BYTES
 */
public final class Load {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int clients = Integer.parseInt(args[1]);
        long expected = Long.parseLong(args[2]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong total = new AtomicLong();
        long start = System.nanoTime();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            long t0 = System.nanoTime();
            all.add(http.sendAsync(HttpRequest.newBuilder(uri).build(), info -> new Counter(total))
                    .thenAccept(r -> {
                        if (r.statusCode() != 200 || r.body() != expected) {
                            throw new IllegalStateException("status " + r.statusCode() + ", " + r.body() + " bytes");
                        }
                        latencies.add((System.nanoTime() - t0) / 1e9);
                    }));
        }
        for (CompletableFuture<?> f : all) {
            f.join();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("%d clients, %.2f GiB in %.2f s: %.0f MiB/s; latency p50 %.2f s, p99 %.2f s, max %.2f s%n",
                clients, total.get() / 1073741824.0, wall, total.get() / 1048576.0 / wall,
                sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1), sorted.get(sorted.size() - 1));
    }

    /** Counts a body's bytes without keeping them. */
    static final class Counter implements HttpResponse.BodySubscriber<Long> {
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private final AtomicLong total;
        private long n;
        private Flow.Subscription sub;

        Counter(AtomicLong total) {
            this.total = total;
        }

        @Override
        public java.util.concurrent.CompletionStage<Long> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            sub = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                n += b.remaining();
                total.addAndGet(b.remaining());
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(n);
        }
    }
}
