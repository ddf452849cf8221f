//! The HTML shell, the application component and its route table.

use crate::domain::policy::Actor;
use crate::server::auth::current_user;
use crate::ui::components::header::Header;
use crate::ui::components::loaded::{Loaded, load_blocking};
use crate::ui::components::not_found::NotFound;
use crate::ui::pages::{
    admin_branches::BranchesPage,
    admin_notify::{BranchNotifyPage, NotifyPage},
    admin_overview::OverviewPage,
    admin_roster::RosterPage,
    admin_templates::TemplatesPage,
    admin_tree::TreePage,
    admin_users::UsersPage,
    collective::CollectivePage,
    cycle::{
        BallotPage, CycleAdminPage, EvaluationAdminPage, EvaluationPage, MemberCyclePage,
        MinutesPage, ReportPage, SurveyPage,
    },
    dashboard::DashboardPage,
    editor::EditorPage,
    format::FormatPage,
    history::HistoryPage,
    home::HomePage,
    import::ImportPage,
    ledger::{BranchLedgerPage, LedgerItemPage, MyLedgerPage, OrgLedgerPage, RemindersPage},
    login::LoginPage,
    materials::MaterialsPage,
    meeting_template::MeetingTemplatePage,
    meetings::MeetingsPage,
    password::PasswordPage,
    preview::PreviewPage,
    rectification_plan::RectificationPlanPage,
    review::ReviewPage,
    second_reviews::SecondReviewsPage,
    supervision::{MySupervisionPage, SupervisionPage, SupervisionTeamPage},
};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The document around every page. Sets the per-response Content-Security-Policy whose
/// nonce the hydration scripts carry.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                <script nonce=leptos::nonce::use_nonce() inner_html=SCRIPT_WATCH></script>
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Tells the page whether its script really started, so that it never relies on a script
/// that is dead: `<html data-script>` is `starting` until `hydrate()` sets `ready`;
/// `failed` after an uncaught error or a module that would not load (a dead wasm stops every
/// island, autosave included); `slow` while nothing started 8 s after the document was read.
/// Without JavaScript the attribute is absent. The style shows the no-script hints and
/// a notice for every state but `starting` and `ready` (`style/main.css`, "Script state").
const SCRIPT_WATCH: &str = r#"(function () {
  var root = document.documentElement;
  root.setAttribute("data-script", "starting");
  function failed() { root.setAttribute("data-script", "failed"); }
  window.addEventListener("error", failed);
  window.addEventListener("unhandledrejection", failed);
  document.addEventListener("DOMContentLoaded", function () {
    setTimeout(function () {
      if (root.getAttribute("data-script") === "starting") root.setAttribute("data-script", "slow");
    }, 8000);
  });
})();"#;

#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use http::{HeaderValue, header};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The logged-in person (or `None`), loaded before the page renders.
pub type UserResource = Loaded<Option<Actor>>;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let user: UserResource = load_blocking(|| (), |_| current_user());
    provide_context(user);

    // Pages render whole on the server (`SsrMode::Async`): every part is plain HTML that
    // works without JavaScript, and status codes and redirects are set before any byte.
    // Only the islands (forms that post in the background, the editor's autosave …) are
    // hydrated in the browser; a page changes by loading the next one from the server.
    view! {
        <Stylesheet id="leptos" href="/pkg/xingshen.css" />
        <Title text="省身" />
        <Router>
            <p class="notice error script-trouble script-failed" role="alert">
                "页面脚本出错，自动保存等功能已停止：请点“保存”等按钮提交，必要时刷新页面。"
            </p>
            <p class="notice warn script-trouble script-slow" role="status">
                "页面脚本尚未启动，自动保存暂不可用：请点“保存”等按钮提交。"
            </p>
            <Header />
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/account/password") view=PasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/branches") view=BranchesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/roster") view=RosterPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/templates") view=TemplatesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/notify") view=NotifyPage ssr=SsrMode::Async />
                    <Route path=path!("/notify/branch/:id") view=BranchNotifyPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/tree") view=TreePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/overview") view=OverviewPage ssr=SsrMode::Async />
                    <Route path=path!("/format") view=FormatPage ssr=SsrMode::Async />
                    <Route path=path!("/materials") view=MaterialsPage ssr=SsrMode::Async />
                    <Route path=path!("/materials/:id") view=EditorPage ssr=SsrMode::Async />
                    <Route path=path!("/materials/:id/preview") view=PreviewPage ssr=SsrMode::Async />
                    <Route path=path!("/materials/:id/history") view=HistoryPage ssr=SsrMode::Async />
                    <Route path=path!("/materials/:id/import") view=ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings") view=MeetingsPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/materials") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/template") view=MeetingTemplatePage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/opinions") view=CycleAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/minutes") view=MinutesPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/report") view=ReportPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/evaluation") view=EvaluationAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/collective") view=CollectivePage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id/rectification") view=RectificationPlanPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id") view=MemberCyclePage ssr=SsrMode::Async />
                    <Route path=path!("/survey/:id") view=SurveyPage ssr=SsrMode::Async />
                    <Route path=path!("/ballot/:id") view=BallotPage ssr=SsrMode::Async />
                    <Route path=path!("/evaluation/:id") view=EvaluationPage ssr=SsrMode::Async />
                    <Route path=path!("/review/:id") view=ReviewPage ssr=SsrMode::Async />
                    <Route path=path!("/reviews") view=SecondReviewsPage ssr=SsrMode::Async />
                    <Route path=path!("/supervision") view=MySupervisionPage ssr=SsrMode::Async />
                    <Route path=path!("/supervision/:id") view=SupervisionPage ssr=SsrMode::Async />
                    <Route path=path!("/supervision/:id/team") view=SupervisionTeamPage ssr=SsrMode::Async />
                    <Route path=path!("/ledger") view=MyLedgerPage ssr=SsrMode::Async />
                    <Route path=path!("/ledger/branch/:id") view=BranchLedgerPage ssr=SsrMode::Async />
                    <Route path=path!("/ledger/org") view=OrgLedgerPage ssr=SsrMode::Async />
                    <Route path=path!("/reminders") view=RemindersPage ssr=SsrMode::Async />
                    <Route path=path!("/ledger/item/:id") view=LedgerItemPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                "省身 · 党内材料仅在组织内部流转 · 严禁录入涉密内容"
            </footer>
        </Router>
    }
}
