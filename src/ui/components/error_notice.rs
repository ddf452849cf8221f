//! An error shown as a red notice; row-by-row errors as a list.

use crate::server::AppError;
use leptos::prelude::*;

#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    match error {
        AppError::InvalidRows(rows) => view! {
            <div class="notice error" role="alert">
                "没有保存任何内容，请修改以下问题后重新提交："
                <ul>{rows.into_iter().map(|row| view! { <li>{row}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
        AppError::Blocked(messages) => view! {
            <div class="notice error" role="alert">
                "材料体检还有以下问题，处理后才能提交："
                <ul>{messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
        other => view! {
            <div class="notice error" role="alert">{other.to_string()}</div>
        }
        .into_any(),
    }
}

/// The error of the last call of an action, if it failed.
pub fn action_error<I, O>(action: Action<I, Result<O, AppError>>) -> impl Fn() -> Option<AnyView>
where
    I: Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorNotice error /> }.into_any())
    }
}
