// IPLD data that is not UnixFS, for the gateway's pathing and codec responses, made by the JS
// IPLD codecs: a DAG-CBOR root whose path foo/link/bar crosses two links to a third DAG-CBOR
// block, and links to a UnixFS file, a DAG-JSON block, and plain JSON (0x0200) and CBOR (0x51)
// blocks. Writes dag-vectors.car (every block, root first) and dag-vectors.json (the CIDs).
// Usage: node dag-vectors.mjs OUTDIR
import { writeFile } from 'node:fs/promises'
import * as dagCBOR from '@ipld/dag-cbor'
import * as dagJSON from '@ipld/dag-json'
import * as json from 'multiformats/codecs/json'
import * as raw from 'multiformats/codecs/raw'
import * as dagPB from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { CarWriter } from '@ipld/car/writer'

const out = process.argv[2]
const blocks = []
const put = async (codec, bytes) => {
  const cid = CID.createV1(codec, await sha256.digest(bytes))
  blocks.push({ cid, bytes })
  return cid
}
const hello = await put(dagCBOR.code, dagCBOR.encode({ hello: 'this is not a link' }))
const middle = await put(dagCBOR.code, dagCBOR.encode({ bar: hello, list: [1, hello] }))
const file = await put(raw.code, new TextEncoder().encode('a file linked from DAG-CBOR\n'))
const dj = await put(dagJSON.code, dagJSON.encode({ name: 'dag-json', link: hello }))
const pj = await put(json.code, json.encode({ plain: 'json' }))
const pc = await put(0x51, dagCBOR.encode({ plain: 'cbor' }))
const pbBytes = dagPB.encode(dagPB.prepare({ Data: new UnixFS({ type: 'directory' }).marshal(), Links: [{ Hash: file, Name: 'f.txt', Tsize: 28 }] }))
const pb = await put(dagPB.code, pbBytes)
const root = await put(dagCBOR.code, dagCBOR.encode({
  foo: { link: middle, n: 7, f: 1.5, neg: -3, big: 2 ** 40 }, file, dir: pb, djson: dj, json: pj, cbor: pc,
  bytes: new Uint8Array([1, 2, 3]), 'é': 'unicode key', text: 'a "quoted"\nline'
}))
blocks.unshift(blocks.pop()) // root first
const { writer, out: chunks } = CarWriter.create([root])
const parts = []
const collect = (async () => { for await (const c of chunks) parts.push(c) })()
for (const b of blocks) await writer.put(b)
await writer.close()
await collect
await writeFile(`${out}/dag-vectors.car`, Buffer.concat(parts))
const s = c => c.toString()
const bytesOf = c => blocks.find(b => b.cid.equals(c)).bytes
const hexOf = u => Buffer.from(u).toString('hex')
await writeFile(`${out}/dag-vectors.json`, JSON.stringify({
  generatedBy: 'testdata/dag-vectors.mjs (@ipld/dag-cbor 10.0.2, @ipld/dag-json 10.2.9, multiformats 14.0.5, @ipld/car 5.4.7)',
  root: s(root), middle: s(middle), hello: s(hello), file: s(file), dagJson: s(dj), json: s(pj), cbor: s(pc),
  dagPb: s(pb),
  helloBytesHex: hexOf(bytesOf(hello)),
  // What the JS codecs make of each block in the other codec: the conversions' expected bytes.
  rootAsDagJsonHex: hexOf(dagJSON.encode(dagCBOR.decode(bytesOf(root)))),
  dagPbAsDagJsonHex: hexOf(dagJSON.encode(dagPB.decode(bytesOf(pb)))),
  dagPbAsDagCborHex: hexOf(dagCBOR.encode(dagPB.decode(bytesOf(pb)))),
  dagJsonAsDagCborHex: hexOf(dagCBOR.encode(dagJSON.decode(bytesOf(dj))))
}, null, 1) + '\n')
