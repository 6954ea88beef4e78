//! Text read 64 bytes at a time as bit masks, for the search of keywords, which looks at every
//! byte of every text: a mask costs a few operations per eight bytes and no branch per byte,
//! where a loop over the bytes pays a mispredicted branch at nearly every word's end.

/// Bytes in a block: one bit of a `u64` each.
pub(super) const BLOCK: usize = 64;

/// What each byte of a block is, one bit per byte.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Classes {
    /// ASCII characters that are not part of a word (all but letters, digits and `_`).
    pub(super) other: u64,
    /// Bytes that start a character beyond ASCII.
    pub(super) leads: u64,
    /// Bytes that continue a character beyond ASCII.
    pub(super) continuations: u64,
}

/// What each of 64 bytes is. Eight bytes at a time in a `u64`, with no branch per byte.
#[inline]
pub(super) fn classify(block: &[u8; BLOCK]) -> Classes {
    let mut classes = Classes::default();
    for (i, chunk) in block.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let (other, leads, continuations) = classify8(u64::from_le_bytes(word));
        classes.other |= other << (8 * i);
        classes.leads |= leads << (8 * i);
        classes.continuations |= continuations << (8 * i);
    }
    classes
}

/// The `N` bytes of `bytes` from `at`: read in place, or near the end copied into `pad` and
/// padded with 0 (which is not part of a word). The caller keeps `pad`, so that a block read
/// in place costs no copy and no zeroing.
pub(super) fn window<'b, const N: usize>(
    bytes: &'b [u8],
    at: usize,
    pad: &'b mut [u8; N],
) -> &'b [u8; N] {
    let rest = bytes.get(at..).unwrap_or_default();
    match rest.first_chunk() {
        Some(window) => window,
        None => {
            pad.fill(0);
            pad[..rest.len()].copy_from_slice(rest);
            pad
        }
    }
}

/// For the block of `text` at `at` (its bytes in `block`): the bits of the bytes that are not
/// part of a word, and those of the bytes that continue a character beyond ASCII (where no
/// character starts). Not part of a word are the ASCII characters other than letters, digits and `_`, and
/// every byte of a character beyond ASCII that `is_word_char` refuses: dashes, quotes and
/// no-break spaces are not part of words, letters with accents and umlauts are. Such a
/// character's bytes that run into the next block are carried in `spill`, out of this call and
/// into the next.
#[inline]
pub(super) fn non_word_bytes(
    block: &[u8; BLOCK],
    text: &str,
    at: usize,
    spill: &mut u64,
    is_word_char: impl Fn(char) -> bool,
) -> (u64, u64) {
    let Classes {
        mut other,
        mut leads,
        continuations,
    } = classify(block);
    other |= std::mem::take(spill);
    // Only the characters beyond ASCII are decoded, one at each lead byte.
    while leads != 0 {
        let i = leads.trailing_zeros() as usize;
        leads &= leads - 1;
        let Some(c) = text.get(at + i..).and_then(|t| t.chars().next()) else {
            continue;
        };
        if !is_word_char(c) {
            let bytes = (1u64 << c.len_utf8()) - 1;
            other |= bytes << i;
            if i + c.len_utf8() > BLOCK {
                *spill |= bytes >> (BLOCK - i);
            }
        }
    }
    (other, continuations)
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

/// The high bit of each byte lane of `x` that holds a byte which may end a sentence: a line
/// break, `.`, `!` or `?`. Eight bytes with no branch, for the search of sentences' ends.
pub(super) fn sentence_marks(x: u64) -> u64 {
    let zero = |y: u64| !(((y & !HIGH) + !HIGH) | y | !HIGH);
    let equal = |byte: u8| zero(x ^ (LANES * u64::from(byte)));
    equal(b'\n') | equal(b'.') | equal(b'!') | equal(b'?')
}

/// One bit per byte of `x`: the high bits of its lanes, gathered into the low 8 bits.
fn gather(high_bits: u64) -> u64 {
    ((high_bits >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

fn classify8(x: u64) -> (u64, u64, u64) {
    let beyond = x & HIGH;
    let ascii = x & !HIGH;
    let word = in_range(ascii | (LANES * 0x20), b'a', b'z')
        | in_range(ascii, b'0', b'9')
        | in_range(ascii, b'_', b'_')
        | beyond;
    // A lead byte of a character beyond ASCII is 11xxxxxx, a continuation byte 10xxxxxx.
    let leads = beyond & (x << 1);
    let continuations = beyond & !(x << 1);
    (gather(!word & HIGH), gather(leads), gather(continuations))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn sentence_marks_are_the_line_breaks_and_stops(
            bytes in proptest::prelude::any::<[u8; 8]>(),
            marks in proptest::collection::vec((0..8usize, proptest::sample::select(b"\n.!?".to_vec())), 0..4),
        ) {
            let mut bytes = bytes;
            for (i, mark) in marks {
                bytes[i] = mark;
            }
            let found = sentence_marks(u64::from_le_bytes(bytes));
            for (i, b) in bytes.iter().enumerate() {
                proptest::prop_assert_eq!(
                    found >> (8 * i + 7) & 1 == 1,
                    b"\n.!?".contains(b),
                    "byte {} at {}", b, i
                );
            }
            proptest::prop_assert_eq!(found & !HIGH, 0);
        }

        #[test]
        fn masks_say_what_each_byte_is(block in proptest::prelude::any::<[u8; BLOCK]>()) {
            let classes = classify(&block);
            for (i, &b) in block.iter().enumerate() {
                let ascii_other = b.is_ascii() && !(b.is_ascii_alphanumeric() || b == b'_');
                let bit = |mask: u64| mask >> i & 1 == 1;
                proptest::prop_assert_eq!(bit(classes.other), ascii_other, "byte {} at {}", b, i);
                proptest::prop_assert_eq!(bit(classes.leads), b >= 0xC0, "byte {} at {}", b, i);
                proptest::prop_assert_eq!(
                    bit(classes.continuations),
                    (0x80..0xC0).contains(&b),
                    "byte {} at {}",
                    b,
                    i
                );
            }
        }
    }
}
