// SplittableRandom's longs, little-endian: the content recipe 'splitmix:SEED:N' that the Java
// tests also make (ImporterVectorsTest.content), shared by the fixture scripts here.
export const splitmix = (seed, n) => {
  let s = BigInt(seed) & 0xffffffffffffffffn
  const b = Buffer.alloc(Math.ceil(n / 8) * 8)
  for (let i = 0; i < b.length; i += 8) {
    s = (s + 0x9E3779B97F4A7C15n) & 0xffffffffffffffffn
    let z = s
    z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & 0xffffffffffffffffn
    z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & 0xffffffffffffffffn
    z ^= z >> 31n
    b.writeBigUInt64LE(z, i)
  }
  return new Uint8Array(b.subarray(0, n))
}
