package dev.cartool.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.car.CarFileSource;
import dev.cartool.gateway.Gateway;
import dev.cartool.store.CarStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code car serve}: a verified local gateway for IPFS_GATEWAY. */
@Command(name = "serve",
        description = {
            "Serve the store (and any CARs given) as a read-only local IPFS gateway, so that "
                + "'IPFS_GATEWAY=http://127.0.0.1:8080 apptainer pull ipfs://CID' works offline.",
            "Path gateway: GET/HEAD /ipfs/CID[/path] (Range, ETag, If-None-Match); trustless "
                + "gateway: ?format=raw and ?format=car (dag-scope block|entity|all). Every block is "
                + "verified as it is read."
        })
final class ServeCommand extends Verb {
    @Parameters(paramLabel = "CAR", arity = "0..*", description = "CAR files to serve besides the store.")
    List<Path> cars = new ArrayList<>();

    @Mixin
    StoreOption storeOption;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Where to listen (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "64", description = "Requests served at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--busy-poll", paramLabel = "MICROS", defaultValue = "200",
            description = "After anything happens on the connections, poll them this long before sleeping: a "
                + "client that asks again at once is answered without a wake-up (costs up to that much of one "
                + "core after each burst of requests; 0: never; default: ${DEFAULT-VALUE}).")
    long busyPollMicros;

    @Option(names = "--print-config", description = "Print the IPFS_GATEWAY line for this gateway and exit.")
    boolean printConfig;

    @Option(names = "--write-gateway-file",
            description = "Also write ~/.ipfs/gateway (no trailing newline: Apptainer reads it as it is).")
    boolean writeGatewayFile;

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || threads > 4096) {
            throw new UsageException("--threads " + threads + ": must be from 1 to 4096");
        }
        if (busyPollMicros < 0 || busyPollMicros > 1_000_000) {
            throw new UsageException("--busy-poll " + busyPollMicros + ": must be from 0 to 1000000 microseconds");
        }
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new UsageException("--listen " + listen + ": expected HOST:PORT");
        }
        String host = listen.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("--listen " + listen + ": the port must be a number from 0 to 65535");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new UsageException("--listen " + listen + ": '" + host + "' is not an address or a known host name");
        }
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        if (printConfig) {
            out().println("IPFS_GATEWAY=" + url);
            out().flush();
            writeGatewayFile(url);
            return CarCommand.OK;
        }
        // Every request may make tables (an export's CID sets); with the CARs' scans they hold
        // two tables' worth together, however many requests run at once.
        long table = Inputs.tableMemory(this);
        dev.cartool.car.TableMemory.setTotal(table > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * table);
        List<CarFileSource> files = new ArrayList<>();
        CarStore opened;
        try {
            opened = storeOption.openExisting(env());
        } catch (java.nio.file.NoSuchFileException e) {
            if (cars.isEmpty()) {
                throw new UsageException(storeOption.directory(env()) + ": no store here and no CAR files to serve "
                        + "('car import' creates the store)");
            }
            opened = null; // serve the CAR files; the store is never created by serving
        }
        try (CarStore store = opened) {
            for (Path p : cars) {
                dev.cartool.car.Compression c = dev.cartool.car.Compression.detect(p);
                if (c != dev.cartool.car.Compression.NONE) {
                    throw new UsageException(p + ": is " + c.label() + "-compressed; serving needs random access "
                            + "('car import' it into the store, or decompress it)");
                }
                CarFileSource s = CarFileSource.open(p);
                s.indexAll();
                files.add(s);
            }
            BlockSource storeSource = store != null ? store.source(null) : cid -> null;
            BlockSource all = new Union(files, storeSource);
            Gateway g = new Gateway(all, new InetSocketAddress(host, port), threads, line -> {
                if (quiet() && !line.startsWith("error:")) {
                    return; // -q: errors only, no line per request
                }
                synchronized (this) {
                    err().println(line);
                    err().flush();
                }
            });
            g.logRequests(!quiet());
            g.busyPoll(java.time.Duration.ofNanos(busyPollMicros * 1000));
            g.start();
            InetSocketAddress bound = g.address();
            String boundUrl = "http://" + bound.getHostString() + ":" + bound.getPort();
            if (!quiet()) {
                out().println("serving " + (store != null ? store.list().size() + " stored root(s) and " : "")
                    + files.size() + " CAR file(s) at " + boundUrl);
            }
            out().println("IPFS_GATEWAY=" + boundUrl);
            out().flush();
            writeGatewayFile(boundUrl);
            new CountDownLatch(1).await(); // until killed
            return CarCommand.OK;
        } finally {
            for (CarFileSource f : files) {
                f.close();
            }
        }
    }

    private void writeGatewayFile(String url) throws IOException {
        if (!writeGatewayFile) {
            return;
        }
        Path dir = Path.of(CarStore.home(env()), ".ipfs");
        Files.createDirectories(dir);
        Path tmp = dev.cartool.io.TempPaths.privateFile(dir, ".gateway", ".tmp");
        Files.write(tmp, url.getBytes(StandardCharsets.US_ASCII));
        Files.move(tmp, dir.resolve("gateway"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        err().println(name() + ": wrote " + dir.resolve("gateway"));
        err().flush();
    }

    /**
     * The CAR files given, then the store; a snapshot keeps the store as it is for one response.
     * It keeps its parts' fast paths (reads hashed on their pools, leaves into direct buffers):
     * each part locates a block on the calling thread, so a miss is known at once.
     */
    private static final class Union implements BlockSource, dev.cartool.block.DataReader, dev.cartool.block.FileRegions {
        private final List<CarFileSource> files;
        private final BlockSource store;

        Union(List<CarFileSource> files, BlockSource store) {
            this.files = files;
            this.store = store;
        }

        @Override
        public Block get(dev.cartool.cid.Cid cid) throws IOException {
            for (CarFileSource f : files) {
                Block b = f.get(cid);
                if (b != null) {
                    return b;
                }
            }
            return store.get(cid);
        }

        @Override
        public BlockSource snapshot() {
            return new Union(files, store.snapshot());
        }

        @Override
        public long generation() {
            return store.generation(); // the CAR files given do not change
        }

        @Override
        public java.util.concurrent.CompletableFuture<Block> fetch(dev.cartool.cid.Cid cid) {
            for (CarFileSource f : files) {
                java.util.concurrent.CompletableFuture<Block> b = f.fetch(cid);
                if (!(b.isDone() && !b.isCompletedExceptionally() && b.getNow(null) == null)) {
                    return b;
                }
            }
            return store.fetch(cid);
        }

        @Override
        public java.util.concurrent.CompletableFuture<java.nio.ByteBuffer> readData(dev.cartool.cid.Cid cid,
                java.nio.ByteBuffer into) {
            for (CarFileSource f : files) {
                java.util.concurrent.CompletableFuture<java.nio.ByteBuffer> b = f.readData(cid, into);
                if (!(b.isDone() && !b.isCompletedExceptionally() && b.getNow(null) == null)) {
                    return b;
                }
            }
            if (store instanceof dev.cartool.block.DataReader) {
                return ((dev.cartool.block.DataReader) store).readData(cid, into);
            }
            return store.fetch(cid).thenApply(b -> b == null ? null : b.dataBuffer());
        }

        @Override
        public Region checkedRegion(dev.cartool.cid.Cid cid) throws IOException {
            for (CarFileSource f : files) {
                dev.cartool.car.SectionRef ref = cid.isIdentity() ? null : f.locate(cid);
                if (ref != null) {
                    return f.file().checkedRegion(ref); // the first file that holds it, as readData reads
                }
            }
            return store instanceof dev.cartool.block.FileRegions ? ((dev.cartool.block.FileRegions) store).checkedRegion(cid) : null;
        }

        @Override
        public long dataLength(dev.cartool.cid.Cid cid) throws IOException {
            for (CarFileSource f : files) {
                long n = f.dataLength(cid);
                if (n >= 0) {
                    return n;
                }
            }
            return store instanceof dev.cartool.block.FileRegions ? ((dev.cartool.block.FileRegions) store).dataLength(cid) : -1;
        }
    }
}
