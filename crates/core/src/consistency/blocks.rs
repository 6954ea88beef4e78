//! Text read 64 bytes at a time as bit masks, for the search of keywords, which looks at every
//! byte of every text: a mask costs a few operations per eight bytes and no branch per byte,
//! where a loop over the bytes pays a mispredicted branch at nearly every word's end.

/// Bytes in a block: one bit of a `u64` each.
pub(super) const BLOCK: usize = 64;

/// For 64 bytes: the bits of the ASCII characters that are not part of a word, and the bits
/// of the bytes that start a character beyond ASCII. Eight bytes at a time in a `u64`, with
/// no branch per byte.
pub(super) fn classify(block: &[u8; BLOCK]) -> (u64, u64) {
    let mut other = 0;
    let mut leads = 0;
    for (i, chunk) in block.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let (o, l) = classify8(u64::from_le_bytes(word));
        other |= o << (8 * i);
        leads |= l << (8 * i);
    }
    (other, leads)
}

const LANES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte lane whose 7-bit value `x` (high bits clear) lies in `lo..=hi`.
/// No lane carries into the next: each sum stays below 0x100.
fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = x + LANES * u64::from(0x80 - lo);
    let above_hi = x + LANES * u64::from(0x7F - hi);
    at_least_lo & !above_hi & HIGH
}

/// One bit per byte of `x`: the high bits of its lanes, gathered into the low 8 bits.
fn gather(high_bits: u64) -> u64 {
    ((high_bits >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

fn classify8(x: u64) -> (u64, u64) {
    let beyond = x & HIGH;
    let ascii = x & !HIGH;
    let word = in_range(ascii | (LANES * 0x20), b'a', b'z')
        | in_range(ascii, b'0', b'9')
        | in_range(ascii, b'_', b'_')
        | beyond;
    // A lead byte of a character beyond ASCII is 11xxxxxx.
    let leads = beyond & (x << 1);
    (gather(!word & HIGH), gather(leads))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn masks_say_what_each_byte_is(block in proptest::prelude::any::<[u8; BLOCK]>()) {
            let (other, leads) = classify(&block);
            for (i, &b) in block.iter().enumerate() {
                let ascii_other = b.is_ascii() && !(b.is_ascii_alphanumeric() || b == b'_');
                proptest::prop_assert_eq!(other >> i & 1 == 1, ascii_other, "byte {} at {}", b, i);
                proptest::prop_assert_eq!(leads >> i & 1 == 1, b >= 0xC0, "byte {} at {}", b, i);
            }
        }
    }
}
