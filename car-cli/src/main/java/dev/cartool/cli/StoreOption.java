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

    CarStore open() throws IOException {
        return CarStore.open(store != null ? store : CarStore.defaultDirectory(System.getenv()));
    }
}
