//! A form that posts to a server function, for every page outside the editor's islands.
//!
//! The pages render on the server only (islands mode), so a form is plain HTML posting to
//! `/api/<function>`: without JavaScript the browser posts it, the server redirects back to
//! the page, and a refusal comes back in the address (`__err`) to be shown by the page.
//! With JavaScript, the [`PostIsland`] posts the same fields itself so that nothing typed is
//! lost: a refusal is shown beside the form with every field as it was; a success loads the
//! page again (fresh from the server, with `__done=<function>` so the page can say so), or
//! follows the server function's redirect.

#[cfg(feature = "hydrate")]
use crate::domain::local_path::safe_local_path;
use crate::server::AppError;
use crate::ui::components::error_notice::ErrorNotice;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The address parameter naming the server function whose post just succeeded.
pub const DONE_PARAM: &str = "__done";

/// `address` marked as the page after a successful post to `function`: `__done=<function>`
/// in place of an earlier mark or error (`__err`, `__path`), the rest kept as it was. Used
/// by the server for posts without JavaScript and by the island for its own.
pub fn marked_done(address: &str, function: &str) -> String {
    let (address, fragment) = match address.split_once('#') {
        Some((address, fragment)) => (address, Some(fragment)),
        None => (address, None),
    };
    let (base, query) = address.split_once('?').unwrap_or((address, ""));
    let replaced = |pair: &&str| {
        let name = pair.split('=').next().unwrap_or_default();
        [DONE_PARAM, "__err", "__path"].contains(&name)
    };
    let mark = format!("{DONE_PARAM}={function}");
    let pairs: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !replaced(pair))
        .chain([mark.as_str()])
        .collect();
    let mut marked = format!("{base}?{}", pairs.join("&"));
    if let Some(fragment) = fragment {
        marked.push('#');
        marked.push_str(fragment);
    }
    marked
}

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
    view! { <PostingForm path class>{children()}</PostingForm> }
}

/// The form of [`PostForm`], to be rendered directly inside an island: the browser cannot
/// build another island from inside one, so a row an island adds itself uses this.
#[component]
pub fn PostingForm(path: String, class: Option<String>, children: Children) -> impl IntoView {
    let refused = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let on_submit = {
        let path = path.clone();
        move |event: leptos::ev::SubmitEvent| {
            if busy.get_untracked() {
                event.prevent_default();
                return;
            }
            busy.set(true);
            let then_path = path.clone();
            post_submitted(&event, path.clone(), move |answer| match answer {
                Ok(Answer::Redirect(target)) => {
                    // The server sends only paths of this site; the browser checks again,
                    // so no answer can carry the page elsewhere.
                    let target = safe_local_path(&target).unwrap_or("/");
                    let _ = window().location().assign(target);
                }
                Ok(Answer::Done(_)) => reload_after(&then_path),
                Err(error) => {
                    refused.set(Some(error));
                    busy.set(false);
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

/// Posts the submitted form to the server function at `path` instead of the browser, and
/// hands the answer to `then`.
#[cfg(feature = "hydrate")]
pub fn post_submitted(
    event: &leptos::ev::SubmitEvent,
    path: String,
    then: impl FnOnce(Result<Answer, AppError>) + 'static,
) {
    event.prevent_default();
    let Some(body) = form_body(event) else {
        return;
    };
    leptos::task::spawn_local(async move { then(post(&path, body).await) });
}

/// The submitted form's fields (and the pressed button's name and value), URL-encoded as
/// the server functions read them.
#[cfg(feature = "hydrate")]
fn form_body(event: &leptos::ev::SubmitEvent) -> Option<web_sys::UrlSearchParams> {
    let data = crate::ui::components::form_data::submitted_fields(event)?;
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
async fn post(path: &str, body: web_sys::UrlSearchParams) -> Result<Answer, AppError> {
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
    let target = marked_done(&here, path);
    // The same address (the same post twice) with a #fragment would only scroll.
    if target == here {
        let _ = location.reload();
    } else {
        let _ = location.replace(&target);
    }
}

#[cfg(test)]
mod tests {
    use super::marked_done;

    #[test]
    fn the_done_mark_replaces_an_earlier_mark_or_error_and_keeps_the_rest_of_the_address() {
        assert_eq!(
            marked_done("http://localhost/ledger/org", "/api/save_warning_tiers"),
            "http://localhost/ledger/org?__done=/api/save_warning_tiers"
        );
        assert_eq!(
            marked_done(
                "https://x.example/meetings/m1?tab=a&__done=/api/log_talk&__path=/api/x&__err=e30#talks",
                "/api/write_criticism"
            ),
            "https://x.example/meetings/m1?tab=a&__done=/api/write_criticism#talks"
        );
    }
}
