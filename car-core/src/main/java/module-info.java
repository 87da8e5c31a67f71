/**
 * car-core: CIDs and multiformats, streaming and random-access CARv1, DAG-PB, verification.
 * No CLI, no printing: a library to embed.
 */
module dev.cartool.core {
    requires com.fasterxml.jackson.dataformat.cbor;
    requires com.fasterxml.jackson.core;
    requires org.bouncycastle.provider;
    requires org.apache.commons.compress;
    requires org.tukaani.xz;
    requires com.github.luben.zstd_jni;
    requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT: writes past the page cache

    exports dev.cartool.cid;
    exports dev.cartool.error;
    exports dev.cartool.block;
    exports dev.cartool.car;
    exports dev.cartool.dagpb;
    exports dev.cartool.ipld;
    exports dev.cartool.apptainer;
    exports dev.cartool.unixfs;
    exports dev.cartool.unixfs.importer;
    exports dev.cartool.unixfs.pack;
    exports dev.cartool.unixfs.extract;
    exports dev.cartool.sif;
    exports dev.cartool.store;
    exports dev.cartool.gateway;
}
