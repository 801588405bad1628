//! Which partition a key goes to. Kafka's default partitioner hashes the key's bytes with
//! murmur2 and takes the result, made positive, modulo the number of partitions
//! (`Utils.toPositive(Utils.murmur2(keyBytes)) % numPartitions`, in
//! `org.apache.kafka.clients.producer.internals.BuiltInPartitioner`). This is that murmur2,
//! checked against the values Kafka's own `UtilsTest.testMurmur2` pins.

/// Kafka's `Utils.murmur2`: MurmurHash2, 32 bits, seed 0x9747b28c.
pub fn murmur2(data: &[u8]) -> i32 {
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let mut h: u32 = 0x9747_b28c ^ data.len() as u32;
    let mut words = data.chunks_exact(4);
    for word in &mut words {
        let mut k = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let rest = words.remainder();
    if rest.len() >= 3 {
        h ^= u32::from(rest[2]) << 16;
    }
    if rest.len() >= 2 {
        h ^= u32::from(rest[1]) << 8;
    }
    if !rest.is_empty() {
        h ^= u32::from(rest[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// The partition of a keyed record, as Kafka's default partitioner picks it. A negative hash is
/// made positive by clearing its sign bit, as `Utils.toPositive` does, not by `abs`.
pub fn partition_for(key: &[u8], partitions: usize) -> usize {
    (murmur2(key) & 0x7fff_ffff) as usize % partitions.max(1)
}

/// A key's letter on the stage: A to P.
pub fn key_letter(key: u8) -> char {
    char::from(b'A' + key % 26)
}

/// The key's bytes as the producer sends them: `user-A` to `user-P`.
pub fn key_name(key: u8) -> String {
    format!("user-{}", key_letter(key))
}
