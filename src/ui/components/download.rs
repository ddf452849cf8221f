//! A download link that shows it is working. Without JavaScript it is a plain link and the
//! browser saves the file. Hydrated, a click fetches the file itself, so the page can show
//! "正在生成…" with a progress bar while the server builds a large file (a branch's 汇编),
//! and a Chinese message if it fails; the file is then saved under the server's name.

use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Download {
    Idle,
    Busy,
    /// Only a hydrated page fetches the file itself, so only it can see a failure.
    #[cfg_attr(
        not(feature = "hydrate"),
        allow(dead_code, reason = "read only by the browser build")
    )]
    Failed(String),
}

#[island]
pub fn DownloadLink(
    href: String,
    #[prop(into)] label: String,
    /// Shown while the file is being built, e.g. "正在生成汇编…".
    #[prop(into)]
    busy: String,
    #[prop(optional)] primary: Option<bool>,
) -> impl IntoView {
    let primary = primary.unwrap_or(false);
    let state = RwSignal::new(Download::Idle);
    let target = href.clone();
    let on_click = move |event: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            // Let the browser handle "open in new tab" and the like.
            if event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key() {
                return;
            }
            event.prevent_default();
            if state.get_untracked() == Download::Busy {
                return;
            }
            state.set(Download::Busy);
            let target = target.clone();
            leptos::task::spawn_local(async move {
                state.set(match browser::fetch_and_save(&target).await {
                    Ok(()) => Download::Idle,
                    Err(message) => Download::Failed(message),
                });
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&event, &target, state);
    };
    view! {
        <a class=if primary { "button download" } else { "download" } href=href download
            on:click=on_click aria-busy=move || (state.get() == Download::Busy).to_string()>
            {label}
        </a>
        {move || match state.get() {
            Download::Idle => None,
            Download::Busy => Some(view! {
                <span class="download-status" role="status">
                    <progress aria-label=busy.clone()></progress> " " {busy.clone()}
                </span>
            }.into_any()),
            Download::Failed(message) => Some(view! {
                <span class="download-status notice error" role="alert">{message}</span>
            }.into_any()),
        }}
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    const FAILED: &str = "下载失败，请稍后重试";

    /// The name in `Content-Disposition: …; filename*=UTF-8''…`, decoded.
    fn file_name(disposition: &str) -> Option<String> {
        let encoded = disposition.split("filename*=UTF-8''").nth(1)?;
        let encoded = encoded.split(';').next()?.trim();
        js_sys::decode_uri_component(encoded)
            .ok()
            .and_then(|name| name.as_string())
    }

    pub async fn fetch_and_save(href: &str) -> Result<(), String> {
        let window = web_sys::window().ok_or(FAILED)?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(href))
            .await
            .map_err(|_| "网络连接失败，请稍后重试".to_string())?
            .dyn_into()
            .map_err(|_| FAILED)?;
        if !response.ok() {
            let text = match response.text() {
                Ok(promise) => JsFuture::from(promise)
                    .await
                    .ok()
                    .and_then(|t| t.as_string()),
                Err(_) => None,
            };
            return Err(text
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| FAILED.into()));
        }
        let name = response
            .headers()
            .get("content-disposition")
            .ok()
            .flatten()
            .and_then(|d| file_name(&d))
            .unwrap_or_else(|| "下载文件".into());
        let blob: web_sys::Blob = JsFuture::from(response.blob().map_err(|_| FAILED)?)
            .await
            .map_err(|_| FAILED)?
            .dyn_into()
            .map_err(|_| FAILED)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| FAILED)?;
        let document = window.document().ok_or(FAILED)?;
        let link: web_sys::HtmlAnchorElement = document
            .create_element("a")
            .map_err(|_| FAILED)?
            .dyn_into()
            .map_err(|_| FAILED)?;
        link.set_href(&url);
        link.set_download(&name);
        let body = document.body().ok_or(FAILED)?;
        body.append_child(&link).map_err(|_| FAILED)?;
        link.click();
        link.remove();
        let _ = web_sys::Url::revoke_object_url(&url);
        Ok(())
    }
}
