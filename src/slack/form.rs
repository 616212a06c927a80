//! `application/x-www-form-urlencoded` bodies, decoded in one pass.
//!
//! Slash commands and interactions arrive as forms. A general form
//! deserializer decodes every field into a fresh string, swaps bytes that are
//! not UTF-8 for U+FFFD without a word, and needs a second pass to catch that.
//! Here a caller names the fields it wants; only those are decoded, a field
//! without escapes is borrowed rather than copied, and a value that decodes
//! to invalid UTF-8 is an error, never silently altered text.
//!
//! The syntax is the WHATWG one every browser and Slack use: pairs split on
//! `&` (empty pairs skipped), key and value split on the first `=` (a pair
//! without one has an empty value), `+` is a space, and `%` followed by two
//! hex digits is a byte; any other `%` stays as it is.

use std::borrow::Cow;

use super::payload::PayloadError;

/// Decodes the named fields of `body`; every other field is ignored, since
/// Slack adds fields over time. A named field that appears twice is an error,
/// because which of the two is meant cannot be known.
pub(crate) fn fields<'a, const N: usize>(
    body: &'a str,
    names: [&str; N],
) -> Result<[Option<Cow<'a, str>>; N], PayloadError> {
    let mut found: [Option<Cow<'a, str>>; N] = std::array::from_fn(|_| None);
    for pair in Pairs::new(body) {
        let key = decode(pair.key, pair.key_escaped)?;
        let Some(slot) = slot_of(&names, &key) else {
            // Unwanted values are still checked, so a body is accepted or
            // refused as a whole, whichever fields a caller asks for.
            decode(pair.value, pair.value_escaped)?;
            continue;
        };
        if found[slot].is_some() {
            return Err(PayloadError::Form(format!("duplicate field `{key}`")));
        }
        found[slot] = Some(decode(pair.value, pair.value_escaped)?);
    }
    Ok(found)
}

/// Which of `names` is `key`. Names are short; checking length and first
/// byte before comparing skips nearly every comparison that would fail.
fn slot_of(names: &[&str], key: &str) -> Option<usize> {
    let first = key.as_bytes().first();
    names
        .iter()
        .position(|n| n.len() == key.len() && n.as_bytes().first() == first && *n == key)
}

/// One raw `key=value`, with whether each side holds a `%` or `+`.
struct Pair<'a> {
    key: &'a str,
    value: &'a str,
    key_escaped: bool,
    value_escaped: bool,
}

/// The non-empty pairs of a body.
struct Pairs<'a> {
    rest: &'a str,
}

impl<'a> Pairs<'a> {
    fn new(body: &'a str) -> Self {
        Pairs { rest: body }
    }
}

impl<'a> Iterator for Pairs<'a> {
    type Item = Pair<'a>;

    #[inline]
    fn next(&mut self) -> Option<Pair<'a>> {
        loop {
            let bytes = self.rest.as_bytes();
            if bytes.is_empty() {
                return None;
            }
            // The key is short, so it is scanned by hand up to `=` or `&`.
            // A value may run to hundreds of bytes, so one SIMD search finds
            // its end or its first escape, whichever comes first; only a
            // value with escapes needs a second search for its end. Every
            // cut is at an ASCII byte, so on a character boundary.
            let mut key_end = 0;
            let mut key_escaped = false;
            while let Some(&b) = bytes.get(key_end) {
                if b == b'=' || b == b'&' {
                    break;
                }
                key_escaped |= needs_decoding(b);
                key_end += 1;
            }
            let (value, end, value_escaped) = if bytes.get(key_end) == Some(&b'=') {
                let start = key_end + 1;
                match memchr::memchr3(b'&', b'%', b'+', &bytes[start..]).map(|i| start + i) {
                    None => (&self.rest[start..], bytes.len(), false),
                    Some(amp) if bytes[amp] == b'&' => (&self.rest[start..amp], amp, false),
                    Some(escape) => {
                        let end = memchr::memchr(b'&', &bytes[escape..])
                            .map_or(bytes.len(), |i| escape + i);
                        (&self.rest[start..end], end, true)
                    }
                }
            } else {
                ("", key_end, false)
            };
            let key = &self.rest[..key_end];
            self.rest = self.rest.get(end + 1..).unwrap_or("");
            if end == 0 {
                continue;
            }
            return Some(Pair {
                key,
                value,
                key_escaped,
                value_escaped,
            });
        }
    }
}

fn needs_decoding(byte: u8) -> bool {
    byte == b'%' || byte == b'+'
}

/// One key or value: `+` becomes a space and `%XX` a byte. Borrowed when
/// there is nothing to decode, which is most of what Slack sends.
// Inlined so the common borrowed case never goes through memory: returning
// the result from a call cost a store-forwarding stall per field.
#[inline]
fn decode(raw: &str, escaped: bool) -> Result<Cow<'_, str>, PayloadError> {
    if escaped {
        unescape(raw).map(Cow::Owned)
    } else {
        Ok(Cow::Borrowed(raw))
    }
}

fn unescape(raw: &str) -> Result<String, PayloadError> {
    let bytes = raw.as_bytes();
    // Spaces first, in one branch-free pass the compiler vectorizes; then
    // escapes, compacting in place. Hex digits are never `+`, so the order
    // is safe.
    let mut out: Vec<u8> = bytes
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    if let Some(first) = memchr::memchr(b'%', &out) {
        let (mut read, mut write) = (first, first);
        while read < out.len() {
            // `out[read]` is a `%` here.
            match (hex_at(&out, read + 1), hex_at(&out, read + 2)) {
                (Some(hi), Some(lo)) => {
                    out[write] = (hi << 4) | lo;
                    read += 3;
                }
                _ => {
                    out[write] = b'%';
                    read += 1;
                }
            }
            write += 1;
            let next = memchr::memchr(b'%', &out[read..]).map_or(out.len(), |p| read + p);
            out.copy_within(read..next, write);
            write += next - read;
            read = next;
        }
        out.truncate(write);
    }
    String::from_utf8(out).map_err(|_| PayloadError::NotUtf8)
}

fn hex_at(bytes: &[u8], at: usize) -> Option<u8> {
    bytes.get(at).copied().and_then(hex_digit)
}

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn one(body: &str, name: &str) -> Result<Option<String>, PayloadError> {
        fields(body, [name]).map(|[v]| v.map(Cow::into_owned))
    }

    #[test]
    fn decodes_plus_and_escapes() {
        assert_eq!(
            one("text=a+b%2Cc%20d", "text"),
            Ok(Some("a b,c d".to_owned()))
        );
        assert_eq!(
            one("text=caf%C3%A9+%E2%9C%85", "text"),
            Ok(Some("café ✅".to_owned()))
        );
    }

    #[test]
    fn a_percent_without_two_hex_digits_stays_literal() {
        assert_eq!(one("text=100%", "text"), Ok(Some("100%".to_owned())));
        assert_eq!(one("text=%zz%4", "text"), Ok(Some("%zz%4".to_owned())));
        assert_eq!(
            one("text=%41%zz%42%", "text"),
            Ok(Some("A%zzB%".to_owned()))
        );
    }

    #[test]
    fn pairs_without_a_value_and_empty_pairs() {
        assert_eq!(
            fields("&&a&b=&c=x=y&", ["a", "b", "c"]),
            Ok([Some("".into()), Some("".into()), Some("x=y".into())])
        );
        assert_eq!(one("", "a"), Ok(None));
    }

    #[test]
    fn keys_are_decoded_before_they_are_matched() {
        assert_eq!(one("user%5Fid=U1", "user_id"), Ok(Some("U1".to_owned())));
    }

    #[test]
    fn a_repeated_wanted_field_names_itself() {
        assert_eq!(
            one("user_id=U1&user_id=U2", "user_id"),
            Err(PayloadError::Form("duplicate field `user_id`".to_owned()))
        );
        // Repeats of fields nobody asked for are not our business.
        assert_eq!(one("x=1&x=2&a=3", "a"), Ok(Some("3".to_owned())));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused_in_any_field() {
        assert_eq!(one("text=%FF", "text"), Err(PayloadError::NotUtf8));
        assert_eq!(one("other=%E2%9C&a=1", "a"), Err(PayloadError::NotUtf8));
        assert_eq!(one("%C3=1", "a"), Err(PayloadError::NotUtf8));
    }

    proptest! {
        /// Whatever a standard encoder produces comes back unchanged.
        #[test]
        fn round_trips_what_serde_urlencoded_writes(
            pairs in prop::collection::vec(("[a-z_]{1,8}", any::<String>()), 0..6)
        ) {
            let mut seen = std::collections::HashMap::new();
            for (k, v) in &pairs {
                seen.entry(k.clone()).or_insert_with(|| v.clone());
            }
            let unique: Vec<_> = pairs.iter().filter(|(k, v)| seen.get(k) == Some(v)).collect();
            let body = serde_urlencoded::to_string(&unique).expect("encodable");
            for (k, v) in &unique {
                let got = one(&body, k);
                if unique.iter().filter(|(k2, _)| k2 == k).count() > 1 {
                    prop_assert!(matches!(got, Err(PayloadError::Form(_))), "{got:?}");
                } else {
                    prop_assert_eq!(got, Ok(Some(v.clone())));
                }
            }
        }

        /// On any input, a value we accept is exactly what the reference
        /// WHATWG parser (as used by serde_urlencoded) decodes, and we refuse
        /// only what that parser would have had to alter.
        #[test]
        fn agrees_with_the_reference_parser(body in "[a-c=&+%0-9A-Fa-f\\x{e9}]{0,40}") {
            let reference: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
            let lossy = reference.iter().any(|(k, v)| k.contains('\u{FFFD}') || v.contains('\u{FFFD}'));
            for name in ["a", "b", "c"] {
                let matches: Vec<_> = reference.iter().filter(|(k, _)| k == name).collect();
                match one(&body, name) {
                    Ok(got) => {
                        prop_assert!(matches.len() <= 1);
                        prop_assert_eq!(got, matches.first().map(|(_, v)| v.clone()));
                    }
                    Err(PayloadError::NotUtf8) => prop_assert!(lossy),
                    Err(PayloadError::Form(_)) => prop_assert!(matches.len() > 1),
                    Err(e) => prop_assert!(false, "unexpected {e:?}"),
                }
            }
        }
    }
}
