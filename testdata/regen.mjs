// Makes the reference fixtures in testdata/ with the JS IPFS stack (never with our own code).
// Run through ./regen, which installs the pinned packages and builds the SIF first.
import { readFile, writeFile } from 'node:fs/promises'
import { execFileSync } from 'node:child_process'
import { CarReader } from '@ipld/car/reader'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced, trickle } from 'ipfs-unixfs-importer/layout'
import { UnixFS } from 'ipfs-unixfs'
import { CarWriter } from '@ipld/car/writer'
import * as dagPB from '@ipld/dag-pb'
import * as dagCBOR from '@ipld/dag-cbor'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { create as mhCreate } from 'multiformats/hashes/digest'
import { base16, base16upper } from 'multiformats/bases/base16'
import { base32, base32upper } from 'multiformats/bases/base32'
import { base36, base36upper } from 'multiformats/bases/base36'
import { base58btc } from 'multiformats/bases/base58'
import { base64, base64url } from 'multiformats/bases/base64'
import { splitmix } from './splitmix.mjs'
import { sha1 } from '@noble/hashes/legacy.js'
import * as nsha2 from '@noble/hashes/sha2.js'
import * as nsha3 from '@noble/hashes/sha3.js'
import { blake2b, blake2s } from '@noble/hashes/blake2.js'
import { blake3 } from '@noble/hashes/blake3.js'

const out = process.argv[2]
const work = process.argv[3]

/** A blockstore that keeps every block the importer writes. */
function memoryStore () {
  const blocks = new Map()
  return {
    blocks,
    async put (cid, bytes) { blocks.set(cid.toString(), { cid, bytes }); return cid },
    async get (cid) { return blocks.get(cid.toString()).bytes },
    async has (cid) { return blocks.has(cid.toString()) }
  }
}

/** `ipfs add --cid-version 1` (Kubo defaults), or `--cid-version 0` when v0. */
function kuboOptions (v0 = false, wrap = false) {
  return {
    cidVersion: v0 ? 0 : 1,
    rawLeaves: !v0,
    chunker: fixedSize({ chunkSize: 262144 }),
    layout: balanced({ maxChildrenPerNode: 174 }),
    reduceSingleLeafToSelf: true,
    wrapWithDirectory: wrap
  }
}

async function importFile (name, bytes, options) {
  const store = memoryStore()
  let root
  for await (const entry of importer([{ path: name, content: bytes }], store, options)) {
    root = entry.cid
  }
  return { root, store }
}

function linksOf (cid, bytes) {
  if (cid.code === dagPB.code) return dagPB.decode(bytes).Links.map(l => l.Hash)
  if (cid.code === dagCBOR.code) {
    const found = []
    const walk = v => {
      const c = CID.asCID(v)
      if (c) { found.push(c); return }
      if (v instanceof Uint8Array || v === null || typeof v !== 'object') return
      for (const x of (Array.isArray(v) ? v : Object.values(v))) walk(x)
    }
    walk(dagCBOR.decode(bytes))
    return found
  }
  return []
}

/** Blocks in `ipfs dag export` order: depth-first, pre-order, each once. */
function dfsOrder (root, store) {
  const seen = new Set()
  const order = []
  const visit = cid => {
    const key = cid.toString()
    if (seen.has(key)) return
    seen.add(key)
    const { bytes } = store.blocks.get(key)
    order.push({ cid, bytes })
    for (const l of linksOf(cid, bytes)) visit(l)
  }
  visit(root)
  return order
}

async function writeCar (file, roots, blocks) {
  const { writer, out: chunks } = CarWriter.create(roots)
  const parts = []
  const collect = (async () => { for await (const c of chunks) parts.push(c) })()
  for (const b of blocks) await writer.put(b)
  await writer.close()
  await collect
  await writeFile(file, Buffer.concat(parts))
}

const manifest = { generatedBy: 'testdata/regen.mjs', files: {} }
const record = (name, info) => { manifest.files[name] = info }
const hex = b => Buffer.from(b).toString('hex')

// --- The image: a real SIF made by siftool + mksquashfs (see ./regen) ---
const sif = new Uint8Array(await readFile(`${work}/lolcow.sif`))
const sifSha = hex(nsha2.sha256(sif))

{
  const { root, store } = await importFile('lolcow.sif', sif, kuboOptions())
  const blocks = dfsOrder(root, store)
  await writeCar(`${out}/lolcow.car`, [root], blocks)
  record('lolcow.car', { producer: 'ipfs-unixfs-importer 17.1.1 (kubo: cidVersion 1, rawLeaves, 262144-byte chunks, balanced 174) + @ipld/car 5.4.7, dag export order', root: root.toString(), blocks: blocks.map(b => b.cid.toString()), content: { name: 'lolcow.sif', size: sif.length, sha256: sifSha } })
}
{
  const { root, store } = await importFile('lolcow.sif', sif, kuboOptions(false, true))
  const blocks = dfsOrder(root, store)
  await writeCar(`${out}/lolcow-wrapped.car`, [root], blocks)
  record('lolcow-wrapped.car', { producer: 'ipfs-unixfs-importer 17.1.1 (kubo, wrapWithDirectory) + @ipld/car 5.4.7, dag export order', root: root.toString(), blocks: blocks.map(b => b.cid.toString()), content: { name: 'lolcow.sif', size: sif.length, sha256: sifSha } })
}
{
  const { root, store } = await importFile('lolcow.sif', sif, kuboOptions(true))
  const blocks = dfsOrder(root, store)
  await writeCar(`${out}/lolcow-cidv0.car`, [root], blocks)
  record('lolcow-cidv0.car', { producer: 'ipfs-unixfs-importer 17.1.1 (cidVersion 0, dag-pb leaves: plain ipfs add) + @ipld/car 5.4.7, dag export order', root: root.toString(), blocks: blocks.map(b => b.cid.toString()), content: { name: 'lolcow.sif', size: sif.length, sha256: sifSha } })
}

// --- A DAG-CBOR graph whose links verify must follow (and a copy missing one block) ---
{
  const mk = async (value) => {
    const bytes = dagCBOR.encode(value)
    return { cid: CID.create(1, dagCBOR.code, await sha256.digest(bytes)), bytes }
  }
  const leafBytes = new TextEncoder().encode('leaf of a dag-cbor graph')
  const leaf = { cid: CID.create(1, raw.code, await sha256.digest(leafBytes)), bytes: leafBytes }
  const idBytes = new TextEncoder().encode('inline')
  const ident = CID.create(1, raw.code, mhCreate(0x00, idBytes))
  const mid = await mk({ name: 'mid', leaf: leaf.cid, inline: ident, list: [1, 2, { deep: leaf.cid }] })
  const other = await mk({ name: 'other', n: 42 })
  const root = await mk({ children: [mid.cid, other.cid], note: 'root' })
  const all = [root, mid, leaf, other]
  await writeCar(`${out}/dagcbor.car`, [root.cid], all)
  record('dagcbor.car', { producer: '@ipld/dag-cbor + @ipld/car 5.4.7', root: root.cid.toString(), blocks: all.map(b => b.cid.toString()) })
  const missing = [root, mid, other]
  await writeCar(`${out}/dagcbor-missing-leaf.car`, [root.cid], missing)
  record('dagcbor-missing-leaf.car', { producer: '@ipld/dag-cbor + @ipld/car 5.4.7', root: root.cid.toString(), blocks: missing.map(b => b.cid.toString()), missing: [leaf.cid.toString()] })
}

// --- CID strings in every base, computed by js-multiformats ---
{
  const bases = { base16, base16upper, base32, base32upper, base36, base36upper, base58btc, base64, base64url }
  const rows = []
  let seed = 7n
  const next = () => { seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn; return Number(seed >> 56n) }
  const digestOf = n => Uint8Array.from({ length: n }, next)
  const cases = [
    [0, dagPB.code, 0x12, 32], [1, dagPB.code, 0x12, 32], [1, raw.code, 0x12, 32],
    [1, dagCBOR.code, 0xb220, 32], [1, 0x0129, 0x13, 64], [1, 0x72, 0x00, 36],
    [1, 0x78, 0x11, 20], [1, 0x55, 0x1e, 32], [1, 0x300001, 0x1b, 32], [1, raw.code, 0x00, 0]
  ]
  for (const [v, codec, code, len] of cases) {
    const cid = CID.create(v, codec, mhCreate(code, digestOf(len)))
    const row = { version: v, codec, hash: code, digest: hex(cid.multihash.digest), bytes: hex(cid.bytes), default: cid.toString() }
    if (v === 1) for (const [n, b] of Object.entries(bases)) row[n] = cid.toString(b)
    rows.push(row)
  }
  await writeFile(`${out}/cids.json`, JSON.stringify({ generatedBy: 'testdata/regen.mjs (multiformats 14)', cids: rows }, null, 1) + '\n')
}

// --- Digests by @noble/hashes, to check our hash functions against ---
{
  const inputs = ['', 'abc', 'The quick brown fox jumps over the lazy dog', 'x'.repeat(1000)]
  const fns = {
    sha1, 'sha2-256': nsha2.sha256, 'sha2-512': nsha2.sha512,
    'sha3-224': nsha3.sha3_224, 'sha3-256': nsha3.sha3_256, 'sha3-384': nsha3.sha3_384, 'sha3-512': nsha3.sha3_512,
    'keccak-256': nsha3.keccak_256,
    'blake2b-256': d => blake2b(d, { dkLen: 32 }), 'blake2b-512': d => blake2b(d, { dkLen: 64 }),
    'blake2s-256': d => blake2s(d, { dkLen: 32 }), blake3: d => blake3(d)
  }
  const rows = []
  for (const s of inputs) {
    const bytes = new TextEncoder().encode(s)
    for (const [name, f] of Object.entries(fns)) rows.push({ input: s, hash: name, digest: hex(f(bytes)) })
  }
  await writeFile(`${out}/multihash-digests.json`, JSON.stringify({ generatedBy: 'testdata/regen.mjs (@noble/hashes 2)', digests: rows }, null, 1) + '\n')
}

// --- UnixFS layouts for extract (issue 3) ---
const sha = b => hex(nsha2.sha256(b))

/** Blocks in the order the importer put them: leaves first, root last (as ipfs-car writes). */
const putOrder = store => [...store.blocks.values()]

{
  // The image in leaves-first order.
  const { root, store } = await importFile('lolcow.sif', sif, kuboOptions())
  const blocks = putOrder(store)
  await writeCar(`${out}/lolcow-leaves-first.car`, [root], blocks)
  record('lolcow-leaves-first.car', { producer: 'ipfs-unixfs-importer 17.1.1 (kubo) + @ipld/car 5.4.7, blocks in the order the importer wrote them (leaves first)', root: root.toString(), blocks: blocks.map(b => b.cid.toString()), content: { name: 'lolcow.sif', size: sif.length, sha256: sifSha } })
}
{
  // The unixfs-v1-2025 profile (IPIP-499): 1 MiB chunks. Zeros, so one 1 MiB leaf serves twice.
  const zeros = new Uint8Array(2 * 1048576 + 1)
  const { root, store } = await importFile('zeros', zeros, { profile: 'unixfs-v1-2025', reduceSingleLeafToSelf: true })
  const blocks = dfsOrder(root, store)
  await writeCar(`${out}/zeros-v1-2025.car`, [root], blocks)
  record('zeros-v1-2025.car', { producer: 'ipfs-unixfs-importer 17.1.1 (profile unixfs-v1-2025) + @ipld/car 5.4.7, dag export order', root: root.toString(), blocks: blocks.map(b => b.cid.toString()), content: { size: zeros.length, sha256: sha(zeros) } })
}
{
  // A file of zeros under the Kubo profile: one 256 KiB leaf used four times, plus a tail.
  const zeros = new Uint8Array(4 * 262144 + 10)
  const { root, store } = await importFile('zeros', zeros, kuboOptions())
  const blocks = dfsOrder(root, store)
  await writeCar(`${out}/zeros-kubo.car`, [root], blocks)
  record('zeros-kubo.car', { producer: 'ipfs-unixfs-importer 17.1.1 (kubo) + @ipld/car 5.4.7, dag export order', root: root.toString(), blocks: blocks.map(b => b.cid.toString()), content: { size: zeros.length, sha256: sha(zeros) } })
}
{
  // A tree: nested and empty directories, modes and mtimes, a HAMT-sharded directory of
  // thousands of entries, and (built by hand with ipfs-unixfs) symlinks.
  const entries = [
    { path: 'tree/a/b/c.txt', content: new TextEncoder().encode('deep file\n'), mode: 0o640, mtime: { secs: 1700000000n, nsecs: 500 } },
    { path: 'tree/a/run.sh', content: new TextEncoder().encode('#!/bin/sh\necho hi\n'), mode: 0o755 },
    { path: 'tree/a/empty' },
    { path: 'tree/empty-top' },
    { path: 'tree/data.bin', content: splitmix(3, 20000) },
    { path: 'tree/zero-length' , content: new Uint8Array(0) }
  ]
  // 2,000 entries pass a 64 KiB threshold (Kubo's is 256 KiB: the layout is the same, the
  // fixture four times smaller). Each file holds its number and a newline.
  const many = 2000
  for (let i = 0; i < many; i++) {
    const name = `entry-${String(i).padStart(5, '0')}.txt`
    entries.push({ path: `tree/sharded/${name}`, content: new TextEncoder().encode(`${i}\n`) })
  }
  const store = memoryStore()
  const made = {}
  for await (const e of importer(entries, store, { ...kuboOptions(), shardSplitThresholdBytes: 65536 })) made[e.path] = e.cid
  const treeCid = made.tree
  // Symlinks and a top directory by hand.
  const putNode = async (node) => {
    const bytes = dagPB.encode(dagPB.prepare(node))
    const cid = CID.create(1, dagPB.code, await sha256.digest(bytes))
    await store.put(cid, bytes)
    return { cid, size: bytes.length }
  }
  const link1 = await putNode({ Data: new UnixFS({ type: 'symlink', data: new TextEncoder().encode('../tree/a/b/c.txt') }).marshal() })
  const link2 = await putNode({ Data: new UnixFS({ type: 'symlink', data: new TextEncoder().encode('/etc/passwd') }).marshal() })
  const links = await putNode({
    Data: new UnixFS({ type: 'directory' }).marshal(),
    Links: [{ Name: 'abs', Hash: link2.cid, Tsize: link2.size }, { Name: 'to-c', Hash: link1.cid, Tsize: link1.size }]
  })
  const treeBytes = store.blocks.get(treeCid.toString()).bytes
  const top = await putNode({
    Data: new UnixFS({ type: 'directory' }).marshal(),
    Links: [{ Name: 'links', Hash: links.cid, Tsize: links.size }, { Name: 'tree', Hash: treeCid, Tsize: treeBytes.length }]
  })
  const sharded = store.blocks.get(made['tree/sharded'].toString()).bytes
  const shardType = UnixFS.unmarshal(dagPB.decode(sharded).Data).type
  const blocks = dfsOrder(top.cid, store)
  await writeCar(`${out}/tree.car`, [top.cid], blocks)
  const files = {}
  for (const e of entries) if (e.content && !e.path.startsWith('tree/sharded/')) files[e.path] = { size: e.content.length, sha256: sha(e.content), mode: e.mode ?? null, mtime: e.mtime ? Number(e.mtime.secs) : null }
  record('tree.car', { producer: 'ipfs-unixfs-importer 17.1.1 (kubo) + ipfs-unixfs 13 symlinks + @ipld/car 5.4.7, dag export order', root: top.cid.toString(), blockCount: blocks.length, shardedDirectory: 'tree/sharded', shardedType: shardType, shardedEntries: many, directories: ['links', 'tree', 'tree/a', 'tree/a/b', 'tree/a/empty', 'tree/empty-top', 'tree/sharded'], symlinks: { 'links/abs': '/etc/passwd', 'links/to-c': '../tree/a/b/c.txt' }, files })
  // The same tree as ipfs-car packs it (its own layout and order).
  await writeCar(`${out}/tree-leaves-first.car`, [top.cid], putOrder(store).filter(b => blocks.some(x => x.cid.equals(b.cid))))
  record('tree-leaves-first.car', { producer: 'same blocks as tree.car, in the order the importer wrote them (leaves first, root last)', root: top.cid.toString(), blockCount: blocks.length })
}
{
  // Random contents through several layouts, small chunks so that trees are deep.
  const cases = []
  const layouts = [
    ['balanced-raw-v1', { cidVersion: 1, rawLeaves: true, layout: balanced({ maxChildrenPerNode: 4 }) }],
    ['balanced-pb-v0', { cidVersion: 0, rawLeaves: false, layout: balanced({ maxChildrenPerNode: 3 }) }],
    ['trickle-raw-v1', { cidVersion: 1, rawLeaves: true, layout: trickle({ maxChildrenPerNode: 5, layerRepeat: 2 }) }],
    ['trickle-pb-raw-type', { cidVersion: 1, rawLeaves: false, leafType: 'raw', reduceSingleLeafToSelf: false, layout: trickle({ maxChildrenPerNode: 4, layerRepeat: 1 }) }]
  ]
  let k = 0
  for (const [name, opts] of layouts) {
    for (const size of [0, 1, 1023, 1024, 1025, 9000, 33333]) {
      const content = splitmix(1000 + k, size)
      const chunkSize = 1024
      const { root, store } = await importFile('f', content, { ...opts, chunker: fixedSize({ chunkSize }) })
      const file = `random/${name}-${size}.car`
      await writeCar(`${out}/${file}`, [root], dfsOrder(root, store))
      cases.push({ file, layout: name, size, root: root.toString(), sha256: sha(content) })
      k++
    }
  }
  record('random', { producer: 'ipfs-unixfs-importer 17.1.1 with 1024-byte chunks and the layouts named, + @ipld/car 5.4.7', cases })
}

// --- Import vectors for car pack / car cid (issue 4): trees given as recipes, CIDs by the JS importer ---
{
  const materialize = (recipe) => {
    const [kind, a, b] = recipe.split(':')
    if (kind === 'zeros') return new Uint8Array(Number(a))
    if (kind === 'splitmix') return splitmix(Number(a), Number(b))
    if (kind === 'text') return new TextEncoder().encode(recipe.slice(5))
    throw new Error(recipe)
  }
  const K = 262144
  const cases = []
  const add = async (name, profile, cidVersion, wrap, entries, recorded = entries) => {
    const opts = profile === 'unixfs-v1-2025'
      ? { profile: 'unixfs-v1-2025', cidVersion }
      : { ...kuboOptions(cidVersion === 0), wrapWithDirectory: false }
    if (cidVersion === 0) { opts.rawLeaves = false }
    opts.wrapWithDirectory = wrap
    const input = entries.map(e => e.content === 'dir' ? { path: e.path } : { path: e.path, content: materialize(e.content) })
    let last
    const byPath = {}
    for await (const r of importer(input, memoryStore(), opts)) { last = r; byPath[r.path] = r.cid }
    const top = entries[0].path.split('/')[0]
    const root = wrap ? last.cid : (byPath[top] ?? last.cid)
    cases.push({ name, profile, cidVersion, wrap, entries: recorded, cid: root.toString() })
  }
  for (const size of [0, 1, K - 1, K, K + 1, 3 * K + 5]) {
    await add(`file-${size}-v0`, 'kubo', 0, false, [{ path: 'f', content: `splitmix:11:${size}` }])
  }
  await add('file-v0-wrapped', 'kubo', 0, true, [{ path: 'img.sif', content: `splitmix:12:${2 * K + 1}` }])
  for (const size of [0, 1, 1048575, 1048576, 1048577]) {
    await add(`file-${size}-v1-2025`, 'unixfs-v1-2025', 1, false, [{ path: 'f', content: `zeros:${size}` }])
  }
  const tree = [
    { path: 'proj/README', content: 'text:hello\n' },
    { path: 'proj/empty-file', content: 'zeros:0' },
    { path: 'proj/empty-dir', content: 'dir' },
    { path: 'proj/src/a.txt', content: 'text:a\n' },
    { path: 'proj/src/deep/b.bin', content: `splitmix:5:${K + 10}` },
    { path: 'proj/src/deep/empty', content: 'dir' },
    { path: 'proj/\u00e9t\u00e9.txt', content: 'text:summer\n' }
  ]
  for (const [profile, v] of [['kubo', 1], ['kubo', 0], ['unixfs-v1-2025', 1]]) {
    await add(`tree-${profile}-v${v}`, profile, v, false, tree)
    await add(`tree-${profile}-v${v}-wrapped`, profile, v, true, tree)
  }
  // Recorded as {"many": n}: file i is big/file-with-a-long-descriptive-name-NNNN.txt holding "i\n".
  const many = (n) => Array.from({ length: n }, (_, i) => ({ path: `big/file-with-a-long-descriptive-name-${String(i).padStart(4, '0')}.txt`, content: `text:${i}\n` }))
  // 3,500 entries: past 256 KiB by both estimates. 3,300: under it for Kubo's links-bytes
  // estimate (names + CIDs), over it for unixfs-v1-2025's exact block size.
  await add('hamt-3500-kubo', 'kubo', 1, false, many(3500), { many: 3500 })
  await add('hamt-3500-v1-2025', 'unixfs-v1-2025', 1, false, many(3500), { many: 3500 })
  await add('flat-3300-kubo', 'kubo', 1, false, many(3300), { many: 3300 })
  await add('hamt-3300-v1-2025', 'unixfs-v1-2025', 1, false, many(3300), { many: 3300 })
  await add('hamt-3500-kubo-v0', 'kubo', 0, false, many(3500), { many: 3500 })
  await writeFile(`${out}/import-vectors.json`, JSON.stringify({ generatedBy: 'testdata/regen.mjs (ipfs-unixfs-importer 17.1.1)', cases }, null, 1) + '\n')
}

// --- ipfs-car's own layout (leaves first, root last), through its CLI ---
{
  execFileSync('npx', ['--no-install', 'ipfs-car', 'pack', 'lolcow.sif', '--no-wrap', '--output', `${out}/lolcow-ipfs-car.car`], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] })
  const reader = await CarReader.fromBytes(new Uint8Array(await readFile(`${out}/lolcow-ipfs-car.car`)))
  const roots = await reader.getRoots()
  const blocks = []
  for await (const b of reader.blocks()) blocks.push(b.cid.toString())
  record('lolcow-ipfs-car.car', { producer: 'ipfs-car 3.1.0 pack --no-wrap', root: roots[0].toString(), blocks, content: { name: 'lolcow.sif', size: sif.length, sha256: sifSha } })
}

await writeFile(`${out}/fixtures.json`, JSON.stringify(manifest, null, 1) + '\n')
