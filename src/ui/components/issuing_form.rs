//! Forms whose server function answers with a generated password (a new account, a reset,
//! a node's administrator): posted in the background so the password is shown once, on the
//! page, and never travels in an address.

use crate::server::AppError;
use crate::server::users::IssuedPassword;
use crate::ui::components::error_notice::ErrorNotice;
use crate::ui::components::issued_passwords::IssuedPasswords;
use leptos::prelude::*;

/// The window event a successful account change sends, so the account list fetches itself
/// again: the new account appears without reloading the page (which would lose the password
/// shown once).
#[cfg(feature = "hydrate")]
pub const ACCOUNTS_CHANGED: &str = "xingshen-accounts-changed";

/// A form whose server function answers with a generated password: posted in the
/// background so the password can be shown here, once, and never travels in an address.
/// `popup` shows it in a box over the page (from inside the account table, where it would
/// squeeze the columns) with a button to close it.
#[island]
pub fn IssuingForm(path: String, popup: bool, children: Children) -> impl IntoView {
    view! { <Issuing path popup>{children()}</Issuing> }
}

/// The form of [`IssuingForm`], rendered directly inside the account table's island (the
/// browser cannot build an island inside an island, and the table builds new rows itself).
#[component]
pub fn Issuing(path: String, popup: bool, children: Children) -> impl IntoView {
    let outcome = RwSignal::new(None::<Result<IssuedPassword, AppError>>);
    #[cfg(feature = "hydrate")]
    let on_submit = {
        use crate::ui::components::post_form::{Answer, post_submitted};
        let path = path.clone();
        move |event: leptos::ev::SubmitEvent| {
            let form = event.target();
            post_submitted(&event, path.clone(), move |answer| {
                let answer = answer.and_then(|answer| match answer {
                    Answer::Done(json) => {
                        serde_json::from_slice(json.as_bytes()).map_err(|_| AppError::Internal)
                    }
                    Answer::Redirect(_) => Err(AppError::Internal),
                });
                if answer.is_ok() {
                    use wasm_bindgen::JsCast;
                    if let Some(form) =
                        form.and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
                    {
                        form.reset();
                    }
                    // A new account joins the list; a reset changes nothing the list shows
                    // (and refreshing it would take the password box away with its row).
                    if !popup && let Ok(event) = web_sys::Event::new(ACCOUNTS_CHANGED) {
                        let _ = window().dispatch_event(&event);
                    }
                }
                outcome.set(Some(answer));
            });
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_submit = |_: leptos::ev::SubmitEvent| {};
    view! {
        <form method="post" action=path on:submit=on_submit>{children()}</form>
        {move || outcome.get().map(|shown| {
            let shown = match shown {
                Ok(issued) => view! { <IssuedPasswords issued=vec![issued] /> }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            };
            if popup {
                view! {
                    <div class="issued-popup" role="dialog" aria-label="重置密码结果">
                        {shown}
                        <button type="button" class="secondary" on:click=move |_| outcome.set(None)>"关闭"</button>
                    </div>
                }.into_any()
            } else {
                shown
            }
        })}
    }
}
