//! A form that posts to a server function, for every page outside the editor's islands.
//!
//! The pages render on the server only (islands mode), so a form is plain HTML posting to
//! `/api/<function>`: without JavaScript the browser posts it, the server redirects back to
//! the page, and a refusal comes back in the address (`__err`) to be shown by the page.
//! With JavaScript, the [`PostIsland`] posts the same fields itself so that nothing typed is
//! lost: a refusal is shown beside the form with every field as it was; a success loads the
//! page again (fresh from the server, with `__done=<function>` so the page can say so), or
//! follows the server function's redirect.

use crate::server::AppError;
use crate::ui::components::error_notice::ErrorNotice;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The address parameter naming the server function whose post just succeeded.
pub const DONE_PARAM: &str = "__done";

/// A form posting to the server function of `action`.
#[component]
pub fn PostForm<S>(
    action: ServerAction<S>,
    #[prop(optional, into)] class: Option<String>,
    children: Children,
) -> impl IntoView
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    let _ = action;
    view! {
        <PostIsland path=S::PATH.to_string() class=class>
            {children()}
        </PostIsland>
    }
}

/// Whether this page was loaded right after a successful post to the function of `action`.
pub fn succeeded<S>(action: ServerAction<S>) -> bool
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    let _ = action;
    leptos_router::hooks::use_query_map()
        .read_untracked()
        .get(DONE_PARAM)
        .is_some_and(|path| path == S::PATH)
}

#[island]
fn PostIsland(path: String, class: Option<String>, children: Children) -> impl IntoView {
    let refused = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let on_submit = {
        let path = path.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let Some(body) = form_body(&event) else {
                return;
            };
            busy.set(true);
            let path = path.clone();
            leptos::task::spawn_local(async move {
                match post(&path, body).await {
                    Ok(Answer::Redirect(target)) => {
                        let _ = window().location().assign(&target);
                    }
                    Ok(Answer::Done(_)) => reload_after(&path),
                    Err(error) => {
                        refused.set(Some(error));
                        busy.set(false);
                    }
                }
            });
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_submit = |_: leptos::ev::SubmitEvent| {};
    view! {
        <form method="post" action=path class=class on:submit=on_submit
            aria-busy=move || busy.get().then_some("true")>
            {children()}
        </form>
        {move || refused.get().map(|error| view! { <ErrorNotice error /> })}
    }
}

/// How a server function answered a post that went through.
#[cfg(feature = "hydrate")]
pub enum Answer {
    /// Its result, as JSON.
    Done(String),
    /// It sent the page elsewhere.
    Redirect(String),
}

/// The submitted form's fields (and the pressed button's name and value), URL-encoded as
/// the server functions read them.
#[cfg(feature = "hydrate")]
pub fn form_body(event: &leptos::ev::SubmitEvent) -> Option<web_sys::UrlSearchParams> {
    use wasm_bindgen::JsCast;
    let form = event
        .target()?
        .dyn_into::<web_sys::HtmlFormElement>()
        .ok()?;
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    if let Some(button) = event.submitter()
        && let Some(name) = button.get_attribute("name")
    {
        let value = button.get_attribute("value").unwrap_or_default();
        let _ = data.append_with_str(&name, &value);
    }
    web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()
}

/// Posts `body` to the server function at `path`.
#[cfg(feature = "hydrate")]
pub async fn post(path: &str, body: web_sys::UrlSearchParams) -> Result<Answer, AppError> {
    use leptos::server_fn::redirect::REDIRECT_HEADER;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let unreachable = |_| AppError::Transport("请检查网络后再提交一次".into());
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(path, &init))
        .await
        .map_err(unreachable)?
        .unchecked_into();
    let headers = response.headers();
    if response.ok()
        && headers.has(REDIRECT_HEADER).unwrap_or(false)
        && let Some(target) = headers.get("location").ok().flatten()
    {
        return Ok(Answer::Redirect(target));
    }
    let text = JsFuture::from(response.text().map_err(unreachable)?)
        .await
        .map_err(unreachable)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        Ok(Answer::Done(text))
    } else {
        Err(serde_json::from_slice(text.as_bytes()).unwrap_or(AppError::Internal))
    }
}

/// Loads the page again from the server, marked as following a successful post to `path`.
#[cfg(feature = "hydrate")]
pub fn reload_after(path: &str) {
    let location = window().location();
    let Ok(here) = location.href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&here) else {
        let _ = location.reload();
        return;
    };
    let params = url.search_params();
    params.delete("__err");
    params.delete("__path");
    params.set(DONE_PARAM, path);
    let target = url.href();
    // The same address (the same post twice) with a #fragment would only scroll.
    if target == here {
        let _ = location.reload();
    } else {
        let _ = location.replace(&target);
    }
}
