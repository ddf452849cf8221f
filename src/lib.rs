//! 省身 (xingshen): prepare 生活会 materials, review them, and follow 整改 through.
// The hydrate build without `erase_components` (release) nests view types deeper than the
// default limit of 128 in the ledger page.
#![recursion_limit = "256"]

pub mod app;
pub mod domain;
#[cfg(test)]
mod import_graph;
pub mod server;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "documents")]
pub mod collation;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "documents")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

/// The browser entry point: hydrates the islands of the server-rendered page. Everything
/// else on a page is plain HTML and needs no code in the browser.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A server function that redirects (after adopting a kept copy, say) moves the page.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|target| {
        // Only to a path of this site, whatever the answer said.
        let target = domain::local_path::safe_local_path(target).unwrap_or("/");
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(target);
        }
    });
    leptos::mount::hydrate_islands();
    forget_done_mark();
    // A marker for people and tests alike: the page is interactive from here on. The
    // page's script watch (`app::SCRIPT_WATCH`) keeps `failed` if an error came first.
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if let Some(root) = document.document_element()
        && root.get_attribute("data-script").as_deref() != Some("failed")
    {
        let _ = root.set_attribute("data-script", "ready");
    }
    if let Some(body) = document.body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Takes the "just done" mark (`__done=/api/…`) out of the address once the page has shown
/// it: it means nothing to the person, and a bookmark or a reload must not repeat the notice.
#[cfg(feature = "hydrate")]
fn forget_done_mark() {
    use ui::components::post_form::DONE_PARAM;
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(url) = window
        .location()
        .href()
        .ok()
        .and_then(|href| web_sys::Url::new(&href).ok())
    else {
        return;
    };
    let params = url.search_params();
    if !params.has(DONE_PARAM) {
        return;
    }
    params.delete(DONE_PARAM);
    url.set_search(&String::from(params.to_string()));
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}
