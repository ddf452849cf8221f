//! Initial passwords shown once, after an account was made or its password reset.

use crate::server::users::IssuedPassword;
use leptos::prelude::*;

/// The one-time display of a generated password.
#[component]
pub fn IssuedPasswords(issued: Vec<IssuedPassword>) -> impl IntoView {
    view! {
        <div class="notice ok" role="status">
            <p>"以下初始密码只显示这一次，请当面或以安全方式告知本人；首次登录后须修改。"</p>
            <div class="table-wrap">
                <table class="issued">
                    <thead><tr><th>"姓名"</th><th>"登录名"</th><th>"初始密码"</th></tr></thead>
                    <tbody>
                        {issued.into_iter().map(|p| view! {
                            <tr><td>{p.name}</td><td>{p.login}</td><td><span class="secret">{p.password}</span></td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
