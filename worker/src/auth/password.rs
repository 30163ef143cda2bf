//! Password hashes: `pbkdf2-sha256$ITERATIONS$SALT_B64$HASH_B64` (standard base64).
//!
//! The Worker derives with WebCrypto (`crypto.subtle.deriveBits`, native speed; Workers allow
//! at most 100,000 PBKDF2 iterations, so that is the default and the ceiling). The native
//! hasher below makes entries for `cargo xtask user add` and checks the format in tests.

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const SCHEME: &str = "pbkdf2-sha256";
/// The Workers runtime refuses PBKDF2 above 100,000 iterations.
pub const MAX_ITERATIONS: u32 = 100_000;
pub const MIN_ITERATIONS: u32 = 1_000;
pub const DEFAULT_ITERATIONS: u32 = MAX_ITERATIONS;
pub const HASH_LEN: usize = 32;
pub const SALT_LEN: usize = 16;

/// A stored password hash.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash {
    pub iterations: u32,
    pub salt: Vec<u8>,
    pub hash: Vec<u8>,
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordHash")
            .field("iterations", &self.iterations)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashFormatError {
    #[error("expected pbkdf2-sha256$ITERATIONS$SALT_B64$HASH_B64")]
    Shape,
    #[error("iterations must be {MIN_ITERATIONS} to {MAX_ITERATIONS}")]
    Iterations,
    #[error("salt or hash is not base64, or too short")]
    Encoding,
}

fn b64(s: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(s)
        .or_else(|_| STANDARD_NO_PAD.decode(s))
        .ok()
}

impl FromStr for PasswordHash {
    type Err = HashFormatError;
    fn from_str(s: &str) -> Result<Self, HashFormatError> {
        let mut parts = s.trim().split('$');
        let (Some(scheme), Some(iter), Some(salt), Some(hash), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(HashFormatError::Shape);
        };
        if scheme != SCHEME {
            return Err(HashFormatError::Shape);
        }
        let iterations: u32 = iter.parse().map_err(|_| HashFormatError::Iterations)?;
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
            return Err(HashFormatError::Iterations);
        }
        let salt = b64(salt).ok_or(HashFormatError::Encoding)?;
        let hash = b64(hash).ok_or(HashFormatError::Encoding)?;
        if salt.len() < 8 || hash.len() < 16 || hash.len() > 64 {
            return Err(HashFormatError::Encoding);
        }
        Ok(PasswordHash {
            iterations,
            salt,
            hash,
        })
    }
}

impl fmt::Display for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{SCHEME}${}${}${}",
            self.iterations,
            STANDARD.encode(&self.salt),
            STANDARD.encode(&self.hash)
        )
    }
}

impl PasswordHash {
    /// Does a derived key equal the stored one? Constant time.
    pub fn matches(&self, derived: &[u8]) -> bool {
        derived.len() == self.hash.len() && bool::from(derived.ct_eq(&self.hash))
    }

    /// Bits to derive (the stored hash's length).
    pub fn bits(&self) -> u32 {
        u32::try_from(self.hash.len() * 8).unwrap_or(256)
    }

    /// A short fingerprint for sessions (`pwv`): changes whenever the entry changes.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.to_string().as_bytes());
        hex::encode(&h.finalize()[..6])
    }

    /// A fixed hash to spend the same work on for unknown usernames (no timing oracle).
    pub fn decoy() -> PasswordHash {
        PasswordHash {
            iterations: DEFAULT_ITERATIONS,
            salt: b"frontdesk-decoy!".to_vec(),
            hash: vec![0; HASH_LEN],
        }
    }
}

/// PBKDF2-HMAC-SHA256, natively (xtask, tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn derive_native(password: &str, salt: &[u8], iterations: u32, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut out);
    out
}

/// A new entry for `password` with the given random salt.
#[cfg(not(target_arch = "wasm32"))]
pub fn hash_password(password: &str, salt: &[u8], iterations: u32) -> PasswordHash {
    PasswordHash {
        iterations,
        salt: salt.to_vec(),
        hash: derive_native(password, salt, iterations, HASH_LEN),
    }
}

/// Check natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn verify_native(password: &str, stored: &PasswordHash) -> bool {
    stored.matches(&derive_native(
        password,
        &stored.salt,
        stored.iterations,
        stored.hash.len(),
    ))
}

// The native hasher (pbkdf2 crate) only exists off wasm; the Worker derives with WebCrypto.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn rfc_vector() {
        // PBKDF2-HMAC-SHA256("password", "salt", 4096, 32), the well-known test vector.
        let dk = derive_native("password", b"salt", 4096, 32);
        assert_eq!(
            hex::encode(dk),
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"
        );
    }

    #[test]
    fn format_round_trip_and_verify() {
        let h = hash_password("correct horse", b"0123456789abcdef", 2000);
        let text = h.to_string();
        assert!(text.starts_with("pbkdf2-sha256$2000$"));
        let back: PasswordHash = text.parse().unwrap_or_else(|_| PasswordHash::decoy());
        assert_eq!(back, h);
        assert!(verify_native("correct horse", &back));
        assert!(!verify_native("correct horsE", &back));
        assert_ne!(
            back.fingerprint(),
            hash_password("x", b"0123456789abcdef", 2000).fingerprint()
        );
        assert_eq!(back.bits(), 256);
        assert!(!format!("{back:?}").contains(&STANDARD.encode(&back.hash)));
    }

    #[test]
    fn refuses_bad_entries() {
        for bad in [
            "",
            "pbkdf2-sha256$1000$c2FsdHNhbHQ=",
            "bcrypt$1000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "pbkdf2-sha256$999$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "pbkdf2-sha256$100001$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
            "pbkdf2-sha256$1000$!!$aGFzaGhhc2hoYXNoaGFzaA==",
            "pbkdf2-sha256$1000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==$x",
        ] {
            assert!(bad.parse::<PasswordHash>().is_err(), "{bad}");
        }
        assert!(
            "pbkdf2-sha256$1000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
                .parse::<PasswordHash>()
                .is_ok()
        );
    }
}
