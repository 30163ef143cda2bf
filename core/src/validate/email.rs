//! A sensible email check without regex: `local@domain`, local part of RFC 5322 atext and
//! dots, domain of at least two labels. Non-ASCII letters are allowed (IDN, EAI).

fn atext(c: char) -> bool {
    c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c)
}

fn label_ok(l: &str) -> bool {
    (1..=63).contains(&l.len())
        && !l.starts_with('-')
        && !l.ends_with('-')
        && l.chars().all(|c| c.is_alphanumeric() || c == '-')
}

pub fn is_valid(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.len() > 253 {
        return false;
    }
    let local_ok = !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| atext(c) || c == '.');
    let labels: Vec<&str> = domain.split('.').collect();
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.chars().count() >= 2 && !t.chars().all(|c| c.is_ascii_digit()));
    local_ok && labels.len() >= 2 && labels.iter().all(|l| label_ok(l)) && tld_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn emails() {
        for ok in [
            "test@yopmail.com",
            "ola@example.com",
            "a.b+tag@sub.example.no",
            "kari@nordmann.xn--vler-qoa",
            "ø@ærlig.no",
            "x_y-z@a-b.co",
        ] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in [
            "",
            "@",
            "a@",
            "@b.no",
            "a@b",
            "a b@c.no",
            "a@b..no",
            ".a@b.no",
            "a.@b.no",
            "a..b@c.no",
            "a@-b.no",
            "a@b-.no",
            "a@b.n",
            "a@1.2.3.4",
            "a@@b.no",
            "a@b.no.",
            "a(b)@c.no",
            "a@b_c.no",
            "a\n@b.no",
        ] {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }
}
