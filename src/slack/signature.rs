//! Verification of Slack's request signatures (the `v0` scheme).
//!
//! Every HTTP request Slack sends to the app carries two headers:
//! `X-Slack-Request-Timestamp` (Unix seconds) and `X-Slack-Signature`
//! (`v0=` followed by a lowercase hex HMAC-SHA256). The MAC covers
//! `v0:<timestamp>:<body>`, where the timestamp is the header exactly as
//! received and the body is the raw bytes before any form or JSON decoding.
//!
//! Verification has to happen on those raw bytes, before the request is
//! parsed, and a request that fails it must not reach any handler.
//!
//! Design choices:
//! - Several secrets may be configured at once so that a regenerated secret
//!   can be rolled out without a window in which valid requests bounce. A
//!   request is accepted when any one of them produces its signature.
//! - The clock is a parameter (`now`) so that tests can pin it to the
//!   timestamps of published test vectors.
//! - Nothing here panics on what a client sends: every header and body byte
//!   sequence ends in `Ok(())` or a [`Rejection`].

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Widest gap, in seconds, allowed between the request timestamp and our
/// clock, in either direction.
///
/// The limit bounds how long a captured request can be replayed. It is
/// applied to timestamps in the future as well: a timestamp far ahead of our
/// clock would otherwise stay replayable for as long as it is ahead.
pub const MAX_SKEW_SECS: i64 = 300;

/// The only signature version Slack has defined; also the literal prefix of
/// the basestring.
const VERSION_PREFIX: &[u8] = b"v0=";

/// Length of a hex-encoded SHA-256 MAC.
const SIGNATURE_HEX_LEN: usize = 64;

/// Why a signing-secret configuration was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SecretsError {
    /// Nothing but whitespace was given. Running without a secret would mean
    /// either accepting every request or rejecting every request; neither is
    /// something to discover only when Slack starts calling.
    #[error("no Slack signing secret configured")]
    Empty,
    /// One entry of the comma-separated list is blank (for example `a,,b` or
    /// a trailing comma). This is almost always an editing mistake, so it is
    /// reported rather than skipped.
    #[error("Slack signing secret number {position} in the list is empty")]
    EmptyEntry {
        /// 1-based position of the blank entry.
        position: usize,
    },
    /// The HMAC implementation refused the key. HMAC takes keys of any
    /// length, so this is not expected to happen; it exists so that the
    /// library's fallible constructor is handled without a panic.
    #[error("Slack signing secret cannot be used as an HMAC key")]
    InvalidKey,
}

/// One signing secret, held as an HMAC state that has already absorbed the
/// key, so each request only clones it instead of re-deriving the key pads.
///
/// The secret text itself is not kept, and `Debug` prints a placeholder, so
/// that logging the configuration cannot leak it.
#[derive(Clone)]
struct Secret {
    keyed: HmacSha256,
}

impl Secret {
    /// `raw` must already be trimmed and non-empty; `SigningSecrets::parse`
    /// takes care of that.
    fn new(raw: &str) -> Result<Self, SecretsError> {
        // Slack uses the secret's text as the key, not a hex decoding of it.
        match HmacSha256::new_from_slice(raw.as_bytes()) {
            Ok(keyed) => Ok(Self { keyed }),
            Err(_) => Err(SecretsError::InvalidKey),
        }
    }

    /// HMAC over `v0:{timestamp}:{body}`, fed in pieces so the body is never
    /// copied into a concatenated basestring.
    fn mac(&self, timestamp: &[u8], body: &[u8]) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        mac.update(b"v0:");
        mac.update(timestamp);
        mac.update(b":");
        mac.update(body);
        mac
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// One or more Slack signing secrets.
///
/// More than one is only useful while a secret is being replaced: list the
/// current secret first, keep the old one after it until every instance has
/// the new one, then drop it. The list is never empty.
#[derive(Clone)]
pub struct SigningSecrets(Vec<Secret>);

impl SigningSecrets {
    /// Parses a comma-separated list of secrets, e.g. `new,old`.
    ///
    /// Whitespace around each entry is removed, because values pasted into
    /// environment files or secret stores often pick up a stray space or
    /// newline, and Slack's secrets never contain whitespace of their own.
    /// An entirely blank input and any blank entry are errors.
    pub fn parse(s: &str) -> Result<Self, SecretsError> {
        if s.trim().is_empty() {
            return Err(SecretsError::Empty);
        }
        let secrets = s
            .split(',')
            .enumerate()
            .map(|(index, entry)| {
                let entry = entry.trim();
                if entry.is_empty() {
                    Err(SecretsError::EmptyEntry {
                        position: index + 1,
                    })
                } else {
                    Secret::new(entry)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self(secrets))
    }

    /// No secret: nothing verifies. For Socket Mode without the HTTP routes,
    /// where no request is ever checked against it.
    pub fn none() -> Self {
        Self(Vec::new())
    }

    /// Number of configured secrets (at least one, unless [`Self::none`]).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `false` for anything `parse` built, which refuses an empty list.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Computes the `X-Slack-Signature` value (`v0=<64 hex>`) for `body` sent
    /// at `timestamp`, using the first secret of the list (the current one,
    /// by the ordering convention above).
    pub fn sign(&self, timestamp: i64, body: &[u8]) -> String {
        let mut header = String::with_capacity(VERSION_PREFIX.len() + SIGNATURE_HEX_LEN);
        header.push_str("v0=");
        // `parse` never builds an empty list, so there is always a first
        // secret; the `if let` just avoids indexing that could panic.
        if let Some(secret) = self.0.first() {
            let timestamp = timestamp.to_string();
            let tag = secret
                .mac(timestamp.as_bytes(), body)
                .finalize()
                .into_bytes();
            header.push_str(&hex::encode(tag));
        }
        header
    }
}

impl fmt::Debug for SigningSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the count is useful when debugging a rotation; the values
        // must never reach a log.
        write!(f, "SigningSecrets([REDACTED; {}])", self.0.len())
    }
}

/// Computes the `X-Slack-Signature` header value (`v0=<64 hex>`) for `body`
/// sent at `timestamp`.
///
/// `secret` is read the same way as the server's configuration (see
/// [`SigningSecrets::parse`]): it is trimmed, and if it is a comma-separated
/// list the first entry signs. That way the CLI can be handed the very value
/// the server is configured with and produce a signature the server accepts.
/// It fails only when the secret is blank.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> Result<String, SecretsError> {
    SigningSecrets::parse(secret).map(|secrets| secrets.sign(timestamp, body))
}

/// Why a request was refused. Deliberately coarse: it is meant for our own
/// logs and metrics, and should not be echoed to the client in detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// No `X-Slack-Request-Timestamp` header.
    #[error("X-Slack-Request-Timestamp header is missing")]
    MissingTimestamp,
    /// No `X-Slack-Signature` header.
    #[error("X-Slack-Signature header is missing")]
    MissingSignature,
    /// The timestamp is not a plain non-negative decimal number that fits
    /// in an `i64`.
    #[error("X-Slack-Request-Timestamp is not a decimal number of seconds")]
    MalformedTimestamp,
    /// The timestamp is more than [`MAX_SKEW_SECS`] away from our clock, in
    /// the past or in the future.
    #[error("request timestamp is outside the accepted window")]
    Stale,
    /// The signature does not start with `v0=`.
    #[error("X-Slack-Signature does not use the v0 scheme")]
    UnsupportedVersion,
    /// After `v0=` there are not exactly 64 lowercase hex digits.
    #[error("X-Slack-Signature is not 64 lowercase hex digits after v0=")]
    MalformedSignature,
    /// Well-formed, but no configured secret produces this signature.
    #[error("X-Slack-Signature does not match the request")]
    Mismatch,
}

impl Rejection {
    /// Short, stable snake_case label for log fields and metric labels.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::MissingTimestamp => "missing_timestamp",
            Self::MissingSignature => "missing_signature",
            Self::MalformedTimestamp => "malformed_timestamp",
            Self::Stale => "stale",
            Self::UnsupportedVersion => "unsupported_version",
            Self::MalformedSignature => "malformed_signature",
            Self::Mismatch => "mismatch",
        }
    }
}

/// Checks that a request really comes from Slack.
///
/// `timestamp` and `signature` are the raw values of
/// `X-Slack-Request-Timestamp` and `X-Slack-Signature` (`None` when the header
/// is absent), `body` is the raw body, and `now` is the current Unix time in
/// seconds.
///
/// Checks run cheapest first: header presence, timestamp syntax, the time
/// window, signature syntax, and only then the HMAC. A replayed or garbage
/// request therefore costs no hashing of its (possibly large) body.
pub fn verify(
    secrets: &SigningSecrets,
    timestamp: Option<&[u8]>,
    signature: Option<&[u8]>,
    body: &[u8],
    now: i64,
) -> Result<(), Rejection> {
    let timestamp = timestamp.ok_or(Rejection::MissingTimestamp)?;
    let signature = signature.ok_or(Rejection::MissingSignature)?;

    let sent_at = parse_timestamp(timestamp).ok_or(Rejection::MalformedTimestamp)?;
    // `abs_diff` works in u64, so even `now = i64::MIN` against a huge
    // timestamp cannot overflow.
    if now.abs_diff(sent_at) > MAX_SKEW_SECS.unsigned_abs() {
        return Err(Rejection::Stale);
    }

    let claimed = parse_signature(signature)?;

    // `verify_slice` compares in constant time, so response timing reveals
    // nothing about how many leading bytes of a forged MAC were right.
    // Stopping at the first matching secret only reveals *which* secret a
    // genuine signature used, which is no help to a forger.
    let matched = secrets
        .0
        .iter()
        .any(|secret| secret.mac(timestamp, body).verify_slice(&claimed).is_ok());
    if matched {
        Ok(())
    } else {
        Err(Rejection::Mismatch)
    }
}

/// Parses a timestamp header: one or more ASCII digits, nothing else.
///
/// Signs, spaces and other decorations are refused rather than tolerated:
/// the MAC covers the header byte for byte, so a lenient parser would only
/// let odd-looking variants reach the HMAC, where they would fail anyway.
/// Leading zeros are accepted; they are still covered by the MAC verbatim.
/// Values beyond `i64::MAX` are refused instead of wrapping.
fn parse_timestamp(raw: &[u8]) -> Option<i64> {
    if raw.is_empty() {
        return None;
    }
    raw.iter().try_fold(0_i64, |acc, &byte| {
        if !byte.is_ascii_digit() {
            return None;
        }
        acc.checked_mul(10)?.checked_add(i64::from(byte - b'0'))
    })
}

/// Splits `v0=<hex>` and decodes the MAC.
///
/// Upper-case hex is refused as malformed. Slack always sends lowercase, and
/// the official SDKs compare the hex text itself, so they reject upper case
/// too; insisting on one spelling keeps exactly one accepted header per MAC
/// and keeps us in line with them. These format checks branch on the
/// client's own bytes only, never on the secret, so they need not be
/// constant-time.
fn parse_signature(raw: &[u8]) -> Result<[u8; 32], Rejection> {
    let Some(hex_digits) = raw.strip_prefix(VERSION_PREFIX) else {
        return Err(Rejection::UnsupportedVersion);
    };
    let lower_hex = |b: &u8| matches!(b, b'0'..=b'9' | b'a'..=b'f');
    if hex_digits.len() != SIGNATURE_HEX_LEN || !hex_digits.iter().all(lower_hex) {
        return Err(Rejection::MalformedSignature);
    }
    // Every digit is known to be `0-9a-f` by now, so decoding cannot fail.
    let nibble = |b: u8| if b <= b'9' { b - b'0' } else { b - b'a' + 10 };
    let mut mac = [0_u8; 32];
    for (byte, pair) in mac.iter_mut().zip(hex_digits.chunks_exact(2)) {
        *byte = (nibble(pair[0]) << 4) | nibble(pair[1]);
    }
    Ok(mac)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Slack's documented example (a slash command).
    const DOC_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    const DOC_TS: i64 = 1_531_420_618;
    const DOC_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const DOC_SIG: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    // The vector from slack-morphism's test suite.
    const SM_SECRET: &str = "fa2c05deeef5a4077494e89f54394de0";
    const SM_TS: i64 = 1_531_420_618;
    const SM_NOW: i64 = 1_531_420_620;
    const SM_BODY: &str = "test-body";
    const SM_SIG: &str = "v0=baa91ef62d346e56607bbdd278a8acd570b91226854f15a382f43d33be42f666";

    fn secrets(s: &str) -> SigningSecrets {
        SigningSecrets::parse(s).unwrap()
    }

    fn doc_ts() -> String {
        DOC_TS.to_string()
    }

    #[test]
    fn doc_vector_body_is_the_published_one() {
        assert_eq!(DOC_BODY.len(), 362);
    }

    #[test]
    fn sign_reproduces_slack_doc_vector() {
        assert_eq!(
            sign(DOC_SECRET, DOC_TS, DOC_BODY.as_bytes()).unwrap(),
            DOC_SIG
        );
    }

    #[test]
    fn verify_accepts_slack_doc_vector() {
        let ts = doc_ts();
        let result = verify(
            &secrets(DOC_SECRET),
            Some(ts.as_bytes()),
            Some(DOC_SIG.as_bytes()),
            DOC_BODY.as_bytes(),
            DOC_TS,
        );
        assert_eq!(result, Ok(()));
    }

    #[test]
    fn slack_morphism_vector() {
        assert_eq!(sign(SM_SECRET, SM_TS, SM_BODY.as_bytes()).unwrap(), SM_SIG);
        let ts = SM_TS.to_string();
        let result = verify(
            &secrets(SM_SECRET),
            Some(ts.as_bytes()),
            Some(SM_SIG.as_bytes()),
            SM_BODY.as_bytes(),
            SM_NOW,
        );
        assert_eq!(result, Ok(()));
    }

    #[test]
    fn json_url_verification_body() {
        // Not a published vector: derived from the algorithm for a JSON body,
        // to make sure nothing depends on the form encoding.
        let body = r#"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#;
        assert_eq!(body.len(), 129);
        assert_eq!(
            sign(DOC_SECRET, DOC_TS, body.as_bytes()).unwrap(),
            "v0=f9bd80929259f3f6d5fe3a3186c453c89cd1ad4862815a15837584f31c993652"
        );
    }

    /// One row of the table: what the request carries and what `verify` must say.
    struct Case {
        name: &'static str,
        secrets: &'static str,
        timestamp: Option<Vec<u8>>,
        signature: Option<Vec<u8>>,
        body: Vec<u8>,
        now: i64,
        expected: Result<(), Rejection>,
    }

    /// A case with the documented vector's good headers and body, clock
    /// pinned to the timestamp; each row changes one thing.
    fn doc_case(name: &'static str) -> Case {
        Case {
            name,
            secrets: DOC_SECRET,
            timestamp: Some(doc_ts().into_bytes()),
            signature: Some(DOC_SIG.as_bytes().to_vec()),
            body: DOC_BODY.as_bytes().to_vec(),
            now: DOC_TS,
            expected: Ok(()),
        }
    }

    fn with_ts(name: &'static str, ts: &str, expected: Result<(), Rejection>) -> Case {
        Case {
            timestamp: Some(ts.as_bytes().to_vec()),
            expected,
            ..doc_case(name)
        }
    }

    fn with_sig(name: &'static str, sig: &str, expected: Result<(), Rejection>) -> Case {
        Case {
            signature: Some(sig.as_bytes().to_vec()),
            expected,
            ..doc_case(name)
        }
    }

    fn at(name: &'static str, now: i64, expected: Result<(), Rejection>) -> Case {
        Case {
            now,
            expected,
            ..doc_case(name)
        }
    }

    #[test]
    fn verify_table() {
        use Rejection::*;
        let good_hex = &DOC_SIG[3..];
        let mut changed_body = DOC_BODY.as_bytes().to_vec();
        changed_body[100] ^= 0x01;
        let mut body_plus = DOC_BODY.as_bytes().to_vec();
        body_plus.extend_from_slice(b"------");

        let cases = vec![
            doc_case("documented vector"),
            // The window is inclusive at 300 s and symmetric.
            at("300 s old", DOC_TS + 300, Ok(())),
            at("300 s in the future", DOC_TS - 300, Ok(())),
            at("301 s old", DOC_TS + 301, Err(Stale)),
            at("301 s in the future", DOC_TS - 301, Err(Stale)),
            at("an hour old", DOC_TS + 3600, Err(Stale)),
            at("clock at i64::MIN", i64::MIN, Err(Stale)),
            at("clock at i64::MAX", i64::MAX, Err(Stale)),
            Case {
                timestamp: None,
                expected: Err(MissingTimestamp),
                ..doc_case("missing timestamp")
            },
            Case {
                signature: None,
                expected: Err(MissingSignature),
                ..doc_case("missing signature")
            },
            Case {
                timestamp: None,
                signature: None,
                expected: Err(MissingTimestamp),
                ..doc_case("both headers missing")
            },
            with_ts("words", "Hello there!", Err(MalformedTimestamp)),
            with_ts("empty timestamp", "", Err(MalformedTimestamp)),
            with_ts("negative", "-1", Err(MalformedTimestamp)),
            with_ts("plus sign", "+1531420618", Err(MalformedTimestamp)),
            with_ts("trailing space", "1531420618 ", Err(MalformedTimestamp)),
            with_ts("leading space", " 1531420618", Err(MalformedTimestamp)),
            with_ts("fractional", "1531420618.5", Err(MalformedTimestamp)),
            with_ts(
                "milliseconds overflow",
                "99999999999999999999",
                Err(MalformedTimestamp),
            ),
            with_ts("i64::MAX parses", "9223372036854775807", Err(Stale)),
            with_ts(
                "i64::MAX + 1",
                "9223372036854775808",
                Err(MalformedTimestamp),
            ),
            // Leading zeros parse to the same instant, but the MAC covers the
            // header verbatim, so the documented signature no longer fits.
            with_ts("leading zero", "01531420618", Err(Mismatch)),
            with_ts("another second", "1531420619", Err(Mismatch)),
            with_sig(
                "v1 scheme",
                &format!("v1={good_hex}"),
                Err(UnsupportedVersion),
            ),
            with_sig(
                "upper-case V0",
                &format!("V0={good_hex}"),
                Err(UnsupportedVersion),
            ),
            with_sig("no prefix", good_hex, Err(UnsupportedVersion)),
            with_sig("empty signature", "", Err(UnsupportedVersion)),
            with_sig("prefix only", "v0=", Err(MalformedSignature)),
            with_sig(
                "63 hex digits",
                &DOC_SIG[..DOC_SIG.len() - 1],
                Err(MalformedSignature),
            ),
            with_sig(
                "65 hex digits",
                &format!("{DOC_SIG}0"),
                Err(MalformedSignature),
            ),
            with_sig(
                "non-hex digit",
                &format!("v0=g{}", &good_hex[1..]),
                Err(MalformedSignature),
            ),
            with_sig(
                "upper-case hex",
                &format!("v0={}", good_hex.to_ascii_uppercase()),
                Err(MalformedSignature),
            ),
            with_sig(
                "trailing newline",
                &format!("{DOC_SIG}\n"),
                Err(MalformedSignature),
            ),
            with_sig(
                "all zeros",
                &format!("v0={}", "0".repeat(64)),
                Err(Mismatch),
            ),
            Case {
                body: changed_body,
                expected: Err(Mismatch),
                ..doc_case("one body byte changed")
            },
            Case {
                body: body_plus,
                expected: Err(Mismatch),
                ..doc_case("bytes appended to body")
            },
            Case {
                body: Vec::new(),
                expected: Err(Mismatch),
                ..doc_case("empty body")
            },
            Case {
                secrets: "fa2c05deeef5a4077494e89f54394de0, 8f742231b10e8888abcd99yyyzzz85a5",
                ..doc_case("right secret second in the list")
            },
            Case {
                secrets: "8f742231b10e8888abcd99yyyzzz85a5,fa2c05deeef5a4077494e89f54394de0",
                ..doc_case("right secret first in the list")
            },
            Case {
                secrets: SM_SECRET,
                expected: Err(Mismatch),
                ..doc_case("wrong secret only")
            },
            Case {
                secrets: "fa2c05deeef5a4077494e89f54394de0,other",
                expected: Err(Mismatch),
                ..doc_case("several wrong secrets")
            },
            // The window is checked before the MAC: a stale request with a
            // bad signature is reported as stale.
            Case {
                now: DOC_TS + 301,
                signature: Some(format!("v0={}", "0".repeat(64)).into_bytes()),
                expected: Err(Stale),
                ..doc_case("stale and forged")
            },
        ];

        for case in cases {
            let got = verify(
                &secrets(case.secrets),
                case.timestamp.as_deref(),
                case.signature.as_deref(),
                &case.body,
                case.now,
            );
            assert_eq!(got, case.expected, "case: {}", case.name);
        }
    }

    #[test]
    fn leading_zero_timestamp_verifies_when_signed_verbatim() {
        // A header with leading zeros is legal; what matters is that the MAC
        // is computed over exactly those bytes.
        let ts = b"01531420618";
        let tag = Secret::new(DOC_SECRET)
            .unwrap()
            .mac(ts, DOC_BODY.as_bytes())
            .finalize()
            .into_bytes();
        let header = format!("v0={}", hex::encode(tag));
        let result = verify(
            &secrets(DOC_SECRET),
            Some(ts),
            Some(header.as_bytes()),
            DOC_BODY.as_bytes(),
            DOC_TS,
        );
        assert_eq!(result, Ok(()));
    }

    #[test]
    fn parse_rejects_blank_lists_and_entries() {
        assert_eq!(SigningSecrets::parse("").unwrap_err(), SecretsError::Empty);
        assert_eq!(
            SigningSecrets::parse("  ").unwrap_err(),
            SecretsError::Empty
        );
        assert_eq!(
            SigningSecrets::parse("\n\t").unwrap_err(),
            SecretsError::Empty
        );
        assert_eq!(
            SigningSecrets::parse("a,,b").unwrap_err(),
            SecretsError::EmptyEntry { position: 2 }
        );
        assert_eq!(
            SigningSecrets::parse(" , ").unwrap_err(),
            SecretsError::EmptyEntry { position: 1 }
        );
        assert_eq!(
            SigningSecrets::parse("a,").unwrap_err(),
            SecretsError::EmptyEntry { position: 2 }
        );
    }

    #[test]
    fn parse_counts_and_trims_entries() {
        let one = secrets(DOC_SECRET);
        assert_eq!(one.len(), 1);
        assert!(!one.is_empty());

        let two = secrets("a, b");
        assert_eq!(two.len(), 2);

        // Surrounding whitespace is not part of the key.
        let padded = secrets(&format!("  {DOC_SECRET}\n"));
        let ts = doc_ts();
        let result = verify(
            &padded,
            Some(ts.as_bytes()),
            Some(DOC_SIG.as_bytes()),
            DOC_BODY.as_bytes(),
            DOC_TS,
        );
        assert_eq!(result, Ok(()));
    }

    #[test]
    fn debug_never_shows_secrets() {
        let list = secrets(&format!("{DOC_SECRET}, {SM_SECRET}"));
        let debug = format!("{list:?}");
        assert_eq!(debug, "SigningSecrets([REDACTED; 2])");
        let pretty = format!("{list:#?}");
        for text in [debug, pretty, format!("{:?}", list.0)] {
            assert!(!text.contains(DOC_SECRET), "{text}");
            assert!(!text.contains(SM_SECRET), "{text}");
        }
    }

    #[test]
    fn sign_reads_secret_like_the_server() {
        let plain = sign(DOC_SECRET, DOC_TS, DOC_BODY.as_bytes()).unwrap();
        let padded = sign(&format!(" {DOC_SECRET} "), DOC_TS, DOC_BODY.as_bytes()).unwrap();
        let rotated = sign(
            &format!("{DOC_SECRET},{SM_SECRET}"),
            DOC_TS,
            DOC_BODY.as_bytes(),
        );
        assert_eq!(padded, plain);
        assert_eq!(rotated.unwrap(), plain);
        assert_eq!(sign("", DOC_TS, b"x"), Err(SecretsError::Empty));
        assert_eq!(sign("   ", DOC_TS, b"x"), Err(SecretsError::Empty));
    }

    #[test]
    fn sign_output_shape() {
        let header = sign("k", 0, b"").unwrap();
        assert_eq!(header.len(), 3 + 64);
        assert!(header.starts_with("v0="));
        assert!(
            header[3..]
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        );
    }

    #[test]
    fn rejection_labels_are_distinct_snake_case() {
        use Rejection::*;
        let all = [
            MissingTimestamp,
            MissingSignature,
            MalformedTimestamp,
            Stale,
            UnsupportedVersion,
            MalformedSignature,
            Mismatch,
        ];
        let labels: std::collections::HashSet<_> = all.iter().map(Rejection::as_str).collect();
        assert_eq!(labels.len(), all.len());
        for label in labels {
            assert!(!label.is_empty());
            assert!(
                label.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{label}"
            );
        }
        assert_eq!(MissingTimestamp.as_str(), "missing_timestamp");
        assert_eq!(Stale.as_str(), "stale");
        for rejection in all {
            assert!(!rejection.to_string().is_empty());
        }
    }

    /// Any secret that `parse` accepts: no commas (they separate entries) and
    /// not blank. Surrounding whitespace is allowed; it is trimmed on both
    /// the signing and the verifying side.
    fn secret_strategy() -> impl Strategy<Value = String> {
        "[^,]{1,80}".prop_filter("blank secret", |s| !s.trim().is_empty())
    }

    proptest! {
        #[test]
        fn signed_requests_verify(
            secret in secret_strategy(),
            body in proptest::collection::vec(any::<u8>(), 0..4096),
            ts in 0_i64..=i64::MAX - MAX_SKEW_SECS,
            skew in -MAX_SKEW_SECS..=MAX_SKEW_SECS,
        ) {
            let header = sign(&secret, ts, &body).unwrap();
            let ts_text = ts.to_string();
            let result = verify(
                &secrets(&secret),
                Some(ts_text.as_bytes()),
                Some(header.as_bytes()),
                &body,
                ts + skew,
            );
            prop_assert_eq!(result, Ok(()));
        }

        #[test]
        fn mutated_body_is_rejected(
            secret in secret_strategy(),
            body in proptest::collection::vec(any::<u8>(), 1..4096),
            ts in 0_i64..=4_000_000_000,
            index in any::<prop::sample::Index>(),
            flip in 1_u8..=255,
        ) {
            let header = sign(&secret, ts, &body).unwrap();
            let mut tampered = body;
            let at = index.index(tampered.len());
            tampered[at] ^= flip;
            let ts_text = ts.to_string();
            let result = verify(
                &secrets(&secret),
                Some(ts_text.as_bytes()),
                Some(header.as_bytes()),
                &tampered,
                ts,
            );
            prop_assert_eq!(result, Err(Rejection::Mismatch));
        }

        #[test]
        fn changed_timestamp_is_rejected(
            secret in secret_strategy(),
            body in proptest::collection::vec(any::<u8>(), 0..256),
            ts in 0_i64..=4_000_000_000,
            index in any::<prop::sample::Index>(),
            step in 1_u8..=9,
            prepend_zero in any::<bool>(),
        ) {
            let header = sign(&secret, ts, &body).unwrap();
            let mut ts_text = ts.to_string().into_bytes();
            if prepend_zero {
                ts_text.insert(0, b'0');
            } else {
                // Replace one digit by a different digit.
                let at = index.index(ts_text.len());
                ts_text[at] = b'0' + (ts_text[at] - b'0' + step) % 10;
            }
            // The clock stays at the signed time, so a changed digit that
            // moves the timestamp far is stale, and a nearby one mismatches.
            let result = verify(&secrets(&secret), Some(&ts_text), Some(header.as_bytes()), &body, ts);
            prop_assert!(
                matches!(result, Err(Rejection::Stale | Rejection::Mismatch)),
                "{:?} accepted or misreported: {:?}", String::from_utf8_lossy(&ts_text), result
            );
        }

        #[test]
        fn verify_never_panics_on_arbitrary_bytes(
            timestamp in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
            signature in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..100)),
            body in proptest::collection::vec(any::<u8>(), 0..512),
            now in any::<i64>(),
        ) {
            let _ = verify(&secrets(DOC_SECRET), timestamp.as_deref(), signature.as_deref(), &body, now);
        }

        #[test]
        fn verify_never_panics_on_plausible_headers(
            timestamp in proptest::option::of("[0-9]{0,25}"),
            signature in proptest::option::of("(v0=)?[0-9a-fA-F]{0,70}"),
            body in proptest::collection::vec(any::<u8>(), 0..512),
            now_offset in -400_i64..=400,
        ) {
            // Digit-only timestamps and near-valid signatures get past the
            // cheap checks, so this exercises the window and the MAC path.
            let parsed = timestamp.as_deref().and_then(|t| parse_timestamp(t.as_bytes()));
            let now = parsed.unwrap_or(0).saturating_add(now_offset);
            let result = verify(
                &secrets(DOC_SECRET),
                timestamp.as_deref().map(str::as_bytes),
                signature.as_deref().map(str::as_bytes),
                &body,
                now,
            );
            prop_assert!(result.is_err());
        }
    }
}
