//! Administrators import a roster from a spreadsheet. All rows are checked first; if any is
//! wrong nothing is imported and every problem is listed with its row number.

use crate::server::AppError;
use crate::server::roster::ImportRoster;
use crate::server::users::IssuedPassword;
use crate::ui::components::error_notice::ErrorNotice;
use crate::ui::components::form_data::post_in_background;
use crate::ui::components::issued_passwords::IssuedPasswords;
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn RosterPage() -> impl IntoView {
    view! {
        <Title text="导入名单 · 省身" />
        <Protected audience=Audience::OrgAdmins page=|_| view! { <Roster /> } />
    }
}

#[component]
fn Roster() -> impl IntoView {
    // Without JavaScript the browser posts the form itself; a failure comes back in the URL.
    let posted_error = use_context::<leptos::server::ServerActionError>()
        .filter(|error| error.path() == ImportRoster::PATH)
        .map(|error| {
            leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(error.err())
        });
    view! {
        <h1>"从表格导入名单"</h1>
        <section class="card">
            <p>
                "上传 Excel（.xlsx/.xls）、WPS/LibreOffice（.ods）或 CSV 文件。第一行为表头，需包含 "
                <strong>"姓名、登录名/手机、支部"</strong>
                " 三列，可另有 "<strong>"职务"</strong>"、"<strong>"角色"</strong>
                "（党员 / 支部书记）列。支部须已在“支部”页面创建。"
            </p>
            <p><a href="/roster-template.csv" download="名单模板.csv">"下载名单模板（CSV）"</a></p>
            <RosterImport />
            <p class="hint script-fallback">"提示：页面脚本运行时才能在本页看到生成的初始密码；否则可在“账号”页面为每人重置密码。"</p>
            {posted_error.map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}

/// The upload form, posted in the background so the generated passwords can be shown.
#[island]
fn RosterImport() -> impl IntoView {
    let outcome = RwSignal::new(None::<Result<Vec<IssuedPassword>, AppError>>);
    let pending = RwSignal::new(false);
    let on_submit = move |event| {
        outcome.set(None);
        post_in_background(
            event,
            pending,
            crate::server::roster::import_roster,
            move |answer| outcome.set(Some(answer)),
        );
    };
    view! {
            <form
                method="post"
                enctype="multipart/form-data"
                action=ImportRoster::url()
                on:submit=on_submit
            >
                <label for="roster-file">"名单文件"</label>
                <input id="roster-file" name="roster" type="file" accept=".xlsx,.xls,.xlsm,.ods,.csv" required />
                <p class="hint">"文件不超过 2 MB。任何一行有问题都不会导入任何人。"</p>
                <div class="actions">
                    <button type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "正在导入…" } else { "检查并导入" }}
                    </button>
                </div>
            </form>
            {move || match outcome.get() {
                Some(Ok(issued)) => {
                    let count = issued.len();
                    view! {
                        <p class="notice ok" role="status">{format!("已导入 {count} 人。")}</p>
                        <IssuedPasswords issued />
                    }
                        .into_any()
                }
                Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                None => ().into_any(),
            }}
    }
}
