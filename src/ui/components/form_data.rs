//! An island posting a file form itself (to show progress and the answer in place)
//! instead of letting the browser post it and leave the page.

use leptos::prelude::*;

/// Takes the submitted form over from the browser: `send` posts its fields (files
/// included) while `pending` is set, then `done` gets the answer. Without the page's script
/// the browser posts the form itself.
pub fn post_in_background<T, Fut>(
    event: leptos::ev::SubmitEvent,
    pending: RwSignal<bool>,
    send: impl FnOnce(leptos::server_fn::codec::MultipartData) -> Fut + 'static,
    done: impl FnOnce(T) + 'static,
) where
    Fut: Future<Output = T> + 'static,
{
    #[cfg(feature = "hydrate")]
    {
        event.prevent_default();
        let Some(data) = submitted_fields(&event) else {
            return;
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            let answer = send(data.into()).await;
            pending.set(false);
            done(answer);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (event, pending, send, done);
}

/// The fields of the form `event` submits, files included.
#[cfg(feature = "hydrate")]
pub fn submitted_fields(event: &leptos::ev::SubmitEvent) -> Option<web_sys::FormData> {
    use wasm_bindgen::JsCast;
    let form = event
        .target()?
        .dyn_into::<web_sys::HtmlFormElement>()
        .ok()?;
    web_sys::FormData::new_with_form(&form).ok()
}
