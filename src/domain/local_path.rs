//! Where the app may send a browser next (after a login, or back to a form): only a path on
//! this site. A crafted `next` or form redirect must never carry a person to another site,
//! whether a browser, a proxy or a later decoding step reads the target.

/// The longest target followed; anything longer is refused (no page address comes close).
pub const MAX_LOCAL_PATH: usize = 2048;

/// How many rounds of percent-decoding are checked. Some proxies and servers decode an
/// address twice; a target still changing after this many rounds is refused outright.
const DECODING_ROUNDS: usize = 4;

/// `raw` when it is a path on this site, `None` otherwise. Shared by the server (login
/// `next`, form redirects) and the browser (the island following a redirect).
///
/// A path is accepted only when it starts with one `/`, holds nothing but visible ASCII
/// without backslashes (no control characters, no whitespace), and still has that shape
/// after each round of percent-decoding (where characters beyond ASCII may appear): `/%2F%2Fevil.example` decodes to
/// `//evil.example`, `/%09/evil.example` to a tab that browsers drop, and `/\evil.example`
/// is read by browsers as `//evil.example`; all three are refused.
pub fn safe_local_path(raw: &str) -> Option<&str> {
    if raw.len() > MAX_LOCAL_PATH || !has_local_shape(raw) {
        return None;
    }
    let mut current = raw.to_string();
    for _ in 0..DECODING_ROUNDS {
        let decoded = percent_decoded(&current);
        if decoded == current {
            return Some(raw);
        }
        if !decodes_to_local_shape(&decoded) {
            return None;
        }
        current = decoded;
    }
    None
}

/// Starts with one `/` (not `//`), and every character is visible ASCII other than `\`.
fn has_local_shape(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path
            .bytes()
            .all(|byte| byte.is_ascii_graphic() && byte != b'\\')
}

/// What a decoding may give: the same shape, except that other than ASCII characters (a
/// name in Chinese, `%E5%BC%A0`) are fine; control characters, whitespace and `\` are not.
fn decodes_to_local_shape(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path
            .chars()
            .all(|c| !c.is_control() && !c.is_whitespace() && c != '\\')
}

/// `text` with each `%XY` escape replaced by its byte; malformed escapes are kept as they
/// are. Bytes that do not form UTF-8 become U+FFFD, which the shape check then refuses.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escape = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escape {
            Some(byte) => {
                decoded.push(byte);
                index += 3;
            }
            None => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paths_of_this_site_are_followed_as_they_are() {
        for path in [
            "/",
            "/admin/users",
            "/materials/abc123?step=2#problems",
            "/ledger/org?status=open&__done=/api/save_warning_tiers",
            "/format?name=%E5%BC%A0%E4%B8%89",
            "/a%2Fb",
        ] {
            assert_eq!(safe_local_path(path), Some(path), "{path}");
        }
    }

    #[test]
    fn targets_that_reach_another_origin_are_refused() {
        for target in [
            "",
            "admin",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "/%09/evil.example",
            "/%2F%2Fevil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%252F%252Fevil.example",
            "/\t/evil.example",
            "/ /evil.example",
            "/\n/evil.example",
            "https://evil.example",
            "http:/evil.example",
            "\\\\evil.example",
            " /admin",
            "/%25252525252F%25252525252Fevil.example",
        ] {
            assert_eq!(safe_local_path(target), None, "{target:?}");
        }
    }

    #[test]
    fn an_overlong_target_is_refused() {
        let long = format!("/{}", "a".repeat(MAX_LOCAL_PATH));
        assert_eq!(safe_local_path(&long), None);
    }

    /// Pieces attackers combine: separators, escapes of separators and spaces, schemes,
    /// user-info markers and hosts.
    fn hostile_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("/".to_string()),
            Just("\\".to_string()),
            Just("%2F".to_string()),
            Just("%2f".to_string()),
            Just("%5C".to_string()),
            Just("%5c".to_string()),
            Just("%25".to_string()),
            Just("%09".to_string()),
            Just("%0A".to_string()),
            Just("%20".to_string()),
            Just("%00".to_string()),
            Just("\t".to_string()),
            Just(" ".to_string()),
            Just(":".to_string()),
            Just("@".to_string()),
            Just(".".to_string()),
            Just("?".to_string()),
            Just("#".to_string()),
            Just("http:".to_string()),
            Just("evil.example".to_string()),
            "[a-z0-9]{1,4}",
            any::<char>().prop_map(String::from),
        ]
    }

    fn this_origin() -> url::Url {
        url::Url::parse("https://xingshen.example/materials/m1?step=2").unwrap()
    }

    /// Whatever is accepted, read as a link on a page of this site, stays on this site,
    /// and so does what one more decoding step (a proxy, a server) would make of it.
    fn stays_on_this_site(target: &str) {
        let base = this_origin();
        let resolved = base.join(target).expect("an accepted target resolves");
        assert_eq!(resolved.origin(), base.origin(), "{target:?}");
        let decoded = percent_decoded(target);
        let resolved = base.join(&decoded).expect("its decoded form resolves");
        assert_eq!(resolved.origin(), base.origin(), "decoded {target:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn an_accepted_target_of_hostile_pieces_resolves_to_this_origin(
            pieces in prop::collection::vec(hostile_piece(), 0..10),
        ) {
            let target = pieces.concat();
            if let Some(accepted) = safe_local_path(&target) {
                prop_assert_eq!(accepted, target.as_str());
                stays_on_this_site(accepted);
            }
        }

        #[test]
        fn an_accepted_target_of_any_text_resolves_to_this_origin(target in any::<String>()) {
            if let Some(accepted) = safe_local_path(&target) {
                stays_on_this_site(accepted);
            }
        }

        #[test]
        fn an_accepted_slash_led_target_resolves_to_this_origin(
            pieces in prop::collection::vec(hostile_piece(), 0..10),
        ) {
            let target = format!("/{}", pieces.concat());
            if let Some(accepted) = safe_local_path(&target) {
                stays_on_this_site(accepted);
            }
        }
    }
}
