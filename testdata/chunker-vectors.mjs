// Root CIDs of files cut with Kubo's fixed-size chunker at other sizes (ipfs add
// --chunker=size-N), by the JS importer: the reference for `car pack --chunker size-N`.
// Small chunks also make the many-block shapes that issue 9's memory bounds are tested on.
// Run by ./regen (needs the npm packages it installs).
import { writeFile } from 'node:fs/promises'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { splitmix } from './splitmix.mjs'

const out = process.argv[2]

const discard = {
  async put (cid) { return cid },
  async get () { throw new Error('a file import reads no block back') },
  async has () { return false }
}


const cases = []
for (const [chunk, size, cidVersion] of [
  [1000, 1000 * 174 * 2 + 7, 1], // two layers of small raw leaves
  [1, 200, 1],                   // one byte a leaf: 200 leaves under two nodes
  [1024, 40000, 0],              // plain ipfs add --chunker=size-1024 (dag-pb leaves, CIDv0)
  [1048576, 3 * 1048576 + 1, 1], // the largest chunk Kubo accepts
  [12345, 12345, 1]              // exactly one chunk: the leaf is the root
]) {
  const opts = {
    cidVersion,
    rawLeaves: cidVersion === 1,
    chunker: fixedSize({ chunkSize: chunk }),
    layout: balanced({ maxChildrenPerNode: 174 }),
    reduceSingleLeafToSelf: true
  }
  let root
  for await (const r of importer([{ path: 'f', content: splitmix(chunk, size) }], discard, opts)) root = r.cid
  cases.push({ name: `size-${chunk}-${size}-v${cidVersion}`, chunker: `size-${chunk}`, cidVersion, content: `splitmix:${chunk}:${size}`, cid: root.toString() })
}
await writeFile(`${out}/import-vectors-chunker.json`, JSON.stringify({ generatedBy: 'testdata/chunker-vectors.mjs (ipfs-unixfs-importer 17.1.1)', cases }, null, 1) + '\n')
