//! Page data as resources: loaded by a server function on the server, sent to the browser
//! inside the page and decoded there by the same JSON decoder the server functions' answers
//! use.
//!
//! Leptos's default resource codec decodes with `serde_json::from_str` and server functions
//! decode with `serde_json::from_slice`. Each is a separate instantiation of every
//! `Deserialize` impl of every type the browser receives, so the default made the browser
//! build carry two copies of all of them (docs/BENCHMARKS.md, "Where the wasm goes").
//! Decoding resources from the string's bytes shares one copy.

use crate::server::AppError;
use crate::ui::components::error_notice::ErrorNotice;
use crate::ui::components::not_found::NotFound;
use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A page's data, loaded by a server function.
pub type Loaded<T> = Resource<Result<T, AppError>, Json>;

/// JSON, decoded from bytes like a server function's answer.
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(encoded: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(encoded.as_bytes())
    }
}

/// A resource that `fetcher` loads again whenever `source` changes; the page streams on
/// while it loads.
#[track_caller]
pub fn load<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// Like [`load`], but nothing of the response is sent before it has loaded.
#[track_caller]
pub fn load_blocking<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, true)
}

/// Renders a page's data once loaded: "加载中…" while it loads, the "not found" page (with
/// its 404 status) for `NotFound`, and any other error as a notice. Every page that shows
/// one resource shows it through here.
pub fn loaded<T, V>(
    data: Loaded<T>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <p class="muted">"加载中…"</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(view) => render(view).into_any(),
                        Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_server_encodes_the_browser_decodes() {
        let sent: Result<Vec<String>, AppError> = Ok(vec!["问题查摆".into(), "\"引号\"".into()]);
        let encoded = <Json as Encoder<_>>::encode(&sent).unwrap();
        let received: Result<Vec<String>, AppError> =
            <Json as Decoder<_>>::decode(&encoded).unwrap();
        assert_eq!(received, sent);
        let failed: Result<Vec<String>, AppError> = Err(AppError::NotFound);
        let encoded = <Json as Encoder<_>>::encode(&failed).unwrap();
        let received: Result<Vec<String>, AppError> =
            <Json as Decoder<_>>::decode(&encoded).unwrap();
        assert_eq!(received, failed);
        assert!(<Json as Decoder<Result<Vec<String>, AppError>>>::decode("{").is_err());
    }

    /// A resource made with Leptos's default codec would bring the second copy of every
    /// decoder back into the browser build.
    #[test]
    fn every_resource_of_the_interface_is_made_here() {
        fn sources(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    sources(&path, found);
                } else if path.extension().is_some_and(|ext| ext == "rs") {
                    found.push(path);
                }
            }
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut paths = vec![src.join("app.rs")];
        sources(&src.join("ui"), &mut paths);
        assert!(paths.len() > 30, "the interface's files: {paths:?}");
        let constructors = [
            ["Resource", "::new"].concat(),
            ["OnceResource", "::new"].concat(),
            ["ArcResource", "::new"].concat(),
        ];
        for path in paths.iter().filter(|path| !path.ends_with("loaded.rs")) {
            let source = std::fs::read_to_string(path).unwrap();
            for constructor in &constructors {
                assert!(
                    !source.contains(constructor.as_str()),
                    "{path:?} makes a resource with {constructor}: use `load` or `load_blocking`"
                );
            }
            // A page's data is shown through `loaded`; only the login gate (`Protected`,
            // which loads the person, not the page) has its own "loading" line.
            let loading = ["加载", "中…"].concat();
            assert!(
                path.ends_with("protected.rs") || !source.contains(loading.as_str()),
                "{path:?} writes its own loading scaffold: use `loaded`"
            );
        }
    }
}
