//! The proxy's console accounts: user names and new passwords (OWASP ASVS 2.1: at least 12
//! characters, any printable text, not the user name, not a well-known password). The proxy
//! enforces these; the console checks them live with the same functions.

use super::{Code, Issue, Report, has_control_characters};

/// Shortest new password, in characters.
pub const MIN_PASSWORD: usize = 12;
/// Longest password, in characters (PBKDF2 hashes any length; this bounds the work).
pub const MAX_PASSWORD: usize = 1024;
/// Longest user name, in characters.
pub const MAX_USERNAME: usize = 64;
/// The member of `POST /auth/password` ([`crate::proxy::PasswordChange`]) that the issues of
/// [`validate_new_password`] name.
pub const NEW_PASSWORD_FIELD: &str = "new";

/// Some of the most used passwords that are long enough to pass the length rule (from public
/// breach lists, with Norwegian favourites), lowercase. Compared case-insensitively.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "1234567891011",
    "123123123123",
    "121212121212",
    "987654321098",
    "1234567890qwerty",
    "qwerty1234567890",
    "0123456789ab",
    "qwertyuiop12",
    "qwertyuiop123",
    "qwertyuiop[]",
    "qwertyuiopasdf",
    "qwertyuiopasdfghjkl",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwerty123456",
    "qwerty1234567",
    "qwerty12345678",
    "qwertyqwerty",
    "1q2w3e4r5t6y",
    "1q2w3e4r5t6y7u",
    "1q2w3e4r5t6y7u8i9o0p",
    "q1w2e3r4t5y6",
    "1qaz2wsx3edc",
    "1qaz2wsx3edc4rfv",
    "!qaz2wsx3edc",
    "zaq12wsxcde3",
    "zaq1zaq1zaq1",
    "qazwsxedcrfv",
    "qazwsxedc123",
    "123qweasdzxc",
    "qweasdzxc123",
    "1234qwerasdf",
    "1234qwerasdfzxcv",
    "asdfghjkl123",
    "asdfghjkl1234",
    "asdfasdfasdf",
    "asdf1234asdf",
    "zxcvbnm12345",
    "zxcvbnm123456",
    "abcdefghijkl",
    "abcdefghijklmnopqrstuvwxyz",
    "abc123abc123",
    "abcd1234abcd",
    "password1234",
    "password12345",
    "password123456",
    "password123!",
    "passwordpassword",
    "passw0rd1234",
    "p@ssw0rd1234",
    "p@ssword1234",
    "administrator",
    "administrator1",
    "admin1234567",
    "adminadmin123",
    "changeme1234",
    "welcome12345",
    "welcome123456",
    "letmein12345",
    "iloveyou1234",
    "iloveyouforever",
    "iloveyoubaby",
    "iloveyousomuch",
    "trustno1trustno1",
    "princess1234",
    "sunshine1234",
    "football1234",
    "baseball1234",
    "basketball12",
    "superman1234",
    "starwars1234",
    "monkey123456",
    "dragon123456",
    "master123456",
    "batman123456",
    "shadow123456",
    "michael12345",
    "jennifer1234",
    "charlie12345",
    "computer1234",
    "internet1234",
    "whatever1234",
    "samsung12345",
    "liverpool123",
    "manchesterunited",
    "secret123456",
    "freedom12345",
    "summer123456",
    "winter123456",
    "passord12345",
    "passord123456",
    "passordpassord",
    "sommer123456",
    "vinter123456",
    "norge1234567",
    "hemmelig1234",
    "fotball12345",
    "velkommen123",
    "velkommen1234",
    "frontpayment",
    "frontpayment1",
    "frontpayment123",
    "frontdesk123",
    "frontdesk1234",
];

/// User names compare case-insensitively: stored trimmed and lowercase.
pub fn normalize_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A new user's name: 1 to [`MAX_USERNAME`] of `a-z 0-9 . _ - @` after
/// [`normalize_username`]. Returns the normalised name.
pub fn validate_username(raw: &str) -> Result<String, Report> {
    const FIELD: &str = "username";
    let name = normalize_username(raw);
    let issue = if name.is_empty() {
        Some(Issue::new(FIELD, Code::Required))
    } else if name.chars().count() > MAX_USERNAME {
        Some(Issue::new(FIELD, Code::MaxLength).max(MAX_USERNAME))
    } else if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-@".contains(c))
    {
        Some(Issue::new(FIELD, Code::UsernameCharacters))
    } else {
        None
    };
    match issue {
        None => Ok(name),
        Some(i) => Err(Report {
            errors: vec![i],
            warnings: Vec::new(),
        }),
    }
}

/// A password someone chooses (or is given): at least [`MIN_PASSWORD`] characters, at most
/// [`MAX_PASSWORD`], no control characters, not the user name (case-insensitively), not a
/// well-known password or one character repeated. Issues name [`NEW_PASSWORD_FIELD`].
pub fn validate_new_password(password: &str, username: &str) -> Result<(), Report> {
    let f = NEW_PASSWORD_FIELD;
    let len = password.chars().count();
    let lower = password.to_lowercase();
    let mut errors = Vec::new();
    if len < MIN_PASSWORD {
        errors.push(Issue::new(f, Code::MinLength).min(MIN_PASSWORD));
    } else if len > MAX_PASSWORD {
        errors.push(Issue::new(f, Code::MaxLength).max(MAX_PASSWORD));
    }
    if has_control_characters(password) {
        errors.push(Issue::new(f, Code::ControlCharacters));
    }
    let name = normalize_username(username);
    if !name.is_empty() && lower.trim() == name {
        errors.push(Issue::new(f, Code::Different).other("username"));
    } else if is_common(&lower) {
        errors.push(Issue::new(f, Code::CommonPassword));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Report {
            errors,
            warnings: Vec::new(),
        })
    }
}

/// In the list, or one character repeated (`aaaaaaaaaaaa`).
fn is_common(lower: &str) -> bool {
    let mut chars = lower.chars();
    let repeated = chars.next().is_some_and(|first| chars.all(|c| c == first));
    repeated || COMMON.contains(&lower)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn codes(r: Result<(), Report>) -> Vec<Code> {
        r.err()
            .map(|r| r.error_codes(NEW_PASSWORD_FIELD))
            .unwrap_or_default()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn password_rules() {
        assert_eq!(
            codes(validate_new_password("correct horse battery", "kari")),
            []
        );
        // Twelve characters of any script are enough; eleven are not.
        assert_eq!(codes(validate_new_password("æøåæøåæøåæøå", "kari")), []);
        assert_eq!(
            codes(validate_new_password("æøåæøåæøåæø", "kari")),
            [Code::MinLength]
        );
        let short = validate_new_password("short", "kari").unwrap_err();
        assert_eq!(short.errors[0].params.min.as_deref(), Some("12"));
        assert_eq!(
            short.errors[0].message(),
            "The new must be at least 12 characters."
        );
        assert_eq!(
            codes(validate_new_password(&"x1".repeat(513), "kari")),
            [Code::MaxLength]
        );
        // The user name, in any case, with the spaces a person may add.
        assert_eq!(
            codes(validate_new_password("Kari.Nordmann", " kari.nordmann ")),
            [Code::Different]
        );
        assert_eq!(
            codes(validate_new_password("kari.nordmann!", "kari.nordmann")),
            []
        );
        for common in [
            "Password1234",
            "QWERTY123456",
            "passord12345",
            "zzzzzzzzzzzzzz",
        ] {
            assert_eq!(
                codes(validate_new_password(common, "kari")),
                [Code::CommonPassword],
                "{common}"
            );
        }
        assert_eq!(
            codes(validate_new_password("tab\there and more", "kari")),
            [Code::ControlCharacters]
        );
        // Every listed password passes the length rule (otherwise it need not be listed) and
        // is stored lowercase (the comparison lowercases what it is given).
        for c in COMMON {
            assert!(c.chars().count() >= MIN_PASSWORD, "{c}");
            assert_eq!(c.to_lowercase(), *c);
            assert_eq!(
                codes(validate_new_password(&c.to_uppercase(), "kari")),
                [Code::CommonPassword],
                "{c}"
            );
        }
        assert!(COMMON.len() >= 100);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn usernames() {
        assert_eq!(
            validate_username(" Kari.N@Example-1_x "),
            Ok("kari.n@example-1_x".into())
        );
        let code = |raw: &str| validate_username(raw).err().map(|r| r.errors[0].code);
        assert_eq!(code("   "), Some(Code::Required));
        assert_eq!(code(&"a".repeat(65)), Some(Code::MaxLength));
        assert_eq!(code(&"a".repeat(64)), None);
        for bad in ["kari nordmann", "kåre", "a/b", "a%2fb", "a:b", "tab\tx"] {
            assert_eq!(code(bad), Some(Code::UsernameCharacters), "{bad}");
        }
        assert_eq!(normalize_username(" ADMIN "), "admin");
    }
}
