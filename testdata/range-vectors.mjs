// Byte ranges read by the JS exporter (ipfs-unixfs-exporter 16.2.2) from files deep enough that
// a range crosses several levels: 61,000 bytes in 500-byte chunks under balanced nodes of 7
// links (three levels), once with raw leaves (CIDv1) and once with dag-pb leaves that hold
// their bytes inline (CIDv0). Writes range-*.car and range-vectors.json: for each (offset,
// length), the SHA-256 the exporter's bytes have. Usage: node range-vectors.mjs OUTDIR
import { writeFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { importer } from 'ipfs-unixfs-importer'
import { exporter } from 'ipfs-unixfs-exporter'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { CarWriter } from '@ipld/car/writer'
import * as dagPB from '@ipld/dag-pb'
import { splitmix } from './splitmix.mjs'

const out = process.argv[2]
const size = 61000
const content = splitmix(11, size)
const sha = b => createHash('sha256').update(b).digest('hex')
const ranges = [[0, size], [0, 1], [0, 500], [499, 2], [500, 500], [1234, 5678], [3499, 3502],
  [24500, 1], [24499, 3], [30000, 31000], [60999, 1], [size - 500, 500], [17, 0], [size, 0],
  [7, 60000], [12345, 24500]]
const cases = []

for (const [name, v0] of [['range-raw.car', false], ['range-v0.car', true]]) {
  const blocks = new Map()
  const store = {
    async put (cid, bytes) { blocks.set(cid.toString(), { cid, bytes }); return cid },
    get (cid) { return [blocks.get(cid.toString()).bytes] }, // the exporter reads a block as chunks
    async has (cid) { return blocks.has(cid.toString()) }
  }
  let root
  for await (const e of importer([{ path: 'f', content }], store, {
    cidVersion: v0 ? 0 : 1, rawLeaves: !v0, chunker: fixedSize({ chunkSize: 500 }),
    layout: balanced({ maxChildrenPerNode: 7 }), reduceSingleLeafToSelf: true
  })) root = e.cid
  // dag export order
  const order = []
  const seen = new Set()
  const visit = cid => {
    if (seen.has(cid.toString())) return
    seen.add(cid.toString())
    const { bytes } = blocks.get(cid.toString())
    order.push({ cid, bytes })
    if (cid.code === dagPB.code) for (const l of dagPB.decode(bytes).Links) visit(l.Hash)
  }
  visit(root)
  const { writer, out: chunks } = CarWriter.create([root])
  const parts = []
  const collect = (async () => { for await (const c of chunks) parts.push(c) })()
  for (const b of order) await writer.put(b)
  await writer.close()
  await collect
  await writeFile(`${out}/${name}`, Buffer.concat(parts))
  const entry = await exporter(root, store)
  for (const [offset, length] of ranges) {
    const got = []
    for await (const c of entry.content({ offset, length })) got.push(c)
    const bytes = Buffer.concat(got)
    if (bytes.length !== length) throw new Error(`exporter gave ${bytes.length} of ${length} at ${offset}`)
    cases.push({ car: name, offset, length, sha256: sha(bytes) })
  }
  cases.push({ car: name, offset: 0, length: size, sha256: sha(content), note: 'the content itself' })
}
await writeFile(`${out}/range-vectors.json`, JSON.stringify({ generatedBy: 'testdata/range-vectors.mjs (ipfs-unixfs-importer 17.1.1, ipfs-unixfs-exporter 16.2.2)', size, cases }, null, 1) + '\n')
