// A directory whose root carries its own mode and mtime (ipfs-unixfs-importer 17.1.1 keeps
// the metadata of a directory entry given with one): 'top' (0750, mtime 1600000000.25) holding
// 'inner' (0700, mtime 1500000000) and a file (0600). The root of the CAR is 'top' itself, so
// an extraction must give the output directory top's own mode and mtime.
// Writes dir-meta.car and dir-meta.json. Usage: node dir-meta.mjs OUTDIR
import { writeFile } from 'node:fs/promises'
import { importer } from 'ipfs-unixfs-importer'
import { CarWriter } from '@ipld/car/writer'
import * as dagPB from '@ipld/dag-pb'

const out = process.argv[2]
const blocks = new Map()
const store = {
  async put (cid, bytes) { blocks.set(cid.toString(), { cid, bytes }); return cid },
  get (cid) { return blocks.get(cid.toString()).bytes },
  async has (cid) { return blocks.has(cid.toString()) }
}
const entries = [
  { path: 'top', mode: 0o750, mtime: { secs: 1600000000n, nsecs: 250000000 } },
  { path: 'top/inner', mode: 0o700, mtime: { secs: 1500000000n } },
  { path: 'top/inner/f.txt', content: new TextEncoder().encode('meta\n'), mode: 0o600, mtime: { secs: 1400000000n } }
]
let root
for await (const e of importer(entries, store, { cidVersion: 1, rawLeaves: true })) if (e.path === 'top') root = e.cid
// dag export order: depth first from the root, each block once
const order = []
const seen = new Set()
const visit = cid => {
  if (seen.has(cid.toString())) return
  seen.add(cid.toString())
  const b = blocks.get(cid.toString())
  order.push(b)
  if (cid.code === dagPB.code) for (const l of dagPB.decode(b.bytes).Links) visit(l.Hash)
}
visit(root)
const { writer, out: bytes } = CarWriter.create([root])
const chunks = []
const done = (async () => { for await (const c of bytes) chunks.push(c) })()
for (const b of order) await writer.put(b)
await writer.close()
await done
await writeFile(`${out}/dir-meta.car`, Buffer.concat(chunks))
await writeFile(`${out}/dir-meta.json`, JSON.stringify({
  producer: 'ipfs-unixfs-importer 17.1.1 + @ipld/car 5.4.7, dag export order',
  root: root.toString(),
  entries: { '': { mode: 0o750, mtime: 1600000000, nanos: 250000000 }, inner: { mode: 0o700, mtime: 1500000000 }, 'inner/f.txt': { mode: 0o600, mtime: 1400000000 } }
}, null, 1) + '\n')
