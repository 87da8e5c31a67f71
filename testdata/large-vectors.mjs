// Root CIDs of large inputs (issue 4: the third layer of the balanced tree), by the JS importer.
// Contents are zeros streamed through the importer into a blockstore that keeps nothing, so a
// 7.4 GiB input needs no disk and little memory. The Java test (ImporterLargeVectorsTest)
// reads the same sizes from sparse files. Run by ./regen; takes a few minutes.
import { writeFile } from 'node:fs/promises'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

const out = process.argv[2]
const K = 262144
const M = 1048576

/** Accepts every block and keeps none: only the root CID is wanted. */
const discard = {
  async put (cid) { return cid },
  async get () { throw new Error('a file import reads no block back') },
  async has () { return false }
}

async function * zeros (size) {
  const piece = new Uint8Array(4 * M)
  for (let left = size; left > 0; left -= piece.length) {
    yield left >= piece.length ? piece : piece.subarray(0, left)
  }
}

const profiles = {
  kubo: { cidVersion: 1, rawLeaves: true, chunker: fixedSize({ chunkSize: K }), layout: balanced({ maxChildrenPerNode: 174 }), reduceSingleLeafToSelf: true },
  'unixfs-v1-2025': { profile: 'unixfs-v1-2025', cidVersion: 1 }
}

const cases = []
for (const [profile, size] of [
  ['kubo', 174 * 174 * K],          // two full layers: the root has 174 children of 174 leaves
  ['kubo', 174 * 174 * K + 1],      // one byte more: a third layer appears
  ['unixfs-v1-2025', 1024 * M + 1]  // past one full node of 1024 1 MiB leaves
]) {
  const started = Date.now()
  let root
  for await (const r of importer([{ path: 'f', content: zeros(size) }], discard, profiles[profile])) root = r.cid
  cases.push({ name: `zeros-${size}-${profile}`, profile, cidVersion: 1, wrap: false, entries: [{ path: 'f', content: `zeros:${size}` }], cid: root.toString() })
  console.error(`large-vectors: ${size} bytes (${profile}) -> ${root} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
await writeFile(`${out}/import-vectors-large.json`, JSON.stringify({ generatedBy: 'testdata/large-vectors.mjs (ipfs-unixfs-importer 17.1.1)', cases }, null, 1) + '\n')
