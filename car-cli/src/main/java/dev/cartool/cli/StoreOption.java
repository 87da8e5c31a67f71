package dev.cartool.cli;

import java.io.IOException;
import java.nio.file.Path;

import dev.cartool.store.CarStore;
import picocli.CommandLine.Option;

/** {@code --store DIR}, with the default of the environment. */
final class StoreOption {
    @Option(names = "--store", paramLabel = "DIR",
            description = "The store (default: $CAR_STORE, else $XDG_DATA_HOME/car, else ~/.local/share/car).")
    Path store;

    /** The store, created if need be (import). */
    CarStore open(java.util.Map<String, String> env) throws IOException {
        return CarStore.open(directory(env));
    }

    /** The store as it is, never created (every verb that only reads or removes). */
    CarStore openExisting(java.util.Map<String, String> env) throws IOException {
        return CarStore.openExisting(directory(env));
    }

    java.nio.file.Path directory(java.util.Map<String, String> env) {
        if (store != null) {
            return store;
        }
        try {
            return CarStore.defaultDirectory(env);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
