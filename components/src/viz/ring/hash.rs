//! The two hash functions a reader can choose between. Both are written out here (no crate)
//! so the model stays small and its results are identical on every machine and in the browser.

/// Which function turns a key name or a virtual-node label into a position on the ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashFunction {
    /// FNV-1a, 64-bit: tiny and fast, but its last input byte barely reaches the high bits, so
    /// names that differ only at the end ("user:10", "user:11") land close together.
    Fnv1a,
    /// MurmurHash3 x64_128 with seed 0, keeping the first 64-bit half: every input bit
    /// spreads over the whole output.
    Murmur3,
}

impl HashFunction {
    pub const ALL: [HashFunction; 2] = [HashFunction::Fnv1a, HashFunction::Murmur3];

    pub fn hash(self, bytes: &[u8]) -> u64 {
        match self {
            HashFunction::Fnv1a => fnv1a_64(bytes),
            HashFunction::Murmur3 => murmur3_x64_128(bytes, 0).0,
        }
    }

    /// The value the URL carries (`hash=fnv1a`).
    pub fn key(self) -> &'static str {
        match self {
            HashFunction::Fnv1a => "fnv1a",
            HashFunction::Murmur3 => "murmur3",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HashFunction::Fnv1a => "FNV-1a",
            HashFunction::Murmur3 => "MurmurHash3",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|function| function.key() == key)
    }
}

/// FNV-1a, 64-bit (Fowler, Noll, Vo): xor each byte in, then multiply by the FNV prime.
pub fn fnv1a_64(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(PRIME))
}

/// MurmurHash3_x64_128 (Austin Appleby's reference `MurmurHash3.cpp`), returned as `(h1, h2)`:
/// the digest's bytes are `h1` then `h2`, each little-endian, so `h1` is its low 64 bits.
pub fn murmur3_x64_128(bytes: &[u8], seed: u32) -> (u64, u64) {
    const C1: u64 = 0x87c3_7b91_1142_53d5;
    const C2: u64 = 0x4cf5_ad43_2745_937f;
    let mix_k1 = |k1: u64| k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
    let mix_k2 = |k2: u64| k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);

    let (mut h1, mut h2) = (u64::from(seed), u64::from(seed));
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        let (low, high) = block.split_at(8);
        h1 ^= mix_k1(little_endian(low));
        h1 = h1.rotate_left(27).wrapping_add(h2).wrapping_mul(5).wrapping_add(0x52dc_e729);
        h2 ^= mix_k2(little_endian(high));
        h2 = h2.rotate_left(31).wrapping_add(h1).wrapping_mul(5).wrapping_add(0x3849_5ab5);
    }

    let tail = blocks.remainder();
    let (low, high) = tail.split_at(tail.len().min(8));
    if !high.is_empty() {
        h2 ^= mix_k2(little_endian(high));
    }
    if !low.is_empty() {
        h1 ^= mix_k1(little_endian(low));
    }

    let length = bytes.len() as u64;
    h1 ^= length;
    h2 ^= length;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (h1, h2)
}

/// MurmurHash3's finalizer: a bijection on `u64` that lets every input bit flip about half the
/// output bits. Also used to mix a key's hash with a node's for rendezvous scores.
pub fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// Reads up to 8 bytes as a little-endian number (short slices are the zero-padded tail).
fn little_endian(bytes: &[u8]) -> u64 {
    bytes.iter().rev().fold(0, |value, &byte| (value << 8) | u64::from(byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        // From the FNV reference test suite.
        assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fnv1a_of_one_byte_worked_by_hand() {
        // ("" basis ^ 0x61) * prime, by hand: 0xcbf29ce484222325 ^ 0x61 = 0xcbf29ce484222344.
        let expected = 0xcbf2_9ce4_8422_2344u64.wrapping_mul(0x100_0000_01b3);
        assert_eq!(fnv1a_64(b"a"), expected);
    }

    #[test]
    fn murmur3_matches_known_outputs() {
        // Empty input, seed 0: every step keeps zero (fmix64(0) = 0).
        assert_eq!(murmur3_x64_128(b"", 0), (0, 0));
        // Values from Guava's Murmur3_128HashFunctionTest, also used by other ports.
        assert_eq!(murmur3_x64_128(b"hello", 0), (0xcbd8_a7b3_41bd_9b02, 0x5b1e_906a_48ae_1d19));
        assert_eq!(murmur3_x64_128(b"The quick brown fox jumps over the lazy dog", 0), (0xe34b_bc7b_bc07_1b6c, 0x7a43_3ca9_c49a_9347));
        assert_eq!(murmur3_x64_128(b"The quick brown fox jumps over the lazy cog", 0).0, 0x658c_a970_ff85_269a);
        assert_eq!(HashFunction::Murmur3.hash(b"hello"), 0xcbd8_a7b3_41bd_9b02);
    }

    #[test]
    fn murmur3_passes_the_smhasher_verification_test() {
        // SMHasher's VerificationTest covers every tail length and seed handling at once: hash
        // the keys [0], [0, 1], … (key i is bytes 0..i with seed 256 - i), concatenate the
        // digests, hash that with seed 0; the first four bytes must read 0x6384BA69.
        let key: Vec<u8> = (0..=255u8).collect();
        let mut digests = Vec::with_capacity(256 * 16);
        for length in 0..256usize {
            let (h1, h2) = murmur3_x64_128(&key[..length], 256 - length as u32);
            digests.extend_from_slice(&h1.to_le_bytes());
            digests.extend_from_slice(&h2.to_le_bytes());
        }
        let (h1, _) = murmur3_x64_128(&digests, 0);
        assert_eq!(h1 as u32, 0x6384_BA69);
    }

    #[test]
    fn the_finalizer_fixes_zero_and_spreads_one_bit() {
        assert_eq!(fmix64(0), 0);
        let flipped = (fmix64(1) ^ fmix64(0)).count_ones();
        assert!((16..=48).contains(&flipped), "{flipped} bits flipped");
    }

    #[test]
    fn keys_round_trip() {
        for function in HashFunction::ALL {
            assert_eq!(HashFunction::from_key(function.key()), Some(function));
        }
        assert_eq!(HashFunction::from_key("md5"), None);
    }
}
