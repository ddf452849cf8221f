//! A hydrated page posting a file form itself (to show progress and the answer in place)
//! instead of letting the browser post it and leave the page.

/// Stops the browser's own post of the submitted form and returns its fields, files
/// included; `None` if the form cannot be read (the post is still stopped).
#[cfg(feature = "hydrate")]
pub fn take_over_submit(event: &leptos::ev::SubmitEvent) -> Option<web_sys::FormData> {
    use wasm_bindgen::JsCast;
    event.prevent_default();
    let form = event
        .target()?
        .dyn_into::<web_sys::HtmlFormElement>()
        .ok()?;
    web_sys::FormData::new_with_form(&form).ok()
}

/// Empties the "new entry" forms inside `[data-clear-after="<group>"]` once `action` has
/// succeeded. A hydrated page rebuilds its DOM in place after an action, and a box the user
/// typed in keeps its text through that, inviting a second, duplicate post. Only a success
/// clears: a refused post keeps every word where it was.
pub fn clear_forms_after<I, O>(
    action: leptos::prelude::Action<I, Result<O, crate::server::AppError>>,
    group: &'static str,
) where
    I: Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::{Effect, Get};
        use wasm_bindgen::JsCast;
        Effect::new(move |_| {
            if !matches!(action.value().get(), Some(Ok(_))) {
                return;
            }
            let Some(document) = web_sys::window().and_then(|window| window.document()) else {
                return;
            };
            let selector = format!("[data-clear-after=\"{group}\"] form");
            let Ok(forms) = document.query_selector_all(&selector) else {
                return;
            };
            for index in 0..forms.length() {
                if let Some(form) = forms
                    .item(index)
                    .and_then(|node| node.dyn_into::<web_sys::HtmlFormElement>().ok())
                {
                    form.reset();
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (action, group);
}
