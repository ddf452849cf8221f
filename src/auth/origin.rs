//! The CSRF guard: a state-changing request must come from our own pages. Browsers tell us
//! with `Sec-Fetch-Site` and `Origin`; server functions rely on this layer and do not check
//! it themselves. SameSite=Strict cookies are the second line of defence.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether a request with these headers may change state. Requests without either header
/// come from non-browser clients (curl, scripts), which cannot carry a victim's cookies
/// across sites, so they pass.
pub fn is_same_origin(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site")
        && !matches!(site.to_str(), Ok("same-origin" | "none"))
    {
        return false;
    }
    match headers.get(header::ORIGIN) {
        None => true,
        Some(origin) => {
            let origin = origin.to_str().unwrap_or("null");
            let authority = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
        }
    }
}

/// Axum middleware refusing cross-site state changes with 403 and a Chinese message.
pub async fn require_same_origin(request: Request, next: Next) -> Response {
    if is_same_origin(request.method(), request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(uri = %request.uri(), "refused a cross-site request");
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        Body::from("请求来源校验失败：请回到省身页面重新操作。"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_origin_posts_pass_and_reads_always_pass() {
        let ok = headers(&[
            ("host", "a.org"),
            ("origin", "https://a.org"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert!(is_same_origin(&Method::POST, &ok));
        let evil = headers(&[("host", "a.org"), ("origin", "https://evil.org")]);
        assert!(is_same_origin(&Method::GET, &evil));
    }

    #[test]
    fn foreign_origin_or_cross_site_fetch_is_refused() {
        let foreign = headers(&[("host", "a.org"), ("origin", "https://evil.org")]);
        assert!(!is_same_origin(&Method::POST, &foreign));
        let cross = headers(&[("host", "a.org"), ("sec-fetch-site", "cross-site")]);
        assert!(!is_same_origin(&Method::POST, &cross));
        let null = headers(&[("host", "a.org"), ("origin", "null")]);
        assert!(!is_same_origin(&Method::POST, &null));
    }

    #[test]
    fn clients_without_browser_headers_pass() {
        assert!(is_same_origin(
            &Method::POST,
            &headers(&[("host", "a.org")])
        ));
    }
}
