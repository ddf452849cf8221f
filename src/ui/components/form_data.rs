//! An island posting a file form itself (to show progress and the answer in place)
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
